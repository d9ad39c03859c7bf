"""The regional report: the stores of a regional manager's region side by side, read from the central server
with the manager's own account (the server decides which stores they see), and kept in the local store with
its "as of" time so it opens when the network is down. The central session belongs to the person signed in at
the counter when it was made: nobody else at this PC reads the region with it, nor its saved copies."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.domain.actor import Actor
from app.kernel.clock import utc_now
from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _
from app.kernel.settings import Settings
from app.reports.period import Period
from app.security.secret_store import SecretStore
from app.storage.local_store import LocalStore
from app.storage.models import RegionReportCache

SESSION = "central-session"  # the central account's session in the SecretStore (never in a file or a log)


class NotSignedIn(InvalidInput):
    code = "not_signed_in"


class RegionRefused(InvalidInput):
    code = "region_refused"


@dataclass(frozen=True)
class CentralSession:
    """A regional manager's (or reviewer's) signed-in session with one central server."""

    server: str
    username: str
    role: str
    region: str
    token: str
    expires_at: dt.datetime
    owner: str = ""  # the audit name of the person at the counter who signed in

    def as_json(self) -> dict[str, Any]:
        """Who is signed in, until when (the token itself is never printed)."""
        return {
            "username": self.username,
            "role": self.role,
            "region": self.region,
            "expires_at": self.expires_at.isoformat(),
        }


def _parse_time(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class RegionStore:
    """One store's row of the regional report, read from the server's JSON."""

    raw: dict[str, Any]

    @property
    def code(self) -> str:
        """The store's code."""
        return str(self.raw.get("store", ""))

    @property
    def applications(self) -> int:
        """Applications the lender received in the period."""
        return int(self.raw.get("applications") or 0)

    @property
    def approval_rate(self) -> Decimal | None:
        """Approved share of the decided, in percent."""
        rate = self.raw.get("approval_rate")
        return None if rate is None else Decimal(str(rate))

    def money(self, key: str) -> Decimal | None:
        """A money figure (financed_total, average_financed, average_ticket) in yuan."""
        value = self.raw.get(key)
        return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class RegionReport:
    """The regional report as the server gave it, with when it was read and whether it came from the copy."""

    body: dict[str, Any]
    as_of: dt.datetime
    from_cache: bool

    @property
    def stores(self) -> list[RegionStore]:
        """The region's stores, in the server's order."""
        return [RegionStore(s) for s in self.body.get("stores") or []]

    @property
    def totals(self) -> RegionStore:
        """The whole region's figures."""
        return RegionStore(dict(self.body.get("totals") or {}, store=self.body.get("region", "")))

    def as_json(self) -> dict[str, Any]:
        """The report as `fenqi report region --json` prints it: the server's figures plus where they came from."""
        return {**self.body, "as_of": self.as_of.isoformat(), "from_cache": self.from_cache}


class RegionReportService:
    """Signs regional managers in to the central server and reads (or, offline, recalls) their report."""

    def __init__(
        self,
        store: LocalStore,
        secrets: SecretStore,
        settings: Callable[[], Settings],
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.store = store
        self.secrets = secrets
        self.settings = settings
        self.clock = clock

    def _client(self, server: str) -> Any:
        from app.sync.client import CentralClient

        return CentralClient(server, self.settings(), self.secrets)

    def sign_in(self, actor: Actor, server: str, username: str, password: str) -> CentralSession:
        """Sign in with a central account for `actor` (the person at the counter) and keep the session until it
        expires, replacing any earlier one. Refused sign-ins raise InvalidInput (sign_in_refused) and keep any
        earlier session."""
        reply = self._client(server).sign_in(username, password)
        body = reply.body if isinstance(reply.body, dict) else {}
        if reply.status_code != 201:
            message = (body.get("error") or {}).get("message") or str(reply.status_code)
            raise InvalidInput(_("Sign-in refused: {reason}").format(reason=message), code="sign_in_refused")
        session = CentralSession(
            server=server,
            username=str(body["username"]),
            role=str(body["role"]),
            region=str(body["region"]),
            token=str(body["token"]),
            expires_at=_parse_time(str(body["expires_at"])),
            owner=actor.audit_name,
        )
        kept = {**session.as_json(), "token": session.token, "server": server, "owner": session.owner}
        self.secrets.set(SESSION, json.dumps(kept).encode())
        return session

    def session(self, actor: Actor) -> CentralSession | None:
        """`actor`'s kept session, expired or not; None when they have not signed in on this PC (or someone
        else did since)."""
        raw = self.secrets.get(SESSION)
        if not raw:
            return None
        data = json.loads(raw.decode())
        if data.get("owner") != actor.audit_name:
            return None
        return CentralSession(
            data["server"],
            data["username"],
            data["role"],
            data["region"],
            data["token"],
            _parse_time(data["expires_at"]),
            data["owner"],
        )

    def sign_out(self, actor: Actor) -> None:
        """Forget `actor`'s session (the saved reports stay: they hold store figures only, and only a new
        sign-in with the same central account reads them)."""
        if self.session(actor) is not None:
            self.secrets.delete(SESSION)

    def report(self, actor: Actor, period: Period, *, offline_ok: bool = True) -> RegionReport:
        """The region's report for `period` with `actor`'s central session. Read from the server when it
        answers; when it cannot be reached (or the session has expired) and `offline_ok`, the last copy of the
        same period with its "as of" time.
        Raises NotSignedIn without a session, RegionRefused when the server refuses the account, and
        Unavailable when neither the server nor a copy can answer."""
        session = self.session(actor)
        if session is None:
            raise NotSignedIn(_("Sign in with your central account first (fenqi login --server URL)."))
        from app.sync.client import ServerUnreachable

        expired = session.expires_at <= self.clock()
        try:
            if expired:
                raise NotSignedIn(_("Your central sign-in has expired: sign in again."))
            reply = self._client(session.server).region_report(session.token, period.start, period.end)
        except (ServerUnreachable, NotSignedIn) as exc:
            cached = self.cached(session.username, period) if offline_ok else None
            if cached is not None:
                return cached
            if isinstance(exc, NotSignedIn):
                raise
            raise offline_error() from exc
        body = reply.body if isinstance(reply.body, dict) else {}
        if reply.status_code == 401:
            raise NotSignedIn(_("Your central sign-in has expired: sign in again."))
        if reply.status_code != 200:
            message = (body.get("error") or {}).get("message") or str(reply.status_code)
            raise RegionRefused(_("The central server refused the regional report: {reason}").format(reason=message))
        now = self.clock()
        with self.store.write() as db:
            db.merge(
                RegionReportCache(
                    account=session.username,
                    from_day=period.start,
                    to_day=period.end,
                    body=json.dumps(body, ensure_ascii=False, sort_keys=True),
                    as_of=now,
                )
            )
        return RegionReport(body, now, from_cache=False)

    def cached(self, username: str, period: Period) -> RegionReport | None:
        """The last copy of this account's report for exactly `period`, or None."""
        with self.store.read() as db:
            row = db.scalar(
                select(RegionReportCache).where(
                    RegionReportCache.account == username,
                    RegionReportCache.from_day == period.start,
                    RegionReportCache.to_day == period.end,
                )
            )
            if row is None:
                return None
            return RegionReport(json.loads(row.body), row.as_of, from_cache=True)


def offline_error() -> Unavailable:
    """What to say when the server cannot be reached and no copy of the period exists."""
    return Unavailable(
        _("The central server cannot be reached and this period's regional report was never opened on this PC."),
        code="region_offline",
    )
