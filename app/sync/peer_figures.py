"""The store's other counter PCs' report figures, as far as the lender has them: each sync asks for the days
whose figures changed since the last answer and replaces those days wholesale in peer_report_daily, with the
cursor in the same transaction, so an interrupted sync never leaves a day half old and half new."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete

from app.kernel.clock import utc_now
from app.storage.local_store import LocalStore
from app.storage.models import Meta, PeerReportDaily
from app.sync.client import CentralClient
from app.sync.meta_keys import PEER_FIGURES_CURSOR, PEERS_SYNCED_AT

DIMS = {"state", "product", "term", "reason", "flag"}
MAX_PAGES = 20  # a first sync of a long-running store comes in pages; the rest waits for the next sync


def _row(store_id: uuid.UUID, item: dict[str, Any]) -> PeerReportDaily | None:
    dim, key = str(item.get("dim", "")), str(item.get("key") or "")
    if dim == "code":  # the lender names reasons and flags alike; this PC knows which flags it raises
        from app.scoring.fraud import FLAG_CODES

        dim = "flag" if key in FLAG_CODES else "reason"
    if dim not in DIMS:
        return None
    staff = item.get("staff_id")
    return PeerReportDaily(
        store_id=store_id,
        dim=dim,
        day=dt.date.fromisoformat(str(item["day"])),
        staff_id=uuid.UUID(str(staff)).hex if staff else "",
        key=key[:40],
        n=int(item.get("n") or 0),
        financed_fen=int(item.get("financed_fen") or 0),
        financed_n=int(item.get("financed_n") or 0),
        ticket_fen=int(item.get("ticket_fen") or 0),
        ticket_n=int(item.get("ticket_n") or 0),
    )


def pull_peer_figures(
    store: LocalStore, store_id: uuid.UUID, client: CentralClient, clock: Callable[[], dt.datetime] = utc_now
) -> int:
    """Bring the sibling PCs' figures up to date; returns how many days were replaced. A server without the
    figures (an older one) changes nothing."""
    replaced = 0
    for _page in range(MAX_PAGES):
        with store.read() as session:
            meta = session.get(Meta, PEER_FIGURES_CURSOR)
            since = meta.value if meta else ""
        reply = client.store_figures(since)
        if reply.status_code != 200 or not isinstance(reply.body, dict):
            return replaced
        days = [dt.date.fromisoformat(str(d)) for d in reply.body.get("days") or []]
        merged: dict[tuple[str, dt.date, str, str], PeerReportDaily] = {}
        for item in reply.body.get("rows") or []:
            row = _row(store_id, item)
            if row is None:
                continue
            key = (row.dim, row.day, row.staff_id, row.key)
            if key in merged:  # two lender codes can map to one local row
                merged[key].n += row.n
            else:
                merged[key] = row
        cursor = str(reply.body.get("cursor") or since)
        with store.write() as session:
            for chunk in range(0, len(days), 500):
                session.execute(
                    delete(PeerReportDaily).where(
                        PeerReportDaily.store_id == store_id, PeerReportDaily.day.in_(days[chunk : chunk + 500])
                    )
                )
            session.add_all(merged.values())
            session.merge(Meta(key=PEER_FIGURES_CURSOR, value=cursor))
            session.merge(Meta(key=PEERS_SYNCED_AT, value=clock().isoformat()))
        replaced += len(days)
        if not days or cursor == since:
            return replaced
    return replaced
