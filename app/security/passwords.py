"""Staff PINs and passwords: Argon2id hashes and the rules a new secret must meet."""

from __future__ import annotations

import itertools

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _

# OWASP's Argon2id recommendation (m = 19 MiB, t = 2, p = 1); stronger costs would make every sign-in on an
# older counter PC noticeably slow.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)
# Verified against when the login is unknown, so an unknown login takes as long as a wrong PIN.
_DUMMY_HASH = _HASHER.hash("fenqi-no-such-account")


class WeakSecret(InvalidInput):
    code = "weak_secret"


def hash_secret(secret: str) -> str:
    """An Argon2id hash of `secret` (salted; the parameters travel inside the hash)."""
    return _HASHER.hash(secret)


def verify_secret(secret_hash: str | None, secret: str) -> bool:
    """Whether `secret` matches `secret_hash`; a missing or damaged hash never matches."""
    try:
        return _HASHER.verify(secret_hash or _DUMMY_HASH, secret) and secret_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(secret_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(secret_hash)


def _is_run(digits: str) -> bool:
    steps = {int(b) - int(a) for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {-1}, {0})


def check_secret_policy(secret: str) -> None:
    """Accept a PIN of 6–12 digits that is not a run (111111, 123456, 654321), or a password of at least
    10 characters with letters and digits; raise WeakSecret saying what is wrong otherwise."""
    if secret.isdigit():
        if not 6 <= len(secret) <= 12:
            raise WeakSecret(_("A PIN has 6 to 12 digits."))
        if _is_run(secret):
            raise WeakSecret(_("This PIN is too easy to guess."))
        return
    if len(secret) < 10 or not any(c.isalpha() for c in secret) or not any(c.isdigit() for c in secret):
        raise WeakSecret(_("A password needs at least 10 characters, with letters and digits."))
