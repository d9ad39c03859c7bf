"""The pre-screen's rules and flags at and just past each boundary, the decision they lead to, the local
history it reads (velocity, shared phones, open credit, staff), the blacklist, and the `fenqi prescreen` JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest

from app.domain.application import ApplicationState
from app.domain.catalog import load_catalog
from app.domain.customer import CustomerDetails
from app.domain.identity import make_resident_id
from app.kernel.clock import utc_now
from app.scoring.request import Applicant, PrescreenRequest, PurchaseRequest, parse_request
from app.storage.repositories import ApplicationRepository, CustomerRepository

DAY = dt.date(2026, 11, 29)
ID = make_resident_id("110105", dt.date(1980, 1, 1), 2)
GOOD = PrescreenRequest(
    application_date=DAY,
    applicant=Applicant(
        id_number=ID,
        name="王芳",
        phone="13812345678",
        monthly_income=Decimal("9000"),
        monthly_expenses=Decimal("2500"),
        assets=Decimal("60000"),
        monthly_debt_payments=Decimal("800"),
        overdue_records=0,
        job="employee",
        home="own",
        years_at_job=6,
        id_valid_until=dt.date(2035, 1, 1),
    ),
    purchase=PurchaseRequest("GOODS", Decimal("4999"), Decimal("1000"), 12),
    application_time=dt.time(14, 30),
)


@pytest.fixture
def screen(signed_files, services):
    """A pre-screen on a fresh store with the (signed copy of the) demo blacklist loaded."""
    services.prescreen.blacklist.import_file(signed_files.blacklist, signed_files.settings)
    catalog = load_catalog(signed_files.settings)

    def run(request: PrescreenRequest = GOOD, **applicant: object):
        if applicant:
            request = dataclasses.replace(request, applicant=dataclasses.replace(request.applicant, **applicant))
        return services.prescreen.prescreen(request, catalog)

    return run


def _codes(result) -> tuple[set[str], set[str]]:
    return {f.code for f in result.reasons}, {f.code for f in result.flags}


def _born(years_ago: int, days: int = 0) -> str:
    birth = DAY.replace(year=DAY.year - years_ago) + dt.timedelta(days=days)
    return make_resident_id("110105", birth, 3)


def _file(services, id_number: str, phone: str, state=ApplicationState.DRAFT, principal: str | None = None, when=None):
    with services.store.write() as session:
        now = when or utc_now()
        app = ApplicationRepository().create_draft(session, services.current_store(session), None, "t", now)
        app.customer_id = CustomerRepository(services.store.cipher).save(
            session, CustomerDetails(name="测试", id_number=id_number, phone=phone), now
        )
        app.principal = Decimal(principal) if principal else None
        app.state = state.value


def test_a_good_application_is_approved_with_no_reasons(screen) -> None:
    result = screen()
    assert result.decision == "approve" and result.reasons == [] and result.flags == []
    assert 0 < result.pd < 0.2 and result.model_version.startswith("fenqi-scorecard")


@pytest.mark.parametrize(
    ("id_number", "declined"),
    [
        (_born(18), False),  # 18th birthday today
        (_born(18, days=1), True),  # 18 tomorrow: 17 today
        (_born(60, days=1), False),  # 61st birthday tomorrow: still 60
        (_born(61), True),  # 61 today
    ],
)
def test_age_is_18_to_60_on_the_application_date(screen, id_number: str, declined: bool) -> None:
    result = screen(id_number=id_number)
    assert ("age_out_of_range" in _codes(result)[0]) is declined
    if declined:
        assert result.decision == "decline" and "18 to 60" in result.reasons[0].text


def test_the_id_card_must_not_have_expired(screen) -> None:
    assert "id_expired" not in _codes(screen(id_valid_until=DAY))[0]
    result = screen(id_valid_until=DAY - dt.timedelta(days=1))
    assert "id_expired" in _codes(result)[0] and result.decision == "decline"
    assert "id_validity_unknown" in _codes(screen(id_valid_until=None))[1]
    assert "id_validity_unknown" not in _codes(screen(id_valid_until=None, id_long_term=True))[1]


def test_income_must_be_positive_and_carry_the_repayments(screen, signed_files) -> None:
    """No income declines; debt service exactly at 50 % passes, one fen more declines."""
    assert "no_income" in _codes(screen(monthly_income=Decimal(0)))[0]
    what = GOOD.purchase
    schedule = load_catalog(signed_files.settings).quote(what.product, what.price, what.down_payment, what.term, DAY)
    income = Decimal("4000.00")
    at_limit = income / 2 - schedule.max_payment
    assert "debt_service_too_high" not in _codes(screen(monthly_income=income, monthly_debt_payments=at_limit))[0]
    over = screen(monthly_income=income, monthly_debt_payments=at_limit + Decimal("0.01"))
    assert "debt_service_too_high" in _codes(over)[0] and "at most 50 percent" in over.reasons[0].text


def test_the_product_limits_apply(screen) -> None:
    """A term the product does not offer, or an amount above its maximum, declines with the catalog's words."""
    result = screen(dataclasses.replace(GOOD, purchase=dataclasses.replace(GOOD.purchase, term=7)))
    assert "product_limits" in _codes(result)[0] and "not 7" in result.reasons[0].text
    big = dataclasses.replace(GOOD.purchase, price=Decimal("900000"), down_payment=Decimal("100000"))
    assert "product_limits" in _codes(screen(dataclasses.replace(GOOD, purchase=big)))[0]


def test_unsecured_credit_is_capped_at_200000_on_what_this_counter_knows(screen, services) -> None:
    """Open credit 196,001 + 3,999 financed = 200,000 passes; 0.01 more declines; declined ones do not count."""
    _file(services, ID, "13812345678", ApplicationState.APPROVED, "196001.00")
    _file(services, ID, "13812345678", ApplicationState.DECLINED, "50000.00")
    assert "unsecured_credit_cap" not in _codes(screen())[0]
    _file(services, ID, "13812345678", ApplicationState.DELIVERED, "0.01")
    result = screen()
    assert _codes(result)[0] == {"unsecured_credit_cap"} and "200,000.00" in result.reasons[0].text


def test_blacklisted_phone_and_id_are_declined(screen) -> None:
    """The demo blacklist's phone and ID number decline, each with its own reason."""
    phone = screen(phone="139 0000 1111")
    assert phone.decision == "decline" and _codes(phone)[0] == {"blacklisted_phone"}
    assert phone.reasons[0].text == "The phone number is on the lender's blacklist."
    assert "blacklisted_id" in _codes(screen(id_number="110101199003074477"))[0]


def test_without_a_blacklist_the_counter_refers(signed_files, services) -> None:
    """No blacklist loaded (a store build before its first sync): every application is referred, and says why."""
    result = services.prescreen.prescreen(GOOD, load_catalog(signed_files.settings))
    assert result.decision == "refer" and "blacklist_unavailable" in _codes(result)[1]


def test_typed_birth_date_and_sex_must_match_the_id(screen) -> None:
    assert _codes(screen(birth_date=dt.date(1980, 1, 1), sex="F"))[1] == set()
    flags = _codes(screen(birth_date=dt.date(1980, 1, 2), sex="M"))[1]
    assert flags == {"birth_date_mismatch", "sex_mismatch"}


def test_velocity_flags_the_third_application_within_the_window(screen, services) -> None:
    """Two earlier applications with this ID (this one makes three) flag; one does not; older ones do not count."""
    _file(services, ID, "13812345678", when=utc_now() - dt.timedelta(days=45))
    _file(services, ID, "13812345678")
    assert "id_velocity" not in _codes(screen())[1]
    _file(services, ID, "13812345678")
    result = screen()
    assert {"id_velocity", "phone_velocity"} <= _codes(result)[1] and result.decision == "refer"
    assert "3 applications" in next(f.text for f in result.flags if f.code == "id_velocity")


def test_a_phone_used_by_three_different_ids_is_referred(screen, services) -> None:
    """Two other people gave this phone number: refer, naming the count."""
    for seq in (11, 12):
        _file(services, make_resident_id("310104", dt.date(1985, 5, 5), seq), "13812345678")
    result = screen()
    assert result.decision == "refer" and "phone_shared" in _codes(result)[1]
    assert "2 other ID number" in next(f.text for f in result.flags if f.code == "phone_shared")


@pytest.mark.parametrize(("at", "flagged"), [("07:59", True), ("08:00", False), ("21:59", False), ("22:00", True)])
def test_opening_hours(screen, services, at: str, flagged: bool) -> None:
    services.settings_service._settings = dataclasses.replace(services.settings, opening_hours="08:00-22:00")
    request = dataclasses.replace(GOOD, application_time=dt.time.fromisoformat(at))
    assert ("outside_opening_hours" in _codes(screen(request))[1]) is flagged


def test_a_staff_member_applying_for_themself_is_flagged(screen, services) -> None:
    """The demo sales consultant's own phone number as the applicant's."""
    from sqlalchemy import select

    from app.storage.models import Staff

    with services.store.read() as session:
        row = session.scalar(select(Staff).where(Staff.login == "sales01"))
        phone = services.store.cipher.open_text("staff", "phone", row.id, row.phone_enc)
    request = dataclasses.replace(GOOD, staff="sales01")
    assert "staff_applicant" not in _codes(screen(request))[1]
    assert "staff_applicant" in _codes(screen(request, phone=phone))[1]


def test_a_low_score_declines_with_the_scorecards_reasons(screen) -> None:
    """Thin file: no time at the job, overdue records, part-time, nothing down, long term → declined, with up to
    four reasons from the scorecard, worst first."""
    purchase = dataclasses.replace(GOOD.purchase, down_payment=Decimal("500"), term=24)
    result = screen(
        dataclasses.replace(GOOD, purchase=purchase),
        years_at_job=0,
        overdue_records=2,
        job="student",
        home="dormitory",
        monthly_expenses=Decimal("7000"),
    )
    assert result.decision == "decline" and not [f for f in result.reasons if not f.code.startswith("score_")]
    assert 1 <= len(result.reasons) <= 4 and result.reasons[0].code == "score_records"


def test_every_prescreen_is_logged_with_figures_only(screen, services) -> None:
    from sqlalchemy import select

    from app.storage.models import PrescreenLog

    screen(phone="13900001111")
    with services.store.read() as session:
        row = session.scalars(select(PrescreenLog)).one()
    assert row.decision == "decline" and row.codes == "blacklisted_phone" and row.score > 0


def test_requests_are_read_strictly() -> None:
    """Money as strings; each bad value named with its own code."""
    data = {
        "application_date": "2026-11-29",
        "applicant": {
            "id_number": ID,
            "name": "王芳",
            "phone": "13812345678",
            "monthly_income": "9000",
            "job": "employee",
            "home": "own",
        },
        "purchase": {"product": "GOODS", "price": "4999", "down_payment": "1000", "term": 12},
    }
    assert parse_request(data).applicant.monthly_income == Decimal("9000.00")
    for path, value, code in (
        (("applicant", "monthly_income"), 9000.5, "bad_amount"),
        (("applicant", "job"), "pilot", "bad_job"),
        (("purchase", "term"), "x", "bad_number"),
        (("application_date",), "29/11/2026", "bad_date"),
        (("applicant", "sex"), "X", "bad_sex"),
    ):
        broken = json.loads(json.dumps(data))
        target = broken
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        with pytest.raises(Exception) as caught:
            parse_request(broken)
        assert caught.value.code == code, path


def test_cli_prints_exactly_the_contract(signed_files, tmp_path, capsys) -> None:
    """`fenqi prescreen FILE --json`: decision, score, pd, reasons, flags, model_version; bad input exits 1; a
    tampered model exits 3 with model_tampered."""
    from app.cli import main

    request = {
        "application_date": DAY.isoformat(),
        "applicant": {
            "id_number": _born(17),
            "name": "小明",
            "phone": "13812345678",
            "monthly_income": "3000",
            "job": "student",
            "home": "family",
            "id_valid_until": "2030-01-01",
        },
        "purchase": {"product": "GOODS", "price": "3000", "down_payment": "300", "term": 6},
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(request), encoding="utf-8")
    assert main(["prescreen", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"decision", "score", "pd", "reasons", "flags", "model_version"} <= set(out)
    assert out["decision"] == "decline" and out["reasons"][0]["code"] == "age_out_of_range"
    assert isinstance(out["score"], float) and 0 < out["pd"] < 1
    request["applicant"]["phone"] = "12345"
    path.write_text(json.dumps(request), encoding="utf-8")
    assert main(["prescreen", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "bad_phone"
    (signed_files.models / "scorecard.onnx").write_bytes(b"not a model")
    assert main(["prescreen", str(path), "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "model_tampered"


def test_model_commands(signed_files, capsys) -> None:
    """cutoffs picks the row nearest the target; drift compares logged scores and needs some."""
    from app.cli import main

    assert main(["model", "cutoffs", "--target-approval", "0.8", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert abs(out["chosen"]["approval_rate"] - 0.8) < 0.03
    assert main(["model", "drift", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "no_scores"


def test_psi_bands() -> None:
    """Scores spread like the baseline are stable; all in one decile is a shift."""
    import json as _json

    from app.scoring.drift import population_stability
    from tests.conftest import REPO

    card = _json.loads((REPO / "models_onnx" / "model_card.json").read_text(encoding="utf-8"))
    edges = card["drift_baseline"]["decile_edges"]
    spread = [edges[0] - 1] * 10 + [e + 0.01 for e in edges for _ in range(10)]
    assert population_stability(spread, card["drift_baseline"]).band == "stable"
    assert population_stability([edges[-1] + 5] * 50, card["drift_baseline"]).band == "shift"
