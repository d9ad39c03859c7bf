"""Consents start an application or end it with nothing kept; signing checks the signature, the consents and
the frozen terms, and keeps the contract, strokes and image sealed with their hashes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.counter.consents import consent_text
from app.counter.contract import check_signature, terms_sha256
from app.domain.catalog import load_catalog
from app.domain.consent import FIRST_MOMENT, SIGNING_MOMENT, ConsentKind
from app.storage.models import Application, Attachment, AuditEntry, Consent, Customer, OutboxItem
from tests.support.applications import CLERK, given, quoted_application, signature


def _count(services, model) -> int:
    with services.store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_consent_texts_are_versioned_and_hashed_as_shown() -> None:
    """Each consent has a text in both languages with a version; the hash covers title and body."""
    for kind in ConsentKind:
        for language in ("zh_CN", "en"):
            text = consent_text(kind, language)
            assert text.version and text.title and len(text.body) > 80
            assert text.sha256 == hashlib.sha256(f"{text.title}\n\n{text.body}".encode()).hexdigest()
    assert (
        consent_text(ConsentKind.CREDIT_INQUIRY, "zh_CN").sha256
        != consent_text(ConsentKind.CREDIT_INQUIRY, "en").sha256
    )


def test_both_first_consents_start_an_application(services) -> None:
    """Both given: a draft with two consent rows (version with language, text hash, time) and audit entries."""
    started = services.consents.begin_application(CLERK, given(FIRST_MOMENT))
    with services.store.read() as session:
        rows = session.scalars(select(Consent).where(Consent.application_id == started.application_id)).all()
        actions = session.scalars(select(AuditEntry.action)).all()
    assert {r.kind for r in rows} == {"sensitive_personal_info", "credit_inquiry"}
    assert all(r.text_version.endswith("/zh_CN") and len(r.text_sha256) == 64 for r in rows)
    assert actions.count("consent.given") == 2 and "application.started" in actions


def test_one_consent_or_a_stale_text_starts_nothing(services) -> None:
    """One consent only, or a text that is not the current one: refused, nothing written."""
    with pytest.raises(Exception) as caught:
        services.consents.begin_application(CLERK, given(FIRST_MOMENT[:1]))
    assert caught.value.code == "consent_missing"
    stale = given(FIRST_MOMENT)
    stale[0] = dataclasses.replace(stale[0], text=dataclasses.replace(stale[0].text, body="old words"))
    with pytest.raises(Exception) as caught:
        services.consents.begin_application(CLERK, stale)
    assert caught.value.code == "consent_text_changed"
    assert _count(services, Application) == 0 and _count(services, Consent) == 0


def test_declining_keeps_nothing_about_the_customer(services) -> None:
    """Only an audit line with the consent's kind."""
    services.consents.record_declined(CLERK, ConsentKind.CREDIT_INQUIRY)
    assert _count(services, Application) == _count(services, Customer) == _count(services, Consent) == 0
    with services.store.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry.action == "consent.declined" and json.loads(entry.detail) == {"kind": "credit_inquiry"}


def test_withdrawal_is_recorded_and_queued_for_the_lender(services) -> None:
    started = services.consents.begin_application(CLERK, given(FIRST_MOMENT))
    services.consents.withdraw(CLERK, started.application_id, ConsentKind.CREDIT_INQUIRY)
    assert services.intake.missing_consents(started.application_id) == [ConsentKind.CREDIT_INQUIRY]
    with services.store.read() as session:
        item = session.scalars(select(OutboxItem)).one()
    assert item.kind == "consent_withdrawal" and item.application_id == started.application_id


@pytest.mark.parametrize(
    ("strokes", "code"),
    [
        ([], "signature_empty"),
        ([[(100.0, 100.0, 0.0, 0.5)]], "signature_too_simple"),  # a dot
        ([[(100.0 + i, 100.0, i * 5.0, 0.5) for i in range(40)]], "signature_too_simple"),  # one short line
    ],
)
def test_trivial_signatures_are_refused(strokes, code: str) -> None:
    with pytest.raises(Exception) as caught:
        check_signature(strokes, 600)
    assert caught.value.code == code
    check_signature(signature(), 600)


def test_signing_keeps_everything_sealed_with_hashes_and_freezes_the_terms(signed_files, services) -> None:
    catalog = load_catalog(signed_files.settings)
    application_id, terms = quoted_application(services, catalog)
    assert terms["financed"] == "3999.00" and len(terms["installments"]) == 12
    pdf = b"%PDF-1.4 test contract"
    signed = services.contracts.sign(
        CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", pdf
    )
    assert signed.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    with services.store.read() as session:
        application = session.get(Application, application_id)
        kinds = {
            a.kind: a for a in session.scalars(select(Attachment).where(Attachment.application_id == application_id))
        }
        actions = session.scalars(select(AuditEntry.action)).all()
    assert application.state == "signed"
    assert set(kinds) == {"terms", "signature_strokes", "signature_image", "contract"}
    assert kinds["contract"].sha256 == signed.pdf_sha256 and pdf not in kinds["contract"].content_enc
    assert kinds["signature_strokes"].sha256 == signed.strokes_sha256
    assert "contract.signed" in actions and actions.count("consent.given") == 4
    assert services.contracts.contract_pdf(application_id) == pdf
    # Frozen: no new plan, no new customer details, no second signature.
    with pytest.raises(Exception) as caught:
        services.contracts.choose_plan(
            CLERK, application_id, catalog, "GOODS", "x", Decimal("4999.00"), Decimal("1000.00"), 12, dt.date.today()
        )
    assert caught.value.code == "not_quotable"
    from tests.unit.test_customer_form import GOOD

    with pytest.raises(Exception) as caught:
        services.intake.save(CLERK, application_id, GOOD)
    assert caught.value.code == "not_editable"


def test_signing_refuses_changed_terms_missing_consents_and_a_dot(signed_files, services) -> None:
    catalog = load_catalog(signed_files.settings)
    application_id, terms = quoted_application(services, catalog)
    before = _count(services, Attachment)
    for args, code in (
        ((terms_sha256({**terms, "apr": "1.00"}), given(SIGNING_MOMENT), signature()), "terms_changed"),
        ((terms_sha256(terms), given(SIGNING_MOMENT[:1]), signature()), "consent_missing"),
        ((terms_sha256(terms), given(SIGNING_MOMENT), [[(5.0, 5.0, 0.0, 0.5)]]), "signature_too_simple"),
    ):
        with pytest.raises(Exception) as caught:
            services.contracts.sign(CLERK, application_id, *args, 600, b"png", b"%PDF")
        assert caught.value.code == code
    assert _count(services, Attachment) == before
    with services.store.read() as session:
        assert session.get(Application, application_id).state == "quoted"


def test_the_plan_must_be_the_purchase_that_was_prescreened(signed_files, services) -> None:
    """Another price, down payment or term is refused until pre-screened again; a withdrawn consent stops signing."""
    catalog = load_catalog(signed_files.settings)
    application_id, terms = quoted_application(services, catalog)
    for price, down, term in (("150000.00", "1000.00", 12), ("4999.00", "0.00", 12), ("4999.00", "1000.00", 24)):
        with pytest.raises(Exception) as caught:
            services.contracts.choose_plan(
                CLERK, application_id, catalog, "GOODS", "x", Decimal(price), Decimal(down), term, dt.date.today()
            )
        assert caught.value.code == "plan_not_prescreened"
    services.consents.withdraw(CLERK, application_id, ConsentKind.SENSITIVE_PERSONAL_INFO)
    with pytest.raises(Exception) as caught:
        services.contracts.sign(
            CLERK, application_id, terms_sha256(terms), given(SIGNING_MOMENT), signature(), 600, b"png", b"%PDF"
        )
    assert caught.value.code == "consent_missing"


def test_a_prescreen_for_an_application_needs_its_consents_and_saved_customer(signed_files, services) -> None:
    """A draft without its saved customer is not pre-screened; nor is one whose consent was withdrawn."""
    from zoneinfo import ZoneInfo

    from app.scoring.request import PurchaseRequest, request_from_form
    from tests.support.applications import GOOD

    catalog = load_catalog(signed_files.settings)
    started = services.consents.begin_application(CLERK, given(FIRST_MOMENT))
    moment = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(hour=14)
    request = request_from_form(GOOD, PurchaseRequest("GOODS", Decimal("4999"), Decimal("1000"), 12), moment, None)
    with pytest.raises(Exception) as caught:
        services.prescreen.prescreen(request, catalog, started.application_id)
    assert caught.value.code == "customer_not_saved"
    services.intake.save(CLERK, started.application_id, GOOD)
    services.consents.withdraw(CLERK, started.application_id, ConsentKind.CREDIT_INQUIRY)
    with pytest.raises(Exception) as caught:
        services.prescreen.prescreen(request, catalog, started.application_id)
    assert caught.value.code == "consent_missing"
    with services.store.read() as session:
        assert session.get(Application, started.application_id).state == "draft"


def test_cli_records_a_withdrawal_by_reference(services, capsys) -> None:
    """`fenqi consent withdraw REF KIND --json` records it and queues it; unknown kind or reference exit 1."""
    from app.cli import main

    started = services.consents.begin_application(CLERK, given(FIRST_MOMENT))
    services.close()
    assert main(["consent", "withdraw", started.reference.lower(), "credit_inquiry", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "reference": started.reference,
        "consent": "credit_inquiry",
        "withdrawn": True,
    }
    assert main(["consent", "withdraw", started.reference, "credit_inquiry", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "no_consent"
    assert main(["consent", "withdraw", "S001-000000-0000", "credit_inquiry", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "not_found"
    assert main(["consent", "withdraw", started.reference, "marketing", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "bad_consent"
