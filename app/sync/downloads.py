"""Files the lender publishes for its counters — catalog, policy, blacklist, scorecard (card and model), update
manifest — fetched when their hash changed, verified against the lender's shipped keys before anything uses
them, and only then installed. A file that fails verification changes nothing and is reported."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.domain.catalog import parse_catalog, trusted_keys
from app.domain.policy import POLICY_FILE, PolicyInvalid, PolicyUnavailable, load_policy, parse_policy
from app.kernel.errors import FenqiError, Unavailable
from app.kernel.i18n import _
from app.kernel.settings import Settings, update_settings
from app.scoring.blacklist import Blacklist
from app.scoring.model import CARD_FILE, load_verified, model_file_name
from app.security.secret_store import SecretStore
from app.security.signing import verify_bytes
from app.storage.local_store import LocalStore
from app.storage.models import Meta
from app.sync.client import CentralClient

ORDER = ("catalog", "policy", "blacklist", "model_card", "update_manifest")  # the model comes with its card
NAMES = {
    "catalog": "products.json",
    "policy": POLICY_FILE,
    "blacklist": "blacklist.json",
    "update_manifest": "manifest.json",
}


@dataclass
class DownloadReport:
    installed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "kind: why"


def _meta_key(kind: str) -> str:
    return f"download_{kind}_sha256"


def _fetch(client: CentralClient, kind: str) -> tuple[bytes, bytes | None]:
    reply = client.download(kind)
    if reply.status_code != 200 or not isinstance(reply.body, dict):
        raise Unavailable(_("The {kind} could not be downloaded.").format(kind=kind), code="download_failed")
    signature = reply.body.get("signature")
    return base64.b64decode(reply.body["content"]), None if signature is None else base64.b64decode(signature)


def _write(folder: Path, name: str, content: bytes, signature: bytes | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    for target, data in ((path, content), (path.with_name(name + ".sig"), signature)):
        if data is not None:
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)  # never a half-written file in place
    return path


def refresh(
    store: LocalStore,
    secrets: SecretStore,
    client: CentralClient,
    settings: Settings,
    settings_file: Path,
    folder: Path,
    published: dict[str, str],
) -> DownloadReport:
    """Fetch, verify and install each published file whose SHA-256 differs from the one installed."""
    report = DownloadReport()
    with store.read() as session:
        installed = {kind: session.get(Meta, _meta_key(kind)) for kind in ORDER}
    for kind in ORDER:
        sha = published.get(kind)
        current = installed[kind]
        if sha is None or (current is not None and current.value == sha):
            continue
        try:
            content, signature = _fetch(client, kind)
            if signature is None:
                raise Unavailable(_("The {kind} came without a signature.").format(kind=kind), code="unsigned")
            verify_bytes(content, signature, trusted_keys(settings), kind)
            settings = _install(store, secrets, client, settings, settings_file, folder, kind, content, signature)
        except FenqiError as exc:
            report.refused.append(f"{kind}: {exc.message}")
            continue
        with store.write() as session:
            session.merge(Meta(key=_meta_key(kind), value=sha))
        report.installed.append(kind)
    return report


def _install(
    store: LocalStore,
    secrets: SecretStore,
    client: CentralClient,
    settings: Settings,
    settings_file: Path,
    folder: Path,
    kind: str,
    content: bytes,
    signature: bytes,
) -> Settings:
    if kind == "catalog":
        parse_catalog(content)  # a well-signed but unreadable catalog is refused too
        path = _write(folder / "catalog", NAMES[kind], content, signature)
        return update_settings(settings_file, catalog_file=str(path))
    if kind == "policy":
        published = parse_policy(content)  # a well-signed but unreadable policy is refused too
        try:
            in_force = load_policy(settings).version
        except PolicyUnavailable:
            in_force = 0  # none verifies here (a store build before its first sync): the lender's one is taken
        if published.version < in_force:  # an older signed policy never replaces a newer one
            raise PolicyInvalid(
                _("The lender's policy version {version} is older than the one in force here.").format(
                    version=published.version
                ),
                code="policy_older",
            )
        path = _write(folder / "policy", NAMES[kind], content, signature)
        return update_settings(settings_file, policy_file=str(path))
    if kind == "blacklist":
        path = _write(folder / "blacklist", NAMES[kind], content, signature)
        Blacklist(store, secrets).import_file(path, settings)
        return settings
    if kind == "model_card":
        card = json.loads(content)
        model, _none = _fetch(client, "model")
        staged = folder / "models-next"
        _write(staged, CARD_FILE, content, signature)
        _write(staged, model_file_name(card), model, None)  # a plain name: never written outside the folder
        load_verified(replace(settings, model_dir=str(staged)))  # the card's hash must name these model bytes
        target = folder / f"models-{card.get('model_sha256', '')[:12]}"
        if target.exists():
            import shutil

            shutil.rmtree(target)
        staged.rename(target)
        return update_settings(settings_file, model_dir=str(target))
    _write(folder / "update", NAMES[kind], content, signature)
    return settings
