"""The store-wide velocity index: the lender gives every counter PC of a store one key, so the PCs and the
lender compute the same digest of an ID number or phone and can count each other's applications without
exchanging the numbers."""

from __future__ import annotations

import hashlib
import hmac

VELOCITY_KEY = "central-velocity-key"  # its name in the SecretStore


def velocity_digest(key: bytes, kind: str, normal: str) -> bytes:
    """The digest of a normalised ID number (kind "id_number") or mobile number (kind "phone")."""
    return hmac.new(key, f"{kind}\x00{normal}".encode(), hashlib.sha256).digest()[:16]
