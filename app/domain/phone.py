"""Mainland mobile numbers: validation and the canonical form used for storage and lookups."""

from __future__ import annotations

import phonenumbers

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _


def normalize_mobile(text: str) -> str:
    """The 11-digit national form of a mainland mobile number; raises InvalidInput if it is not one."""
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(_("This is not a phone number."), code="bad_phone") from exc
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise InvalidInput(_("This is not a valid mainland mobile number."), code="bad_phone")
    if phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidInput(_("This is not a valid mainland mobile number."), code="bad_phone")
    return str(parsed.national_number)
