"""Limits of the wire contract that the counter checks where a person types (no Pydantic here: these are read
before the first paint)."""

from __future__ import annotations

MAX_REASON = 500  # characters of a cancellation's or a review's reason
