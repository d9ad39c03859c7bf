"""`fenqi demo-data`: realistic, valid, encrypted applications spread over two years."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from sqlalchemy import func, select

from app.cli import main
from app.demo import data as demo_data
from app.domain.application import ApplicationState
from app.domain.identity import parse_resident_id
from app.domain.phone import normalize_mobile
from app.domain.reference import parse_reference
from app.kernel.clock import utc_now
from app.storage.models import Application, Consent, Customer, Purchase
from app.storage.repositories import CustomerRepository
from app.storage.stores import staff_ids
from tests.support.fixtures import newest_schema_revision


def _generate(services, count: int, **kwargs):
    with services.store.read() as session:
        store = services.current_store(session)
        staff = staff_ids(session, store)
    return demo_data.generate(services.store, store, staff, count, utc_now(), **kwargs)


def test_demo_applications_are_valid_and_spread(services) -> None:
    """1,200 applications: valid IDs and phones that decrypt, unique references, many states, two years."""
    result = _generate(services, 1200, seed=42, batch_size=500)
    assert result.applications == 1200
    repo = CustomerRepository(services.store.cipher)
    with services.store.read() as session:
        apps = session.scalars(select(Application)).all()
        customers = session.scalars(select(Customer)).all()
        assert session.scalar(select(func.count()).select_from(Purchase)) == result.purchases
        assert session.scalar(select(func.count()).select_from(Consent)) == result.consents
    assert len(customers) == result.customers and result.customers < result.applications  # some return
    assert len({a.reference for a in apps}) == 1200
    for a in apps:
        parse_reference(a.reference)
        assert a.principal is not None and a.principal > 0
    states = Counter(a.state for a in apps)
    assert len(states) >= 8 and states["delivered"] > states["signed"]
    now = utc_now()
    ages = [(now - a.created_at).days for a in apps]
    assert min(ages) <= 7 and 600 <= max(ages) <= 731
    for row in customers[:200]:
        person = repo.to_details(row)
        resident = parse_resident_id(person.id_number)
        age = resident.age_on(dt.date.today())
        assert 18 <= age <= 63
        assert normalize_mobile(person.phone) == person.phone
        assert 2 <= len(person.name) <= 3


def test_every_application_in_the_chosen_state(services) -> None:
    """--state puts all demo applications in one state."""
    _generate(services, 150, state=ApplicationState.APPROVED, seed=1)
    with services.store.read() as session:
        assert set(session.scalars(select(Application.state))) == {"approved"}


def test_second_run_continues_references_and_customers(services) -> None:
    """Running twice never repeats a reference or an ID number (counters and indexes are respected)."""
    _generate(services, 300, seed=5, days=3)
    _generate(services, 300, seed=5, days=3)
    with services.store.read() as session:
        assert session.scalar(select(func.count(func.distinct(Application.reference)))) == 600
        assert session.scalar(select(func.count(func.distinct(Customer.id_number_bi)))) == session.scalar(
            select(func.count()).select_from(Customer)
        )


def test_same_seed_gives_same_people(fenqi_home, tmp_path, monkeypatch) -> None:
    """A seed makes the data repeatable: two stores filled with the same seed hold the same people."""
    from app.services import build_services

    names = []
    for sub in ("a", "b"):
        monkeypatch.setenv("FENQI_HOME", str(tmp_path / sub))
        services = build_services()
        try:
            _generate(services, 40, seed=9, days=30)
            repo = CustomerRepository(services.store.cipher)
            with services.store.read() as session:
                names.append(sorted(repo.to_details(c).name for c in session.scalars(select(Customer))))
        finally:
            services.close()
    assert names[0] == names[1] and names[0]


def test_cli_demo_data_json(capsys) -> None:
    """`fenqi demo-data --count 25 --json` prints the counts; bad input exits 1 with an error code."""
    assert main(["demo-data", "--count", "25", "--seed", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["applications"] == 25 and out["store"] == "S001"
    assert main(["demo-data", "--count", "5", "--state", "paid", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "bad_state"
    assert main(["demo-data", "--count", "-1", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "bad_count"
    assert main(["store", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["applications"] == 25 and info["schema_revision"] == newest_schema_revision()
