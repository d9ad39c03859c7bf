"""JSON that comes from outside the program before anything vouches for it (a file given to a command, a
signature document, the settings file), read with a bound on its nesting.

Python's json parser recurses once per level: 20,000 `[` raise RecursionError, which no "not valid JSON"
handler expects. Here the nesting is measured first, without recursion, and a document deeper than its
kind needs is refused with JsonTooDeep — a ValueError, so code that answers "cannot be read as JSON" for a
ValueError keeps answering that."""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32  # deeper than any document the counter reads; each caller may ask for less

# A string (its brackets are text) or one bracket. Strings are matched whole, escapes included.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class JsonTooDeep(ValueError):
    """The document nests arrays and objects deeper than allowed."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(f"nested deeper than {max_depth} levels")
        self.max_depth = max_depth


def deeper_than(text: str, max_depth: int) -> bool:
    """Do arrays and objects in `text` nest deeper than `max_depth` (brackets inside strings not counted)?
    Measured without recursion, and stopped at the first level too deep. For malformed text the answer may be
    either: the parser then says what is wrong with it."""
    if text.count("[") + text.count("{") <= max_depth:
        return False  # not enough brackets to go deeper
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return True
        elif token in "]}":
            depth = max(0, depth - 1)
    return False


def loads_bounded(data: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads of `data` (bytes in any encoding json.loads accepts) when it nests at most `max_depth` deep.

    Raises JsonTooDeep (a ValueError) when it nests deeper, and ValueError when it is not JSON — never
    RecursionError."""
    text = data.decode(json.detect_encoding(data), "surrogatepass") if isinstance(data, bytes) else data
    if deeper_than(text, max_depth):
        raise JsonTooDeep(max_depth)
    try:
        return json.loads(text)
    except RecursionError as exc:  # a bound above the interpreter's own limit
        raise JsonTooDeep(max_depth) from exc
