"""Telling a keyboard-wedge scanner from a person: a scanner types a burst, keys a few milliseconds apart."""

from __future__ import annotations

from dataclasses import dataclass, field

# People type at most ~15 keys a second (≥ 60 ms apart); wedge scanners send a key every 1–20 ms.
BURST_GAP_MS = 35
MIN_BURST_LENGTH = 8


@dataclass
class BurstDetector:
    """Collects keys and decides, when they stop, whether they were a scanner's burst or a person's typing.

    Feed every printable key (and Enter as "\\n") with its time; `pending` holds keys not yet decided. A burst
    may span several lines (an MRZ scanner sends Enter between lines) as long as the keys keep coming fast.
    """

    gap_ms: float = BURST_GAP_MS
    min_length: int = MIN_BURST_LENGTH
    pending: list[str] = field(default_factory=list)
    _last_ms: float | None = None

    def feed(self, key: str, now_ms: float) -> tuple[str | None, list[str]]:
        """Add a key. Returns (burst text, []) when a burst just ended, (None, keys to hand back to the focused
        field) when a person's typing was held back, or (None, []) while undecided."""
        result: tuple[str | None, list[str]] = (None, [])
        if self._last_ms is not None and now_ms - self._last_ms > self.gap_ms and self.pending:
            result = self.decide()
        self.pending.append(key)
        self._last_ms = now_ms
        return result

    def due(self, now_ms: float) -> bool:
        """Whether the keys held so far have waited long enough to be decided."""
        return bool(self.pending) and self._last_ms is not None and now_ms - self._last_ms > self.gap_ms

    def decide(self) -> tuple[str | None, list[str]]:
        """End the current run: a burst (its text, without trailing Enters) or keys to hand back."""
        keys, self.pending, self._last_ms = self.pending, [], None
        text = "".join(keys)
        if len(text.replace("\n", "")) >= self.min_length:
            return text.strip("\n"), []
        return None, keys
