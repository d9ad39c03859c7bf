"""Anti-fraud flags (反欺诈): each sends the application to a person (refer) with a name saying why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.identity import ResidentId
from app.kernel.i18n import _
from app.scoring.findings import Finding
from app.scoring.request import PrescreenRequest


@dataclass(frozen=True)
class CounterHistory:
    """What this counter's store knows about the applicant's ID number and phone (from its local store)."""

    id_applications: int  # earlier applications with this ID number within the velocity window
    phone_applications: int  # earlier applications with this phone number within the velocity window
    other_ids_on_phone: int  # other ID numbers that gave this phone number
    staff_is_applicant: bool  # the signed-in staff member's own ID number or phone
    blacklist_loaded: bool


# Every flag code fraud_flags can raise (the reports tell flags from decline reasons by it; a test keeps the
# list whole).
FLAG_CODES = frozenset(
    {
        "birth_date_mismatch",
        "sex_mismatch",
        "id_velocity",
        "phone_velocity",
        "phone_shared",
        "outside_opening_hours",
        "staff_applicant",
        "id_validity_unknown",
        "blacklist_unavailable",
    }
)


def fraud_flags(
    request: PrescreenRequest,
    resident: ResidentId,
    history: CounterHistory,
    velocity_days: int,
    velocity_count: int,
    opening: tuple[dt.time, dt.time],
) -> list[Finding]:
    """Every flag the application raises, in a fixed order. Velocity counts include this application."""
    who = request.applicant
    flags: list[Finding] = []
    if who.birth_date is not None and who.birth_date != resident.birth_date:
        flags.append(Finding("birth_date_mismatch", _("The birth date given differs from the one in the ID number.")))
    if who.sex is not None and who.sex != resident.sex:
        flags.append(Finding("sex_mismatch", _("The sex given differs from the one in the ID number.")))
    if history.id_applications + 1 >= velocity_count:
        flags.append(
            Finding(
                "id_velocity",
                _("This ID number is in {count} applications at this store within {days} days.").format(
                    count=history.id_applications + 1, days=velocity_days
                ),
            )
        )
    if history.phone_applications + 1 >= velocity_count:
        flags.append(
            Finding(
                "phone_velocity",
                _("This phone number is in {count} applications at this store within {days} days.").format(
                    count=history.phone_applications + 1, days=velocity_days
                ),
            )
        )
    if history.other_ids_on_phone:
        flags.append(
            Finding(
                "phone_shared",
                _("This phone number was also given with {count} other ID number(s).").format(
                    count=history.other_ids_on_phone
                ),
            )
        )
    if request.application_time is not None and not opening[0] <= request.application_time < opening[1]:
        flags.append(
            Finding(
                "outside_opening_hours",
                _("Filed at {time}, outside the store's opening hours ({start}–{end}).").format(
                    time=request.application_time.strftime("%H:%M"),
                    start=opening[0].strftime("%H:%M"),
                    end=opening[1].strftime("%H:%M"),
                ),
            )
        )
    if history.staff_is_applicant:
        flags.append(Finding("staff_applicant", _("The staff member filing the application is the applicant.")))
    if who.id_valid_until is None and not who.id_long_term:
        flags.append(
            Finding("id_validity_unknown", _("The ID card's validity is not recorded: scan the back of the card."))
        )
    if not history.blacklist_loaded:
        flags.append(
            Finding(
                "blacklist_unavailable",
                _("No blacklist is loaded on this counter: the lender checks it when the application arrives."),
            )
        )
    return flags
