"""Field-level AES-256-GCM for personal data, and HMAC blind indexes for looking it up."""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.kernel.errors import Unavailable
from app.kernel.i18n import _

DATA_KEY_BYTES = 32
_FORMAT_V1 = b"\x01"
_NONCE_BYTES = 12


class DecryptionFailed(Unavailable):
    code = "decryption_failed"


def new_data_key() -> bytes:
    """A fresh random data key."""
    return os.urandom(DATA_KEY_BYTES)


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


class FieldCipher:
    """Seals and opens single field values, each bound to its table, column and row."""

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != DATA_KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        self._aead = AESGCM(_derive(data_key, b"fenqi field encryption v1"))
        self._index_key = _derive(data_key, b"fenqi blind index v1")
        self._check = hmac.new(data_key, b"fenqi key check v1", hashlib.sha256).hexdigest()
        self._master = data_key

    def derive_key(self, purpose: str) -> bytes:
        """A 32-byte key for another purpose (e.g. the audit chain), independent of the field keys."""
        return _derive(self._master, f"fenqi derived key: {purpose} v1".encode())  # never a field key

    @property
    def key_check(self) -> str:
        """A value stored beside the data that tells whether a key is the right one, revealing nothing."""
        return self._check

    @staticmethod
    def _aad(table: str, column: str, row_id: uuid.UUID | str) -> bytes:
        return f"{table}/{column}/{row_id}".encode()

    def seal(self, table: str, column: str, row_id: uuid.UUID | str, value: str | bytes) -> bytes:
        """Encrypt one value with a fresh nonce; it opens only for the same table, column and row."""
        data = value.encode("utf-8") if isinstance(value, str) else value
        nonce = os.urandom(_NONCE_BYTES)
        return _FORMAT_V1 + nonce + self._aead.encrypt(nonce, data, self._aad(table, column, row_id))

    def open(self, table: str, column: str, row_id: uuid.UUID | str, sealed: bytes) -> bytes:
        """Decrypt a value sealed by `seal`; raises DecryptionFailed if it was altered or moved."""
        if not sealed or sealed[:1] != _FORMAT_V1 or len(sealed) < 1 + _NONCE_BYTES + 16:
            raise DecryptionFailed(
                _("An encrypted field is damaged ({table}.{column}).").format(table=table, column=column)
            )
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, self._aad(table, column, row_id))
        except InvalidTag as exc:
            raise DecryptionFailed(
                _("An encrypted field cannot be opened with this key ({table}.{column}).").format(
                    table=table, column=column
                )
            ) from exc

    def open_text(self, table: str, column: str, row_id: uuid.UUID | str, sealed: bytes) -> str:
        """Decrypt a text value."""
        return self.open(table, column, row_id, sealed).decode("utf-8")

    def blind_index(self, kind: str, normalized_value: str) -> bytes:
        """A keyed digest for equality lookups of `kind` (e.g. 'id_number'); the value must be normalised."""
        return hmac.new(self._index_key, f"{kind}\x00{normalized_value}".encode(), hashlib.sha256).digest()[:16]
