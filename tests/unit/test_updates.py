"""Signed updates: a good manifest is offered, a tampered one, one signed with a key the application does not
ship or trust, and a rollback are refused; unsent applications block the update; staging checks every file
against the manifest and never touches the store."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.cli import main
from app.domain.catalog import load_catalog, trusted_keys
from app.office.updates import UpdateBlocked, check_update, stage_update
from app.security.signing import sign_file
from tests.integration.test_sync_exchange import _queued


def _release(folder: Path, version: str, minimum: str = "0.1.0", payload: bytes = b"new build") -> Path:
    """A release folder with one file, and its manifest (unsigned) beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    package = folder / f"fenqi-pos-{version}-linux-x86_64.tar.gz"
    package.write_bytes(payload)
    manifest = folder / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "version": version,
                "min_supported_version": minimum,
                "published_at": "2026-11-29T00:00:00Z",
                "files": [{"path": package.name, "sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}],
            }
        ),
        encoding="utf-8",
    )
    return manifest


def _check(services, manifest: Path):
    return check_update(services.store, manifest, trusted_keys(services.settings), current="0.1.0")


def test_a_newer_release_signed_by_the_lender_is_offered_and_staged(signed_files, services, tmp_path) -> None:
    manifest = _release(tmp_path / "rel", "0.2.0")
    sign_file(manifest, signed_files.key)
    result = _check(services, manifest)
    assert (result.current, result.latest, result.verified, result.blocked_by) == ("0.1.0", "0.2.0", True, [])
    assert result.installable and not result.required
    store_before = services.store.path.read_bytes()
    staged = stage_update(result, tmp_path / "rel", tmp_path / "updates", _now())
    assert (staged.folder / staged.files[0]).read_bytes() == b"new build"
    assert json.loads((staged.folder / "ready.json").read_text())["version"] == "0.2.0"
    assert services.store.path.read_bytes() == store_before  # staging never touches the store


def test_a_tampered_manifest_is_refused(signed_files, services, tmp_path) -> None:
    manifest = _release(tmp_path / "rel", "0.2.0")
    sign_file(manifest, signed_files.key)
    manifest.write_text(manifest.read_text().replace("0.2.0", "0.3.0"), encoding="utf-8")
    result = _check(services, manifest)
    assert (result.verified, result.latest, result.blocked_by) == (False, None, ["signature_invalid"])
    with pytest.raises(UpdateBlocked):
        stage_update(result, tmp_path / "rel", tmp_path / "updates", _now())
    assert not (tmp_path / "updates").exists()


def test_a_manifest_signed_with_a_key_the_application_does_not_trust_is_refused(services, tmp_path) -> None:
    manifest = _release(tmp_path / "rel", "0.2.0")
    sign_file(manifest, Ed25519PrivateKey.generate())
    result = _check(services, manifest)
    assert (result.verified, result.blocked_by) == (False, ["signature_invalid"])
    assert "trust" in result.reason


def test_an_older_or_the_same_version_is_refused(signed_files, services, tmp_path) -> None:
    for version in ("0.1.0", "0.0.9"):
        manifest = _release(tmp_path / version, version)
        sign_file(manifest, signed_files.key)
        result = _check(services, manifest)
        assert result.verified and result.blocked_by == ["not_newer"] and not result.installable
        with pytest.raises(UpdateBlocked):
            stage_update(result, tmp_path / version, tmp_path / "updates", _now())


def test_a_version_below_the_lenders_minimum_must_update(signed_files, services, tmp_path) -> None:
    manifest = _release(tmp_path / "rel", "0.3.0", minimum="0.2.0")
    sign_file(manifest, signed_files.key)
    assert _check(services, manifest).required


def test_unsent_applications_block_the_update(signed_files, services, tmp_path) -> None:
    manifest = _release(tmp_path / "rel", "0.2.0")
    sign_file(manifest, signed_files.key)
    _queued(services, load_catalog(signed_files.settings))
    result = _check(services, manifest)
    assert result.verified and result.blocked_by == ["outbox_not_empty"] and result.unsent == 1
    with pytest.raises(UpdateBlocked, match="1"):
        stage_update(result, tmp_path / "rel", tmp_path / "updates", _now())
    assert not (tmp_path / "updates").exists()


def test_a_file_that_differs_from_the_manifest_is_not_staged(signed_files, services, tmp_path) -> None:
    manifest = _release(tmp_path / "rel", "0.2.0")
    sign_file(manifest, signed_files.key)
    (tmp_path / "rel" / "fenqi-pos-0.2.0-linux-x86_64.tar.gz").write_bytes(b"new build, altered")
    result = _check(services, manifest)
    with pytest.raises(Exception, match="not the file the lender published"):
        stage_update(result, tmp_path / "rel", tmp_path / "updates", _now())
    assert not any((tmp_path / "updates").glob("*0.2.0*"))


def test_fenqi_update_check_json(signed_files, services, tmp_path, capsys) -> None:
    manifest = _release(tmp_path / "rel", "0.2.0")
    sign_file(manifest, signed_files.key)
    services.close()
    assert main(["update", "check", "--manifest", str(manifest), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {k: out[k] for k in ("current", "latest", "verified", "blocked_by")} == {
        "current": "0.1.0",
        "latest": "0.2.0",
        "verified": True,
        "blocked_by": [],
    }
    assert main(["update", "check", "--json"]) == 0  # nothing downloaded by sync yet
    assert json.loads(capsys.readouterr().out)["blocked_by"] == ["no_manifest"]
    assert main(["update", "stage", "--from", str(tmp_path / "rel"), "--manifest", str(manifest), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == "0.2.0"


def _now() -> dt.datetime:
    return dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
