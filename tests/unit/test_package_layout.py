"""The shape of the code (DESIGN.md §4), checked on the sources: app/'s top level holds only entry points and the
composition root, imports between app/'s packages point one way, central/ takes from app/ only what it shares
with the counter, ui/ builds no service, and no page imports another page."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

APP = REPO / "app"
# Lower layers never import higher ones, not even inside a function. Packages on one layer may use each other
# only where listed in PEERS.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"kernel"}),
    frozenset({"security"}),
    frozenset({"domain"}),
    frozenset({"wire"}),
    frozenset({"storage"}),
    frozenset({"scoring", "scanning"}),
    frozenset({"counter", "office"}),
    frozenset({"sync"}),
    frozenset({"reports"}),
    frozenset({"services"}),
    frozenset({"demo", "cli"}),
)
PEERS: frozenset[tuple[str, str]] = frozenset({("cli", "demo")})
TOP_LEVEL = {"__init__.py", "__main__.py", "services.py"}
CENTRAL_MAY_USE = {"kernel", "domain", "scoring", "security", "wire"}


def _layer(package: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in the file, at any depth (function-level imports count too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            if node.module == "app":  # `from app import services` names a module
                for alias in node.names:
                    yield node.lineno, f"app.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def _app_package(module: str) -> str | None:
    """The package of app/ a module belongs to ('services' for the composition root), None outside app/."""
    parts = module.split(".")
    if parts[0] != "app" or len(parts) < 2:
        return None
    name = parts[1]
    if (APP / name).is_dir() or name == "services":
        return name
    return None


def _sources(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)


def layering_violations(root: Path = APP) -> list[str]:
    """Every import in app/ that points up the layers (or sideways without being listed)."""
    found = []
    for path in _sources(root):
        relative = path.relative_to(root)
        here = "services" if relative.parts == ("services.py",) else relative.parts[0]
        if here not in {p for layer in LAYERS for p in layer}:
            continue  # __init__.py, __main__.py
        for line, module in _imports(path):
            there = _app_package(module)
            if there is None or there == here:
                continue
            if _layer(there) > _layer(here) or (_layer(there) == _layer(here) and (here, there) not in PEERS):
                found.append(f"app/{relative}:{line} ({here}) imports {module} ({there})")
    return sorted(set(found))


def test_app_top_level_holds_only_entry_points_and_the_composition_root() -> None:
    loose = {p.name for p in APP.glob("*.py")} - TOP_LEVEL
    assert loose == set(), f"move these into a package named for what they are: {sorted(loose)}"
    packages = {p.name for p in APP.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == {name for layer in LAYERS for name in layer} - {"services"}


def test_imports_between_app_packages_point_one_way() -> None:
    assert layering_violations() == []


def test_the_layering_check_sees_an_upward_import(tmp_path: Path) -> None:
    """Control: a kernel module importing a counter module, inside a function, is caught."""
    (tmp_path / "kernel").mkdir()
    (tmp_path / "kernel" / "clock.py").write_text("def f():\n    from app.counter.flow import Step\n    return Step\n")
    (tmp_path / "counter").mkdir()
    (tmp_path / "counter" / "flow.py").write_text("from app.kernel.clock import f\n")
    assert layering_violations(tmp_path) == ["app/kernel/clock.py:2 (kernel) imports app.counter.flow (counter)"]


def test_central_uses_only_what_it_shares_with_the_counter() -> None:
    used = {
        f"central/{path.relative_to(REPO / 'central')}:{line} {module}"
        for path in _sources(REPO / "central")
        for line, module in _imports(path)
        if _app_package(module) not in CENTRAL_MAY_USE | {None}
    }
    assert used == set()


def _service_classes() -> set[str]:
    """The use-case services app/ defines (what app/services.py builds)."""
    names = set()
    for package in ("counter", "office", "reports", "sync"):
        for path in _sources(APP / package):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.ClassDef) and node.name.endswith(("Service", "Intake", "Customers")):
                    names.add(node.name)
    return names


def test_ui_builds_no_service() -> None:
    services = _service_classes()
    assert {"PurchaseService", "DraftService", "CustomerIntake"} <= services
    built = []
    for path in _sources(REPO / "ui"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in services:
                    built.append(f"{path.relative_to(REPO)}:{node.lineno} {name}(…)")
    assert built == [], "take it from app/services.py's Services instead"


@pytest.mark.parametrize("page", sorted(p.name for p in (REPO / "ui" / "pages").glob("*.py")))
def test_no_page_imports_another_page(page: str) -> None:
    """A page renders the open application's state and sends intents; it never holds another page."""
    path = REPO / "ui" / "pages" / page
    others = [
        module
        for _line, module in _imports(path)
        if module.startswith("ui.pages.") and module.split(".")[2] not in {"base", page.removesuffix(".py")}
    ]
    assert others == []
