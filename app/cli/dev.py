"""`fenqi dev …` and `fenqi keystore …`: development signing key and key-store checks."""

from __future__ import annotations

import argparse
import base64
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.cli.output import emit_json, emit_table
from app.kernel.config import Configuration
from app.kernel.errors import EXIT_UNAVAILABLE, InvalidInput
from app.kernel.i18n import _
from app.kernel.settings import update_settings
from app.security import signing
from app.security.secret_store import KeyringSecretStore, KeyStoreUnavailable

DEV_KEY_NAME = "dev-signing-ed25519.pem"


def _dev_key_path(config: Configuration) -> Path:
    return config.paths.dev_signing_dir / DEV_KEY_NAME


def _require_development(config: Configuration) -> None:
    from app.security.secret_store import chosen_key_store

    if chosen_key_store(config.settings.key_store) != "file":
        raise InvalidInput(
            _("Development signing works only in the explicitly chosen development mode (FENQI_KEY_STORE=file)."),
            code="not_development",
        )


def keygen(args: argparse.Namespace, config: Configuration) -> int:
    """Create the development signing key pair and trust its public key in the settings (development mode)."""
    _require_development(config)
    path = _dev_key_path(config)
    if path.exists() and not args.if_missing:
        raise InvalidInput(
            _("A development signing key already exists at {path}.").format(path=path), code="key_exists"
        )
    created = not path.exists()
    if created:
        signing.write_private_key(path, Ed25519PrivateKey.generate())
    public = signing.public_key_b64(signing.load_private_key(path))
    if public not in config.settings.trusted_signing_keys:
        update_settings(
            config.paths.settings_file, trusted_signing_keys=(*config.settings.trusted_signing_keys, public)
        )
    result = {
        "created": created,
        "key_file": str(path),
        "public_key": public,
        "key_id": signing.key_id(base64.b64decode(public)),
    }
    _print(args, result, _("Development signing key"))
    return 0


def sign(args: argparse.Namespace, config: Configuration) -> int:
    """Sign FILE with the development key, writing FILE.sig (development mode)."""
    _require_development(config)
    path = _dev_key_path(config)
    if not path.exists():
        raise InvalidInput(_("There is no development signing key; run `fenqi dev keygen` first."), code="no_dev_key")
    target = Path(args.file)
    if not target.is_file():
        raise InvalidInput(_("{name} cannot be read.").format(name=target), code="file_unreadable")
    sig = signing.sign_file(target, signing.load_private_key(path))
    _print(args, {"file": str(target), "signature_file": str(sig)}, _("Signed"))
    return 0


def verify(args: argparse.Namespace, config: Configuration) -> int:
    """Check FILE against FILE.sig and the trusted keys in the settings."""
    from app.domain.catalog import trusted_keys

    verified = signing.verify_file(Path(args.file), trusted_keys(config.settings))
    _print(args, {"file": str(verified.path), "valid": True, "key_id": verified.key_id}, _("Signature valid"))
    return 0


def probe(args: argparse.Namespace, config: Configuration) -> int:
    """Exit 0 when the OS keyring can hold secrets here, 3 when it cannot."""
    try:
        store = KeyringSecretStore()
    except KeyStoreUnavailable as exc:
        _print(args, {"usable": False, "reason": exc.message}, _("OS keyring"))
        return EXIT_UNAVAILABLE
    _print(args, {"usable": True, "backend": store.description}, _("OS keyring"))
    return 0


def _print(args: argparse.Namespace, result: dict[str, Any], title: str) -> None:
    if args.json:
        emit_json(result)
    else:
        emit_table([(key, value) for key, value in result.items()], title)


def register(sub: Any) -> None:
    """Add `dev` and `keystore` to the command tree."""
    dev = sub.add_parser("dev", help=_("development tools (demo signing key)"))
    dev_sub = dev.add_subparsers(dest="dev_command", metavar="ACTION", required=True)
    p = dev_sub.add_parser(
        "keygen",
        help=_("create the development signing key pair"),
        epilog=_("Error codes: key_exists, not_development."),
    )
    p.add_argument("--if-missing", action="store_true", help=_("do nothing if the key exists"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=keygen)
    p = dev_sub.add_parser(
        "sign",
        help=_("sign a file with the development key"),
        epilog=_("Error codes: no_dev_key, file_unreadable, not_development."),
    )
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=sign)
    p = dev_sub.add_parser(
        "verify",
        help=_("check a file's signature against the trusted keys"),
        epilog=_("Error codes: signature_invalid, file_unreadable."),
    )
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=verify)

    ks = sub.add_parser("keystore", help=_("key store checks"))
    ks_sub = ks.add_subparsers(dest="keystore_command", metavar="ACTION", required=True)
    p = ks_sub.add_parser(
        "probe", help=_("tell whether the OS keyring is usable here"), epilog=_("Exit status 3 when it is not.")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=probe)
