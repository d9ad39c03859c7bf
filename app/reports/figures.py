"""Where a store report's figures come from: the daily figures the triggers keep (with the sibling PCs' as the
lender sent them), or — for tests and benchmarks — the naive GROUP BY over the base tables. Both answer the
same four questions, so the report built from either must be identical."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, SupportsInt

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.money import from_fen
from app.storage.types import stored_uuid

MIX_DIMS = ("product", "term", "reason", "flag")


@dataclass(frozen=True)
class Tally:
    """How many applications, and the fen sums of what they financed and what the customers bought."""

    n: int = 0
    financed_fen: int = 0
    financed_n: int = 0
    ticket_fen: int = 0
    ticket_n: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.n + other.n,
            self.financed_fen + other.financed_fen,
            self.financed_n + other.financed_n,
            self.ticket_fen + other.ticket_fen,
            self.ticket_n + other.ticket_n,
        )

    @property
    def financed_total(self) -> Decimal:
        """The amount financed, in yuan."""
        return from_fen(self.financed_fen)

    @property
    def average_financed(self) -> Decimal | None:
        """The average amount financed (to the fen, half up), None when nothing was financed."""
        return _average(self.financed_fen, self.financed_n)

    @property
    def average_ticket(self) -> Decimal | None:
        """The average purchase price, None without purchases."""
        return _average(self.ticket_fen, self.ticket_n)


def _average(total_fen: int, count: int) -> Decimal | None:
    if not count:
        return None
    # Integer division rounding half up, so no float ever touches money.
    return from_fen((2 * total_fen + count) // (2 * count))


def _tally(row: Sequence[SupportsInt | None]) -> Tally:
    return Tally(*(int(v or 0) for v in row))


@dataclass(frozen=True)
class Scope:
    """Which applications: one store, its local days start…end (inclusive), optionally one staff member's."""

    store_id: uuid.UUID
    start: dt.date
    end: dt.date
    staff_id: uuid.UUID | None = None


class FigureSource(Protocol):
    """The four questions a store report asks of its data."""

    def daily(self, session: Session, scope: Scope) -> dict[dt.date, int]:
        """Applications started per day (days without any are absent)."""
        ...

    def by_state_and_staff(self, session: Session, scope: Scope) -> dict[tuple[str, uuid.UUID | None], Tally]:
        """Figures per (state, staff member)."""
        ...

    def mixes(self, session: Session, scope: Scope) -> dict[tuple[str, str], Tally]:
        """Figures per (dimension, key) for the products, terms, decline reasons and fraud flags."""
        ...


def _staff(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(hex=value) if value else None


def _params(scope: Scope) -> dict[str, object]:
    return {
        "store": stored_uuid(scope.store_id),
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "staff": "" if scope.staff_id is None else stored_uuid(scope.staff_id),
        "one": scope.staff_id is not None,
    }


_STATE = "'state'"
_SUMS = "sum(n), sum(financed_fen), sum(financed_n), sum(ticket_fen), sum(ticket_n)"


class DailyFigures:
    """The figures the triggers keep in report_daily, plus (unless `peers` is False) the store's other PCs'
    figures in peer_report_daily: a few thousand rows even for two years."""

    def __init__(self, peers: bool = True) -> None:
        self.peers = peers

    def _rows(self, dims: str) -> str:
        where = (
            f"store_id = :store AND dim IN ({dims}) AND day BETWEEN :start AND :end AND (NOT :one OR staff_id = :staff)"
        )
        own = f"SELECT * FROM report_daily WHERE {where}"
        return f"({own} UNION ALL SELECT * FROM peer_report_daily WHERE {where})" if self.peers else f"({own})"

    def daily(self, session: Session, scope: Scope) -> dict[dt.date, int]:
        """Applications started per day, from the state rows."""
        rows = session.execute(
            text(f"SELECT day, sum(n) FROM {self._rows(_STATE)} GROUP BY day HAVING sum(n) != 0"), _params(scope)
        )
        return {dt.date.fromisoformat(str(day)): int(n) for day, n in rows}

    def by_state_and_staff(self, session: Session, scope: Scope) -> dict[tuple[str, uuid.UUID | None], Tally]:
        """Figures per (state, staff member), from the state rows."""
        rows = session.execute(
            text(f"SELECT key, staff_id, {_SUMS} FROM {self._rows(_STATE)} GROUP BY key, staff_id"), _params(scope)
        )
        return {(key, _staff(staff)): _tally(sums) for key, staff, *sums in rows if sums[0]}

    def mixes(self, session: Session, scope: Scope) -> dict[tuple[str, str], Tally]:
        """Figures per (dimension, key)."""
        dims = ", ".join(f"'{d}'" for d in MIX_DIMS)
        rows = session.execute(
            text(f"SELECT dim, key, {_SUMS} FROM {self._rows(dims)} GROUP BY dim, key"), _params(scope)
        )
        return {(dim, key): _tally(sums) for dim, key, *sums in rows if sums[0]}


_MIX_KEYS = (("product", "COALESCE(a.product_code, '')"), ("term", "COALESCE(CAST(a.requested_term AS TEXT), '')"))


class NaiveFigures:
    """The same figures by GROUP BY over applications, purchases and application_codes, row by row: the
    yardstick the daily figures are checked and timed against."""

    _FROM = (
        "FROM applications a LEFT JOIN purchases p ON p.application_id = a.id "
        "WHERE a.store_id = :store AND a.created_day BETWEEN :start AND :end "
        "AND (NOT :one OR COALESCE(a.staff_id, '') = :staff)"
    )
    _MONEY = "count(*), sum(a.principal), count(a.principal), sum(p.price), count(p.price)"

    def daily(self, session: Session, scope: Scope) -> dict[dt.date, int]:
        """Applications started per day."""
        rows = session.execute(
            text(f"SELECT a.created_day, count(*) {self._FROM} GROUP BY a.created_day"), _params(scope)
        )
        return {dt.date.fromisoformat(str(day)): int(n) for day, n in rows}

    def by_state_and_staff(self, session: Session, scope: Scope) -> dict[tuple[str, uuid.UUID | None], Tally]:
        """Figures per (state, staff member)."""
        rows = session.execute(
            text(f"SELECT a.state, a.staff_id, {self._MONEY} {self._FROM} GROUP BY a.state, a.staff_id"),
            _params(scope),
        )
        return {(state, _staff(staff)): _tally(sums) for state, staff, *sums in rows}

    def mixes(self, session: Session, scope: Scope) -> dict[tuple[str, str], Tally]:
        """Figures per (dimension, key)."""
        out: dict[tuple[str, str], Tally] = {}
        for dim, key in (
            ("product", "COALESCE(a.product_code, '')"),
            ("term", "COALESCE(CAST(a.requested_term AS TEXT), '')"),
        ):
            rows = session.execute(text(f"SELECT {key}, {self._MONEY} {self._FROM} GROUP BY 1"), _params(scope))
            out.update({(dim, k): _tally(sums) for k, *sums in rows})
        rows = session.execute(
            text(
                "SELECT c.kind, c.code, count(*) FROM application_codes c JOIN applications a "
                "ON a.id = c.application_id WHERE a.store_id = :store AND a.created_day BETWEEN :start AND :end "
                "AND (NOT :one OR COALESCE(a.staff_id, '') = :staff) GROUP BY c.kind, c.code"
            ),
            _params(scope),
        )
        out.update({(kind, code): Tally(int(n)) for kind, code, n in rows})
        return out
