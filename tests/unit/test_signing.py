"""Ed25519 signatures of published files, through the library and through `fenqi dev keygen|sign|verify`."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.cli import main
from app.kernel.errors import FenqiError
from app.kernel.paths import resolve_paths
from app.kernel.settings import load_settings
from app.security.signing import (
    ALGORITHM,
    SignatureInvalid,
    key_id,
    load_private_key,
    public_key_b64,
    sign_file,
    signature_path,
    verify_file,
    write_private_key,
)

CONTENT = "目录 catalog v1\n".encode() + bytes(range(256))


@pytest.fixture
def key() -> Ed25519PrivateKey:
    """A fresh signing key."""
    return Ed25519PrivateKey.generate()


@pytest.fixture
def signed(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    """A file with its .sig written by `key`."""
    path = tmp_path / "catalog.json"
    path.write_bytes(CONTENT)
    sign_file(path, key)
    return path


def test_sign_then_verify_returns_the_exact_content(signed: Path, key: Ed25519PrivateKey) -> None:
    """A file signed by a trusted key verifies and its exact bytes and key id are returned."""
    verified = verify_file(signed, [public_key_b64(key)])
    assert verified.content == CONTENT
    assert verified.path == signed
    assert verified.key_id == key_id(base64.b64decode(public_key_b64(key)))


def test_signature_file_is_beside_the_file_and_names_its_key(signed: Path, key: Ed25519PrivateKey) -> None:
    """The .sig sits next to the file and is JSON with alg Ed25519 and the signer's key id."""
    sig = signature_path(signed)
    assert sig == signed.with_name("catalog.json.sig")
    doc = json.loads(sig.read_bytes())
    assert doc["alg"] == ALGORITHM == "Ed25519"
    assert doc["key_id"] == key_id(base64.b64decode(public_key_b64(key)))


def test_verify_finds_the_signer_among_several_trusted_keys(signed: Path, key: Ed25519PrivateKey) -> None:
    """Other trusted keys do not get in the way of the one that signed."""
    others = [public_key_b64(Ed25519PrivateKey.generate()) for _ in range(3)]
    assert verify_file(signed, [*others, public_key_b64(key)]).content == CONTENT


@pytest.mark.parametrize("position", [0, len(CONTENT) // 2, len(CONTENT) - 1])
def test_one_changed_byte_after_signing_is_refused(signed: Path, key: Ed25519PrivateKey, position: int) -> None:
    """Editing a single byte of the file after signing makes verification fail."""
    data = bytearray(signed.read_bytes())
    data[position] ^= 0x01
    signed.write_bytes(bytes(data))
    with pytest.raises(SignatureInvalid) as info:
        verify_file(signed, [public_key_b64(key)])
    assert info.value.code == "signature_invalid"


def test_appended_byte_is_refused(signed: Path, key: Ed25519PrivateKey) -> None:
    """Adding a byte at the end is also a change."""
    signed.write_bytes(CONTENT + b"\n")
    with pytest.raises(SignatureInvalid):
        verify_file(signed, [public_key_b64(key)])


def test_signature_by_untrusted_key_is_refused(signed: Path) -> None:
    """A valid signature by a key that is not in the trusted list is refused."""
    with pytest.raises(SignatureInvalid):
        verify_file(signed, [public_key_b64(Ed25519PrivateKey.generate())])
    with pytest.raises(SignatureInvalid):
        verify_file(signed, [])


def test_forged_key_id_does_not_help(signed: Path, key: Ed25519PrivateKey) -> None:
    """Re-labelling a stranger's signature with a trusted key id still fails."""
    stranger = Ed25519PrivateKey.generate()
    sign_file(signed, stranger)
    sig = signature_path(signed)
    doc = json.loads(sig.read_bytes())
    doc["key_id"] = key_id(base64.b64decode(public_key_b64(key)))
    sig.write_text(json.dumps(doc))
    with pytest.raises(SignatureInvalid):
        verify_file(signed, [public_key_b64(key)])


def test_missing_signature_is_refused(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    """A file without a .sig is refused."""
    path = tmp_path / "catalog.json"
    path.write_bytes(CONTENT)
    with pytest.raises(SignatureInvalid):
        verify_file(path, [public_key_b64(key)])


@pytest.mark.parametrize(
    "damage",
    [
        lambda doc: b"not json at all",
        lambda doc: b"",
        lambda doc: b"[1, 2, 3]",
        lambda doc: json.dumps({**doc, "alg": "RSA"}).encode(),
        lambda doc: json.dumps({k: v for k, v in doc.items() if k != "signature"}).encode(),
        lambda doc: json.dumps({**doc, "signature": "***not base64***"}).encode(),
        lambda doc: json.dumps({**doc, "signature": base64.b64encode(b"short").decode()}).encode(),
    ],
    ids=["not-json", "empty", "json-list", "wrong-alg", "no-signature", "bad-base64", "short-signature"],
)
def test_damaged_signature_file_is_refused(signed: Path, key: Ed25519PrivateKey, damage: Any) -> None:
    """A .sig that is not JSON, uses another algorithm or carries a malformed signature is refused."""
    sig = signature_path(signed)
    sig.write_bytes(damage(json.loads(sig.read_bytes())))
    with pytest.raises(SignatureInvalid):
        verify_file(signed, [public_key_b64(key)])


@pytest.mark.parametrize("bad_key", ["AAAA", "not base64 at all!", base64.b64encode(b"x" * 31).decode()])
def test_malformed_trusted_key_is_reported_not_crashed_on(signed: Path, key: Ed25519PrivateKey, bad_key: str) -> None:
    """A malformed entry among the trusted keys ends in a FenqiError (or is skipped), never a raw ValueError."""
    try:
        verified = verify_file(signed, [bad_key, public_key_b64(key)])
    except FenqiError:
        return
    assert verified.content == CONTENT


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_private_key_file_round_trip_and_mode(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    """A saved private key loads back to the same key and is readable only by its owner."""
    path = tmp_path / "keys" / "dev.pem"
    write_private_key(path, key)
    assert path.stat().st_mode & 0o777 == 0o600
    assert public_key_b64(load_private_key(path)) == public_key_b64(key)


# --- the CLI ---------------------------------------------------------------------------------------------------


@pytest.fixture
def development_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Development signing is only for the explicitly chosen development mode."""
    monkeypatch.setenv("FENQI_KEY_STORE", "file")


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    """Run `fenqi ARGV --json` in-process; returns the exit status and the parsed stdout."""
    capsys.readouterr()
    status = main([*argv, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_cli_keygen_sign_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str], development_mode: None) -> None:
    """keygen trusts a new key, sign writes FILE.sig, verify accepts it; all exit 0 with JSON results."""
    target = tmp_path / "model-card.json"
    target.write_bytes(CONTENT)

    status, created = run_json(capsys, "dev", "keygen")
    assert status == 0
    assert created["created"] is True
    assert created["public_key"] in load_settings(resolve_paths().settings_file).trusted_signing_keys

    status, signed = run_json(capsys, "dev", "sign", str(target))
    assert status == 0
    assert Path(signed["signature_file"]) == signature_path(target)
    assert signature_path(target).exists()

    status, verified = run_json(capsys, "dev", "verify", str(target))
    assert status == 0
    assert verified["valid"] is True
    assert verified["key_id"] == created["key_id"]


def test_cli_verify_after_tampering_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], development_mode: None
) -> None:
    """After the file changes, `dev verify` exits 3 with the signature_invalid error JSON."""
    target = tmp_path / "blacklist.json"
    target.write_bytes(CONTENT)
    assert run_json(capsys, "dev", "keygen")[0] == 0
    assert run_json(capsys, "dev", "sign", str(target))[0] == 0
    target.write_bytes(CONTENT.replace(b"v1", b"v2"))

    status, result = run_json(capsys, "dev", "verify", str(target))
    assert status == 3
    assert result["error"]["code"] == "signature_invalid"
    assert result["error"]["message"]


def test_cli_keygen_twice_needs_if_missing(capsys: pytest.CaptureFixture[str], development_mode: None) -> None:
    """A second keygen is refused with key_exists (exit 1) unless --if-missing, which keeps the same key."""
    status, first = run_json(capsys, "dev", "keygen")
    assert status == 0

    status, refused = run_json(capsys, "dev", "keygen")
    assert status == 1
    assert refused["error"]["code"] == "key_exists"

    status, again = run_json(capsys, "dev", "keygen", "--if-missing")
    assert status == 0
    assert again["created"] is False
    assert again["public_key"] == first["public_key"]
    assert load_settings(resolve_paths().settings_file).trusted_signing_keys == (first["public_key"],)


def test_cli_sign_without_key_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], development_mode: None
) -> None:
    """`dev sign` before `dev keygen` exits 1 with no_dev_key and writes no signature."""
    target = tmp_path / "catalog.json"
    target.write_bytes(CONTENT)
    status, result = run_json(capsys, "dev", "sign", str(target))
    assert status == 1
    assert result["error"]["code"] == "no_dev_key"
    assert not signature_path(target).exists()


def test_development_signing_is_refused_outside_development_mode(capsys: pytest.CaptureFixture[str]) -> None:
    """With the OS keyring (a store's setup) nobody can make and trust their own signing key."""
    status, result = run_json(capsys, "dev", "keygen")
    assert status == 1 and result["error"]["code"] == "not_development"
