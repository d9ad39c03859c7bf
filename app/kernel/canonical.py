"""Canonical JSON for hashes, digests and signatures: sorted keys, compact separators, UTF-8."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    """The one byte form of `value` used wherever JSON is hashed or signed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
