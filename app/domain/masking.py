"""How identity numbers and phones are shown when they are not being typed: masked, so a screen, a printout or
a photo of the counter never carries the whole number. Revealing a full ID number is a separate, audited act
(app/counter/reveal.py).

The mask keeps the shape (one `*` per hidden character) and only as much of each end as still identifies the
customer to the clerk: a resident ID number keeps its first 4 (province and city) and last 4 characters
(`1101**********1237`); shorter document numbers (passports, travel permits) keep a quarter at each end, so
never more than half of a number shows.
"""

from __future__ import annotations

import unicodedata

MASK = "*"


def _kept_at_each_end(length: int) -> int:
    # A quarter of the number at each end, at most 4: 4 + 4 of a resident ID's 18, 2 + 2 of a passport's 9.
    return min(4, length // 4)


def _compact(value: str) -> str:
    # Full-width characters (an IME's １１０１…) folded; spaces and dashes are layout, not part of the number.
    folded = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in folded if not ch.isspace() and ch != "-")


def mask_id_number(number: str) -> str:
    """An identity document number as it may be shown: `110101199003071237` → `1101**********1237`;
    `E12345678` → `E1*****78`. An empty value stays empty."""
    compact = _compact(number).upper()
    keep = _kept_at_each_end(len(compact))
    if keep == 0:
        return MASK * len(compact)
    return f"{compact[:keep]}{MASK * (len(compact) - 2 * keep)}{compact[-keep:]}"


def mask_phone(phone: str) -> str:
    """A phone number as it may be shown: `13812345678` → `138****5678` (a leading +86 is dropped). Short
    numbers keep only their last 2 digits. An empty value stays empty."""
    digits = "".join(ch for ch in _compact(phone) if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) >= 8:
        return f"{digits[:3]}{MASK * (len(digits) - 7)}{digits[-4:]}"
    if len(digits) > 2:
        return f"{MASK * (len(digits) - 2)}{digits[-2:]}"
    return MASK * len(digits)
