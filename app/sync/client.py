"""The HTTP client for the central API: every request has connect and read timeouts, TLS is always verified
(the system's certificates, or the CA bundle from the settings), a proxy from the settings is honoured, and the
device token comes from the SecretStore — never from a file or a log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests

from app.kernel.errors import InvalidInput, Unavailable
from app.kernel.i18n import _
from app.kernel.server_url import check_server_url
from app.kernel.settings import Settings
from app.security.secret_store import SecretStore

if TYPE_CHECKING:  # the models are imported by their users; Pydantic stays out of the counter's first paint
    from pydantic import BaseModel

    from app.wire.activation import ActivationAnswer
    from app.wire.applications import Batch, CancellationRequest, ConsentWithdrawal
    from app.wire.evidence import CardCheckRequest, CodeEntry, CodeRequest, HashQuery
    from app.wire.exchange import HealthReport

TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
TOKEN = "central-device-token"


class NotActivated(Unavailable):
    code = "device_not_activated"


class ServerUnreachable(Unavailable):
    code = "server_unreachable"


@dataclass(frozen=True)
class Reply:
    status_code: int
    body: Any
    retry_after: float | None


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: treated as "not given"; the backoff still applies


def _json(body: BaseModel) -> Any:
    """A wire model as the JSON the lender's API declares for it."""
    return body.model_dump(mode="json")


def connect(settings: Settings, secrets: SecretStore) -> CentralClient | None:
    """A client for the server in `settings` when this PC has one and its device token; None otherwise. Raises
    Unavailable (insecure_server_url) for an address check_server_url refuses."""
    if not settings.server_url or secrets.get(TOKEN) is None:
        return None
    return CentralClient(settings.server_url, settings, secrets)


class CentralClient:
    """Requests to one central server on behalf of this device."""

    def __init__(self, base_url: str, settings: Settings, secrets: SecretStore) -> None:
        """Raises Unavailable (insecure_server_url) for an address check_server_url refuses: nothing is sent."""
        self.base_url = check_server_url(base_url).rstrip("/")
        self.secrets = secrets
        self.http = requests.Session()
        self.http.verify = settings.ca_bundle or True  # never False
        if settings.proxy_url:
            self.http.proxies = {"http": settings.proxy_url, "https": settings.proxy_url}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        token = self.secrets.get(TOKEN)
        if not token:
            raise NotActivated(_("This PC is not activated with the central server yet (fenqi device activate)."))
        return {"Authorization": f"Bearer {token.decode()}", **(extra or {})}

    def _send(self, method: str, path: str, **kwargs: Any) -> Reply:
        try:
            response = self.http.request(method, f"{self.base_url}{path}", timeout=TIMEOUT, **kwargs)
        except requests.RequestException as exc:
            raise ServerUnreachable(
                _("The central server cannot be reached: {reason}").format(reason=type(exc).__name__)
            ) from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        return Reply(response.status_code, body, _retry_after(response))

    def activate(self, store: str, code: str) -> ActivationAnswer:
        """Activate this PC for `store` with its one-time code: the lender's answer (the device id and the store's
        record); the token goes to the SecretStore. Raises InvalidInput (bad_activation_input) for a store code or
        activation code the lender never gives, and Unavailable: activation_refused (a wrong or used code, an
        answer that does not read), roster_empty (the lender has no staff roster for the store yet; the code
        stays unused), server_unreachable. Nothing is kept then."""
        from pydantic import ValidationError

        from app.wire.activation import ActivationAnswer, ActivationRequest

        try:
            request = ActivationRequest(store=store, code=code)
        except ValidationError as exc:
            raise InvalidInput(
                _("The store code or the activation code is not one the lender gives; check what was typed."),
                code="bad_activation_input",
            ) from exc
        reply = self._send("POST", "/v1/devices/activate", json=request.model_dump(mode="json"))
        error = (reply.body or {}).get("error", {}) if isinstance(reply.body, dict) else {}
        if reply.status_code == 409 and error.get("code") == "roster_empty":
            raise Unavailable(
                _(
                    "The lender has no staff roster for store {store} yet, so nobody could sign in here. Ask the "
                    "lender to add the store's staff, then activate again with the same code."
                ).format(store=store),
                code="roster_empty",
            )
        if reply.status_code != 201:
            message = error.get("message", str(reply.status_code))
            raise Unavailable(_("Activation was refused: {reason}").format(reason=message), code="activation_refused")
        try:
            answer = ActivationAnswer.model_validate(reply.body)
        except ValidationError as exc:
            raise Unavailable(
                _("Activation was refused: {reason}").format(reason=_("the central server's answer does not read.")),
                code="activation_refused",
            ) from exc
        self.secrets.set(TOKEN, answer.token.encode())
        return answer

    def put_batch(self, batch: Batch) -> Reply:
        """Send several submissions; each is judged on its own (see the reply's `results`)."""
        return self._send("POST", "/v1/applications/batch", json=_json(batch), headers=self._headers())

    def withdrawal(self, key: str, body: ConsentWithdrawal) -> Reply:
        """Report a customer's withdrawal of a consent (idempotent by its key)."""
        return self._send(
            "POST", "/v1/consent-withdrawals", json=_json(body), headers=self._headers({"Idempotency-Key": key})
        )

    def decisions(self, since: int) -> Reply:
        """Decisions for this store after cursor `since`."""
        return self._send("GET", "/v1/decisions", params={"since": since}, headers=self._headers())

    def store_figures(self, since: str) -> Reply:
        """The report figures of this store's other PCs for the days changed after cursor `since`."""
        return self._send("GET", "/v1/store/figures", params={"since": since}, headers=self._headers())

    def heartbeat(self, report: HealthReport) -> Reply:
        """Report sync health and the audit head; the reply carries velocity counts, roster version, downloads."""
        return self._send("POST", "/v1/devices/heartbeat", json=_json(report), headers=self._headers())

    def roster(self) -> Reply:
        """The store's staff roster as the lender keeps it."""
        return self._send("GET", "/v1/roster", headers=self._headers())

    def download(self, kind: str) -> Reply:
        """A published file of `kind` with its detached signature (both base64); verify before use."""
        return self._send("GET", f"/v1/downloads/{kind}", headers=self._headers())

    def put_attachment(self, sha256: str, content: bytes, media_type: str) -> Reply:
        """Store a document under its SHA-256 (idempotent)."""
        return self._send(
            "PUT", f"/v1/attachments/{sha256}", data=content, headers=self._headers({"Content-Type": media_type})
        )

    def missing_attachments(self, query: HashQuery) -> Reply:
        """Which of these documents (by SHA-256) the lender does not hold yet (`MissingDocuments`)."""
        return self._send("POST", "/v1/attachments/missing", json=_json(query), headers=self._headers())

    def send_code(self, application_id: str, body: CodeRequest) -> Reply:
        """Have the lender text a one-time code to the applicant's mobile (202 `CodeSent`)."""
        return self._send(
            "POST", f"/v1/applications/{application_id}/confirmation-code", json=_json(body), headers=self._headers()
        )

    def confirm_code(self, application_id: str, body: CodeEntry) -> Reply:
        """The code the customer typed, to confirm the signing (200 `Confirmed`)."""
        return self._send(
            "POST", f"/v1/applications/{application_id}/confirmation", json=_json(body), headers=self._headers()
        )

    def check_card(self, application_id: str, body: CardCheckRequest) -> Reply:
        """Have the lender check the repayment card's four elements with the bank (200 `CardChecked`)."""
        return self._send(
            "POST", f"/v1/applications/{application_id}/card-check", json=_json(body), headers=self._headers()
        )

    def cancel(self, application_id: str, key: str, body: CancellationRequest) -> Reply:
        """Ask the lender to cancel an application (idempotent by its key)."""
        return self._send(
            "POST",
            f"/v1/applications/{application_id}/cancellation",
            json=_json(body),
            headers=self._headers({"Idempotency-Key": key}),
        )

    def sign_in(self, username: str, password: str) -> Reply:
        """A person's sign-in (reviewer or regional manager): the reply holds a short-lived token."""
        return self._send("POST", "/v1/sessions", json={"username": username, "password": password})

    def region_report(self, token: str, start: dt.date, end: dt.date) -> Reply:
        """The regional report for days start…end, read with a central account's session token."""
        return self._send(
            "GET",
            "/v1/reports/region",
            params={"from": start.isoformat(), "to": end.isoformat()},
            headers={"Authorization": f"Bearer {token}"},
        )

    def status(self, application_id: str) -> Reply:
        """Where an application stands on the server (to reconcile a send that was never acknowledged)."""
        return self._send("GET", f"/v1/applications/{application_id}", headers=self._headers())
