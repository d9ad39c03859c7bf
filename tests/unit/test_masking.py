"""ID numbers and phones as they are shown by default: masked, keeping the shape and a little of each end."""

from __future__ import annotations

import pytest

from app.domain.masking import mask_id_number, mask_phone


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("110101199003071237", "1101**********1237"),
        ("11010519491231002x", "1101**********002X"),  # a lower-case check character is shown as on the card
        ("１１０１０１１９９００３０７１２３７", "1101**********1237"),  # full-width digits from an IME
        ("110101 19900307 1237", "1101**********1237"),  # spaces are layout
        ("810000199408230021", "8100**********0021"),  # Hong Kong residence permit
        ("110101900307123", "110*********123"),  # an old 15-digit number
        ("E12345678", "E1*****78"),  # passport
        ("H12345678", "H1*****78"),  # Hong Kong/Macao travel permit
        ("12345678", "12****78"),  # Taiwan travel permit
        ("1234", "1**4"),
        ("123", "***"),
        ("", ""),
    ],
)
def test_id_numbers_keep_a_little_of_each_end(number: str, shown: str) -> None:
    assert mask_id_number(number) == shown


def test_never_more_than_half_of_a_number_shows() -> None:
    for length in range(1, 25):
        shown = mask_id_number("7" * length)
        assert len(shown) == length
        assert shown.count("7") <= length // 2


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("02112345678", "021****5678"),
        ("12345", "***45"),
        ("", ""),
    ],
)
def test_phones_keep_the_prefix_and_last_four(phone: str, shown: str) -> None:
    assert mask_phone(phone) == shown
