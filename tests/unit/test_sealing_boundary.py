"""Personal fields are sealed and unsealed in app/storage and nowhere else (DESIGN.md §4, §7): no module of app/
or ui/ outside app/storage (and app/security, which defines the cipher) reaches the field cipher — not through
`store.cipher`, not by importing FieldCipher or app.storage.sealing, not by calling the cipher's methods on
whatever it got hold of. Checked on the parsed source (ast), so a comment or a string cannot hide a call and a
variable holding the cipher cannot either. central/ has its own sealing and is not checked here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

ALLOWED = ("app/storage/", "app/security/")
FORBIDDEN_MODULES = ("app.security.field_crypto", "app.storage.sealing")
FORBIDDEN_ATTRIBUTES = frozenset({"cipher", "_cipher", "sealing", "_sealing", "key_check"})
# The field cipher's methods (app.security.field_crypto.FieldCipher): nothing outside storage calls them.
FORBIDDEN_CALLS = frozenset({"seal", "open_text", "blind_index", "derive_key"})


def _name_of(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def violations(source: str, filename: str = "<source>") -> list[str]:
    """Every place in `source` that reaches the field cipher, as "line: what"."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if isinstance(node, ast.ImportFrom):
                modules += [f"{node.module}.{a.name}" for a in node.names]
            found += [f"{line}: imports {m}" for m in modules if m in FORBIDDEN_MODULES]
            found += [f"{line}: imports {a.name}" for a in node.names if "cipher" in a.name.lower()]
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.Name) and "cipher" in node.id.lower():
            found.append(f"{line}: {node.id}")
        elif isinstance(node, ast.arg) and "cipher" in node.arg.lower():
            found.append(f"{line}: parameter {node.arg}")
        if not isinstance(node, ast.Call):
            continue
        called = _name_of(node.func)
        if isinstance(node.func, ast.Attribute) and called in FORBIDDEN_CALLS:
            found.append(f"{line}: .{called}()")
        # FieldCipher.open(table, column, row_id, sealed): a method `open` given a table and a column by name.
        texts = [a for a in node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if isinstance(node.func, ast.Attribute) and called == "open" and len(node.args) >= 4 and len(texts) == 2:
            found.append(f"{line}: .open({texts[0].value!r}, {texts[1].value!r}, ...)")
        # getattr(store, "cipher") and the like.
        if called == "getattr" and len(node.args) >= 2:
            target = node.args[1]
            if isinstance(target, ast.Constant) and target.value in FORBIDDEN_ATTRIBUTES | FORBIDDEN_CALLS:
                found.append(f"{line}: getattr(..., {target.value!r})")
    return found


def _checked_files() -> list[Path]:
    files = sorted((REPO / "app").rglob("*.py")) + sorted((REPO / "ui").rglob("*.py"))
    return [f for f in files if not f.relative_to(REPO).as_posix().startswith(ALLOWED)]


def test_nothing_outside_storage_reaches_the_field_cipher() -> None:
    """No module of app/ or ui/ outside app/storage and app/security touches the cipher or seals anything."""
    files = _checked_files()
    assert len(files) > 100  # the walk found the code (app/ and ui/), not an empty folder
    problems = [
        f"{path.relative_to(REPO)}:{v}"
        for path in files
        for v in violations(path.read_text(encoding="utf-8"), str(path))
    ]
    assert problems == [], "sealing belongs in app/storage (ask a repository for the value):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        "cipher = self.store.cipher\ncipher.seal('customers', 'name', row.id, name)",
        "name = store.cipher.open_text('customers', 'name', row.id, row.name_enc)",
        "index = repo.blind_index('phone', phone)",
        "key = self.store.cipher.derive_key('x')",
        "c = self.store.cipher",
        "from app.security.field_crypto import FieldCipher",
        "from app.security import field_crypto",
        "import app.storage.sealing",
        "from app.storage.sealing import Sealing",
        "def make(cipher):\n    return cipher",
        "plain = thing.open('attachments', 'content', row.id, row.content_enc)",
        "k = getattr(store, 'cipher')",
        "check = store.cipher.key_check",
        "sealed = self.customers.sealing.seal(Customer.name_enc, cid, name)",
    ],
)
def test_the_check_catches(source: str) -> None:
    """Control: each way of reaching the cipher is caught, so the test above can fail."""
    assert violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "name = self.customers.name_of(customer)",
        "with path.open('rb') as f:\n    pass",
        "img = Image.open(io.BytesIO(data))",
        "self._shared_key_checked = now",
        "from app.storage.repositories import CustomerRepository",
    ],
)
def test_the_check_lets_ordinary_code_pass(source: str) -> None:
    """Control: asking a repository, opening a file or an image, is not reaching the cipher."""
    assert violations(source) == []
