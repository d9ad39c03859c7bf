"""The lender's credit policy: the admission and anti-fraud parameters as one document the lender signs and
publishes like the catalog (resources/policy/policy.json and its .sig; `fenqi-central publish --kind policy`;
downloaded and verified at sync). The counter's pre-screen and the lender's decision on arrival read the same
document, so a counter PC has no setting that could loosen it.

The document is a JSON object: `version` (a whole number; a newer policy has a higher one), `effective_from`
(YYYY-MM-DD) and every key of KEYS. Keys this version does not know are ignored, so an older counter accepts a
newer policy; a missing key or a value of the wrong kind or out of range refuses the whole document.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.kernel.config import resources_dir
from app.kernel.errors import FenqiError, Unavailable
from app.kernel.i18n import _
from app.kernel.settings import Settings

POLICY_FILE = "policy.json"
_MONEY = re.compile(r"\d{1,11}\.\d{2}")
_MULTIPLE = re.compile(r"\d{1,3}(\.\d{1,2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Whole-number keys and their allowed ranges (both ends included).
INTEGER_KEYS: dict[str, tuple[int, int]] = {
    "version": (1, 10**9),
    "age_min": (16, 100),
    "age_max": (16, 100),
    "max_debt_service_percent": (1, 100),
    "velocity_count": (2, 1000),
    "velocity_days": (1, 365),
    "reapply_cooloff_days": (0, 3650),
    "return_window_days": (0, 365),
    "review_service_level_minutes": (1, 7 * 24 * 60),
    "fpd_alert_min_matured": (1, 1_000_000),
}
MONEY_KEYS = ("unsecured_cap", "four_eyes_amount")  # decimal strings with two places, above 0
KEYS = (*INTEGER_KEYS, "effective_from", *MONEY_KEYS, "fpd_alert_multiple")


class PolicyInvalid(Unavailable):
    """The policy document cannot be used: not JSON, a key missing, or a value of the wrong kind or range."""

    code = "policy_invalid"


class PolicyUnavailable(Unavailable):
    """No verified policy: the pre-screen is off (data entry and quotes work), as with a refused scorecard."""

    code = "policy_unavailable"


@dataclass(frozen=True)
class LenderPolicy:
    """One version of the lender's policy, every value checked."""

    version: int
    effective_from: dt.date
    age_min: int  # applicants must be age_min to age_max years old on the application date
    age_max: int
    max_debt_service_percent: int  # existing + new monthly installments, at most this share of monthly income
    unsecured_cap: Decimal  # unsecured credit per borrower
    velocity_count: int  # applications with one ID or phone (this one included) within velocity_days: flagged
    velocity_days: int
    reapply_cooloff_days: int  # a new application this soon after a decline is flagged and referred
    return_window_days: int  # delivered goods may be returned within these days
    four_eyes_amount: Decimal  # from this amount financed a second reviewer decides
    review_service_level_minutes: int  # a referred application is decided within these minutes
    fpd_alert_multiple: Decimal  # a store's first-payment default this many times the average raises an alert
    fpd_alert_min_matured: int  # ... once it has at least this many matured loans


def _value(raw: dict[str, Any], key: str) -> Any:
    if key not in raw:
        raise PolicyInvalid(_("{key} is missing from the policy.").format(key=key))
    return raw[key]


def _wrong(key: str) -> PolicyInvalid:
    return PolicyInvalid(_("{key} in the policy has the wrong kind of value.").format(key=key))


def _out_of_range(key: str) -> PolicyInvalid:
    return PolicyInvalid(_("{key} in the policy is out of range.").format(key=key))


def _integer(raw: dict[str, Any], key: str) -> int:
    value = _value(raw, key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _wrong(key)
    low, high = INTEGER_KEYS[key]
    if not low <= value <= high:
        raise _out_of_range(key)
    return value


def _decimal(raw: dict[str, Any], key: str, pattern: re.Pattern[str], low: Decimal) -> Decimal:
    value = _value(raw, key)
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        raise _wrong(key)
    amount = Decimal(value)
    if amount < low:
        raise _out_of_range(key)
    return amount


def parse_policy(content: bytes) -> LenderPolicy:
    """The policy in the (verified) bytes of a policy document; raises PolicyInvalid naming the first problem.
    Keys this version does not know are ignored."""
    try:
        raw = json.loads(content)
    except (ValueError, RecursionError) as exc:
        raise PolicyInvalid(_("The policy is not valid JSON.")) from exc
    if not isinstance(raw, dict):
        raise PolicyInvalid(_("The policy is not a JSON object."))
    integers = {key: _integer(raw, key) for key in INTEGER_KEYS}
    date_text = _value(raw, "effective_from")
    if not isinstance(date_text, str) or _DATE.fullmatch(date_text) is None:
        raise _wrong("effective_from")
    try:
        effective_from = dt.date.fromisoformat(date_text)
    except ValueError as exc:
        raise _wrong("effective_from") from exc
    if integers["age_min"] > integers["age_max"]:
        raise _out_of_range("age_min")
    return LenderPolicy(
        effective_from=effective_from,
        unsecured_cap=_decimal(raw, "unsecured_cap", _MONEY, Decimal("0.01")),
        four_eyes_amount=_decimal(raw, "four_eyes_amount", _MONEY, Decimal("0.01")),
        fpd_alert_multiple=_decimal(raw, "fpd_alert_multiple", _MULTIPLE, Decimal(1)),
        **integers,
    )


def shipped_policy_path() -> Path:
    """The policy shipped with the application (signed by the lender; in development mode by ./run.sh)."""
    return resources_dir() / "policy" / POLICY_FILE


def policy_paths(settings: Settings) -> list[Path]:
    """Where the counter looks for the policy: the one sync installed (the policy_file setting), then the
    shipped one."""
    configured = [Path(settings.policy_file)] if settings.policy_file else []
    return [*configured, shipped_policy_path()]


def _verified(path: Path, settings: Settings) -> LenderPolicy:
    from app.domain.catalog import trusted_keys
    from app.security.signing import verify_file

    if not path.exists():
        raise PolicyInvalid(_("{name} is missing.").format(name=path), code="policy_missing")
    return parse_policy(verify_file(path, trusted_keys(settings)).content)


def load_policy(settings: Settings) -> LenderPolicy:
    """The lender's policy in force on this counter: the newest (highest version) of the installed and the
    shipped policy whose signature holds against the trusted keys and whose content is valid, so an older
    signed policy can never replace a newer one. An installed policy that no longer verifies refuses (it was
    changed after sync checked it). Raises PolicyUnavailable, whose message says the pre-screen is off."""
    found: list[LenderPolicy] = []
    problems: list[FenqiError] = []
    for index, path in enumerate(policy_paths(settings)):
        try:
            found.append(_verified(path, settings))
        except FenqiError as exc:
            if settings.policy_file and index == 0:
                raise _unavailable(exc) from exc
            problems.append(exc)
    if not found:
        raise _unavailable(problems[0])
    return max(found, key=lambda policy: policy.version)


def _unavailable(cause: FenqiError) -> PolicyUnavailable:
    return PolicyUnavailable(
        _("The lender's policy is refused: {reason} Pre-screening is off; data entry and quotes work.").format(
            reason=cause.message
        )
    )
