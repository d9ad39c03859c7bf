"""How commands print: the JSON contract with --json, a readable table in the configured language without."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from app.kernel.errors import FenqiError


def emit_json(value: Any) -> None:
    """Print `value` as JSON (UTF-8, not ASCII-escaped) on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def emit_table(rows: Sequence[tuple[str, Any]], title: str | None = None) -> None:
    """Print label/value rows aligned in two columns."""
    if title:
        sys.stdout.write(title + "\n")
    width = max((_width(label) for label, _ in rows), default=0)
    for label, value in rows:
        sys.stdout.write(f"  {label}{' ' * (width - _width(label))}  {value}\n")


def emit_error(error: FenqiError, as_json: bool) -> int:
    """Report `error` in the requested form; returns its exit status."""
    if as_json:
        emit_json(error.as_json())
    else:
        sys.stderr.write(f"{error.message}\n")
    return error.exit_status
