"""The reference server's API in this process, for the counter's client: a FastAPI TestClient on a real
database (SQLite or PostgreSQL) stands in for the HTTP session a CentralClient sends through, so the counter's own
client, sender and services talk to the real routes without starting a server process. Every request is
counted by method and route, for tests of how many requests the counter makes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

BASE = "http://127.0.0.1:8"  # an address the counter's client accepts (plain http on this PC); never dialled


class InProcessHttp:
    """What CentralClient needs of a requests.Session (`request`), answered by the app in process."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.requests: Counter[tuple[str, str]] = Counter()
        self.down = False  # True: every request fails as if the server could not be reached

    def request(self, method: str, url: str, timeout: object = None, data: bytes | None = None, **kwargs: Any):
        import requests

        if self.down:
            raise requests.ConnectionError("the test took the server down")
        path = urlsplit(url).path
        document = method == "PUT" and path.startswith("/v1/attachments/")  # counted together, not by hash
        self.requests[(method, "/v1/attachments" if document else path)] += 1
        if data is not None:
            kwargs["content"] = data
        return self.client.request(method, path, **kwargs)


@contextmanager
def lender_in_process(db: str, data_dir: Path) -> Iterator[SimpleNamespace]:
    """The API on `db` with its development SMS provider writing to `data_dir`: yields `app`, `factory`, `client`
    (the TestClient) and `http` (an InProcessHttp on it)."""
    from central.api import create_app
    from central.sms import DevelopmentSms

    app = create_app(db)
    app.state.sms = DevelopmentSms(data_dir)
    with TestClient(app) as client:
        yield SimpleNamespace(app=app, factory=app.state.factory, client=client, http=InProcessHttp(client))
    app.state.factory.kw["bind"].dispose()


def counter_of(world: SimpleNamespace, services: Any, store: str = "S001") -> Any:
    """Activate this counter PC (`services`) with the lender in process as store `store`: the device token goes
    to its secret store. Returns a function making a CentralClient that talks to the lender in process."""
    from app.sync.client import TOKEN, CentralClient
    from central.devices import activate, add_store
    from tests.support.lender import give_roster

    code = add_store(world.factory, store, "BJ")
    give_roster(world.factory, store)
    services.secrets.set(TOKEN, activate(world.factory, store, code).token.encode())

    def connect(settings: Any = None) -> CentralClient:
        client = CentralClient(BASE, settings or services.settings, services.secrets)
        client.http = world.http
        return client

    return connect
