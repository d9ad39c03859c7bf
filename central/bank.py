"""The bank's check of a repayment card's four elements (card number, holder's name, ID number, the phone the
bank holds): the interface a bank's verification service is reached through, and the development bank the
reference server runs with.

The development bank answers by rule, the same every time, so tests and a trial at the counter can show every
answer (README, "The development bank's test cards"):

- TEST_CARD_MATCH → match; TEST_CARD_PHONE_MISMATCH → phone_mismatch (the bank holds another phone);
  TEST_CARD_NO_AUTO_DEBIT → no_auto_debit; TEST_CARD_HOLDER_MISMATCH → holder_mismatch;
  TEST_CARD_UNAVAILABLE → the bank cannot be reached (BankUnavailable);
- every other card: match when its number passes the Luhn check, holder_mismatch otherwise.

Every test card is 16 digits and passes the Luhn check, so the counter's own card check lets a clerk type it."""

from __future__ import annotations

from typing import Protocol

from stdnum import luhn

from app.wire.evidence import CardResult

TEST_CARD_MATCH = "6222000000000017"
TEST_CARD_PHONE_MISMATCH = "6222000000000025"
TEST_CARD_NO_AUTO_DEBIT = "6222000000000033"
TEST_CARD_HOLDER_MISMATCH = "6222000000000041"
TEST_CARD_UNAVAILABLE = "6222000000000058"

_TEST_ANSWERS = {
    TEST_CARD_MATCH: CardResult.MATCH,
    TEST_CARD_PHONE_MISMATCH: CardResult.PHONE_MISMATCH,
    TEST_CARD_NO_AUTO_DEBIT: CardResult.NO_AUTO_DEBIT,
    TEST_CARD_HOLDER_MISMATCH: CardResult.HOLDER_MISMATCH,
}


class BankUnavailable(Exception):
    """The bank could not be asked (down, timed out, refused the lender's request); nothing was checked."""


class CardVerifier(Protocol):
    """A bank's four-element verification service."""

    def verify(self, card_number: str, name: str, id_number: str, phone: str) -> CardResult:
        """What the bank says of the card for this holder and phone; raises BankUnavailable when it cannot
        answer."""
        ...


class DevelopmentBank:
    """The reference server's bank: the documented test cards, then the Luhn rule (see the module's promise)."""

    def verify(self, card_number: str, name: str, id_number: str, phone: str) -> CardResult:
        """The rule's answer for `card_number` (the other elements are not looked at)."""
        if card_number == TEST_CARD_UNAVAILABLE:
            raise BankUnavailable("The development bank is unavailable for its test card 6222000000000058.")
        found = _TEST_ANSWERS.get(card_number)
        if found is not None:
            return found
        return CardResult.MATCH if card_number.isdigit() and luhn.is_valid(card_number) else CardResult.HOLDER_MISMATCH
