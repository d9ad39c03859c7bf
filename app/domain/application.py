"""An application's life: its states and the only transitions allowed between them."""

from __future__ import annotations

from enum import StrEnum

from app.kernel.errors import InvalidInput
from app.kernel.i18n import N_, _


class ApplicationState(StrEnum):
    DRAFT = "draft"
    PRESCREENED = "prescreened"
    QUOTED = "quoted"
    SIGNED = "signed"
    QUEUED = "queued"
    SUBMITTED = "submitted"
    REFERRED = "referred"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    DELIVERED = "delivered"


S = ApplicationState

# Editing a pre-screened or quoted application sends it back to draft: the pre-screen and quote must be
# redone on the changed data. Once signed it is frozen; it can only be queued or, while undecided, cancelled.
ALLOWED_TRANSITIONS: dict[ApplicationState, frozenset[ApplicationState]] = {
    S.DRAFT: frozenset({S.PRESCREENED, S.CANCELLED}),
    S.PRESCREENED: frozenset({S.QUOTED, S.DRAFT, S.CANCELLED}),
    S.QUOTED: frozenset({S.SIGNED, S.DRAFT, S.CANCELLED}),
    S.SIGNED: frozenset({S.QUEUED, S.CANCELLED}),
    S.QUEUED: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.SUBMITTED: frozenset({S.APPROVED, S.DECLINED, S.REFERRED, S.CANCELLED}),
    S.REFERRED: frozenset({S.APPROVED, S.DECLINED, S.CANCELLED}),
    S.APPROVED: frozenset({S.DELIVERED}),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
    S.DELIVERED: frozenset(),
}

FINAL_STATES = frozenset(s for s, targets in ALLOWED_TRANSITIONS.items() if not targets)
EDITABLE_STATES = frozenset({S.DRAFT, S.PRESCREENED, S.QUOTED})
UNDECIDED_STATES = frozenset({S.QUEUED, S.SUBMITTED, S.REFERRED})

STATE_LABELS: dict[ApplicationState, str] = {
    S.DRAFT: N_("Draft"),
    S.PRESCREENED: N_("Pre-screened"),
    S.QUOTED: N_("Quoted"),
    S.SIGNED: N_("Signed"),
    S.QUEUED: N_("Waiting to send"),
    S.SUBMITTED: N_("Submitted"),
    S.REFERRED: N_("Manual review"),
    S.APPROVED: N_("Approved"),
    S.DECLINED: N_("Declined"),
    S.CANCELLED: N_("Cancelled"),
    S.DELIVERED: N_("Delivered"),
}


class InvalidTransition(InvalidInput):
    code = "invalid_transition"


def parse_state(value: str) -> ApplicationState:
    """The state named `value`; raises InvalidInput for an unknown name."""
    try:
        return ApplicationState(value)
    except ValueError as exc:
        raise InvalidInput(_("Unknown application state: {value}").format(value=value), code="bad_state") from exc


def state_label(state: ApplicationState) -> str:
    """The state's name in the configured language."""
    return _(STATE_LABELS[state])


def can_transition(current: ApplicationState, target: ApplicationState) -> bool:
    """Whether an application in `current` may move to `target`."""
    return target in ALLOWED_TRANSITIONS[current]


def require_transition(current: ApplicationState, target: ApplicationState) -> None:
    """Raise InvalidTransition, with a readable reason, unless `current` → `target` is allowed."""
    if not can_transition(current, target):
        raise InvalidTransition(
            _("An application that is “{current}” cannot become “{target}”.").format(
                current=state_label(current), target=state_label(target)
            )
        )


def path_to(target: ApplicationState) -> list[ApplicationState]:
    """The usual sequence of states from draft to `target` (used for demo data and tests)."""
    happy = [S.DRAFT, S.PRESCREENED, S.QUOTED, S.SIGNED, S.QUEUED, S.SUBMITTED]
    if target in happy:
        return happy[: happy.index(target) + 1]
    if target in (S.APPROVED, S.DECLINED, S.REFERRED):
        return [*happy, target]
    if target is S.DELIVERED:
        return [*happy, S.APPROVED, S.DELIVERED]
    return [*happy, S.CANCELLED]
