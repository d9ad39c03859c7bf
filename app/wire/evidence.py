"""Evidence of who signed: the documents an application names by kind and SHA-256 (which the lender must hold
before it takes the application), the one-time code sent to the applicant's own phone to confirm the signing,
and the check of the repayment card's four elements with the bank. The same models build the counter's bodies
and declare the server's routes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from app.wire.types import NAME_PATTERN, Answer, AwareMoment, Printable, Request, Sha256

MAX_EVIDENCE = 16  # documents one application names (eight kinds today)
MAX_HASH_QUERY = 500  # hashes asked about in one request
CODE_LENGTH = 6
PHONE_PATTERN = r"^\+?[0-9][0-9 -]{4,22}$"


class EvidenceKind(StrEnum):
    """What a document of an application is."""

    ID_FRONT = "id_front"
    ID_BACK = "id_back"
    PASSPORT = "passport"
    LIVE_PHOTO = "live_photo"
    TERMS = "terms"
    SIGNATURE_STROKES = "signature_strokes"
    SIGNATURE_IMAGE = "signature_image"
    CONTRACT = "contract"


ID_IMAGE_KINDS = (EvidenceKind.ID_FRONT, EvidenceKind.ID_BACK, EvidenceKind.PASSPORT)


class EvidenceItem(Request):
    """A document the application names: the lender must hold bytes with this hash before it takes it."""

    kind: EvidenceKind
    sha256: Sha256


class PhotoCheck(StrEnum):
    """What the counter's offline check said of the live photo: passed (one face, large, sharp and light
    enough), or unchecked (the counter's vision component is not installed; the photo is kept as taken)."""

    PASSED = "passed"
    UNCHECKED = "unchecked"


class HashQuery(Request):
    """Which of these documents does the lender not hold yet? (`POST /v1/attachments/missing`)"""

    sha256: list[Sha256] = Field(max_length=MAX_HASH_QUERY)


class MissingDocuments(Answer):
    """The hashes of the query the lender does not hold, in the order asked."""

    missing: list[Sha256]


Phone = Annotated[Printable, Field(max_length=24, pattern=PHONE_PATTERN)]


class CodeRequest(Request):
    """Send a one-time code to the applicant's mobile (`POST /v1/applications/{id}/confirmation-code`)."""

    phone: Phone


class CodeSent(Answer):
    """The code is on its way; it is valid until `expires_at`."""

    expires_at: AwareMoment


class CodeEntry(Request):
    """The code the customer typed (`POST /v1/applications/{id}/confirmation`)."""

    code: Annotated[Printable, Field(min_length=CODE_LENGTH, max_length=CODE_LENGTH, pattern=r"^[0-9]{6}$")]


class Confirmed(Answer):
    """The customer confirmed the signing with the code sent to their phone."""

    confirmed_at: AwareMoment


class CardCheckRequest(Request):
    """The repayment card's four elements, to be checked with the bank (`POST /v1/applications/{id}/card-check`)."""

    card_number: Annotated[Printable, Field(max_length=19, pattern=r"^[0-9]{12,19}$")]
    name: Annotated[Printable, Field(min_length=1, max_length=64, pattern=NAME_PATTERN)]
    id_number: Annotated[Printable, Field(max_length=18, pattern=r"^[0-9]{17}[0-9X]$")]
    phone: Phone


class CardResult(StrEnum):
    """What the bank said of the four elements."""

    MATCH = "match"  # the card is the applicant's, the phone is the one the bank holds, auto-debit allowed
    PHONE_MISMATCH = "phone_mismatch"  # card, name and ID agree; the bank holds another phone
    NO_AUTO_DEBIT = "no_auto_debit"  # the card's account does not allow auto-debit
    HOLDER_MISMATCH = "holder_mismatch"  # the card is not in the applicant's name and ID number


class CardChecked(Answer):
    """The bank's answer on the card, and when it was given."""

    result: CardResult
    checked_at: AwareMoment

