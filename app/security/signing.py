"""Ed25519 signatures of the files the lender publishes (catalog, model card, blacklist, update manifests).

A signature sits beside its file as `FILE.sig`: canonical JSON {"alg", "key_id", "signature"}. Files are
checked against public keys from the settings; a key fetched from the same place as the file proves nothing.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.kernel.canonical import canonical_json
from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _
from app.kernel.json_input import loads_bounded

ALGORITHM = "Ed25519"
SIGNATURE_SUFFIX = ".sig"


class SignatureInvalid(Unavailable):
    code = "signature_invalid"


@dataclass(frozen=True)
class VerifiedFile:
    """A file whose signature checked out, with its bytes as they were verified."""

    path: Path
    content: bytes
    key_id: str


def key_id(public_key: bytes) -> str:
    """A short, stable name for a raw public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def public_key_b64(private_key: Ed25519PrivateKey) -> str:
    """The raw public key of `private_key`, base64-encoded as the settings keep it."""
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def signature_path(path: Path) -> Path:
    """Where the signature of `path` is kept."""
    return path.with_name(path.name + SIGNATURE_SUFFIX)


def sign_bytes(content: bytes, private_key: Ed25519PrivateKey) -> dict[str, str]:
    """The signature document for `content`."""
    raw_pub = base64.b64decode(public_key_b64(private_key))
    return {
        "alg": ALGORITHM,
        "key_id": key_id(raw_pub),
        "signature": base64.b64encode(private_key.sign(content)).decode("ascii"),
    }


def sign_file(path: Path, private_key: Ed25519PrivateKey) -> Path:
    """Write `path`.sig for the file as it is now; returns the signature's path."""
    sig = signature_path(path)
    sig.write_bytes(canonical_json(sign_bytes(path.read_bytes(), private_key)))
    return sig


def decode_public_key(encoded: str) -> Ed25519PublicKey:
    """A trusted key as the settings keep it (base64 of the 32 raw bytes); raises ValueError if malformed."""
    raw = base64.b64decode(encoded, validate=True)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def _decode_keys(trusted_keys: Iterable[str]) -> dict[str, Ed25519PublicKey]:
    keys: dict[str, Ed25519PublicKey] = {}
    for encoded in trusted_keys:
        try:
            keys[key_id(base64.b64decode(encoded))] = decode_public_key(encoded)
        except ValueError as exc:
            raise SignatureInvalid(
                _("A trusted signing key in the settings is damaged; signatures cannot be checked."),
                code="trusted_key_damaged",
            ) from exc
    return keys


def verify_bytes(content: bytes, signature_doc: bytes, trusted_keys: Iterable[str], name: str) -> str:
    """Check `content` against a signature document; returns the signing key's id or raises."""
    try:
        doc = loads_bounded(signature_doc, max_depth=4)  # read before anything vouches for it: one flat object
        signature = base64.b64decode(doc["signature"], validate=True)
        kid = str(doc["key_id"])
        alg = doc["alg"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SignatureInvalid(_("The signature of {name} is damaged.").format(name=name)) from exc
    if alg != ALGORITHM:
        raise SignatureInvalid(_("The signature of {name} uses an unknown algorithm.").format(name=name))
    key = _decode_keys(trusted_keys).get(kid)
    if key is None:
        raise SignatureInvalid(_("{name} is signed with a key this application does not trust.").format(name=name))
    try:
        key.verify(signature, content)
    except InvalidSignature as exc:
        raise SignatureInvalid(
            _("{name} does not match its signature: it was changed after signing.").format(name=name)
        ) from exc
    return kid


def verify_file(path: Path, trusted_keys: Iterable[str]) -> VerifiedFile:
    """Read `path` and its signature and return the verified bytes; raises SignatureInvalid otherwise."""
    sig = signature_path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(_("{name} cannot be read.").format(name=path.name), code="file_unreadable") from exc
    if not sig.exists():
        raise SignatureInvalid(_("{name} has no signature.").format(name=path.name))
    kid = verify_bytes(content, sig.read_bytes(), trusted_keys, path.name)
    return VerifiedFile(path=path, content=content, key_id=kid)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Load a PEM Ed25519 private key."""
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(_("{name} is not an Ed25519 key.").format(name=path.name), code="bad_key")
    return key


def write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    """Save a private key as PEM, readable only by its owner."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(pem)
