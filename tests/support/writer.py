"""A separate process that files applications one transaction at a time and reports each commit.

Used by the kill -9 test: it prints `<reference> <id number>` only after the commit returned.
"""

from __future__ import annotations

import sys

from app.domain.application import ApplicationState
from app.kernel.clock import utc_now
from app.services import build_services
from app.storage.repositories import ApplicationRepository, CustomerRepository
from tests.support.fixtures import known_customers


def main() -> None:
    services = build_services()
    customers = CustomerRepository(services.store.cipher)
    applications = ApplicationRepository()
    print("ready", flush=True)
    for person in known_customers(5000, tag=int(sys.argv[1]) if len(sys.argv) > 1 else 0):
        with services.store.write() as session:
            now = utc_now()
            app = applications.create_draft(session, services.current_store(session), None, "writer", now)
            app.customer_id = customers.save(session, person, now)
            applications.transition(session, app.id, ApplicationState.PRESCREENED, "writer", now)
            reference = app.reference
        print(reference, person.id_number, flush=True)


if __name__ == "__main__":
    main()
