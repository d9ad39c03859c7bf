"""The product catalog: verified, validated, and quoted from."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.catalog import CatalogInvalid, load_catalog, parse_catalog
from app.domain.schedule import Method
from app.kernel.errors import InvalidInput
from app.security.signing import SignatureInvalid, sign_file

D = Decimal
IN_PROMOTION = dt.date(2026, 12, 1)
AFTER_PROMOTION = dt.date(2027, 3, 1)


def test_shipped_catalog_has_the_lenders_products(signed_catalog) -> None:
    """Goods (with a 0 % promotion), cash, card repayment, mall and two scenario products, all within 24 %."""
    _path, _key, settings = signed_catalog
    catalog = load_catalog(settings)
    kinds = {p.kind for p in catalog.products}
    assert {"goods", "cash", "card_repayment", "mall", "education", "home_improvement"} <= kinds
    assert all(p.apr_cap <= D("0.24") for p in catalog.products)
    assert catalog.product("CASH").terms == (6, 9, 12, 18, 24, 36)
    assert catalog.product("GOODS").promotion is not None


def test_a_tampered_catalog_is_refused(signed_catalog) -> None:
    """Changing one rate after signing makes the catalog unusable, with a message naming the file."""
    path, _key, settings = signed_catalog
    path.write_text(path.read_text(encoding="utf-8").replace('"0.1560"', '"0.0560"'), encoding="utf-8")
    with pytest.raises(SignatureInvalid) as caught:
        load_catalog(settings)
    assert "products.json" in caught.value.message


def test_a_catalog_signed_by_an_unknown_key_is_refused(signed_catalog) -> None:
    """A valid signature by a key the settings do not trust is refused."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path, _key, settings = signed_catalog
    sign_file(path, Ed25519PrivateKey.generate())
    with pytest.raises(SignatureInvalid):
        load_catalog(settings)


def _raw(tmp: Path) -> dict:
    from app.kernel.config import resources_dir

    return json.loads((resources_dir() / "catalog" / "products.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda p: p.update(fee_deducted_from_principal=True), "deducted"),
        (lambda p: p.update(apr_cap="0.36"), "24%"),
        (lambda p: p.update(terms=[0, 12]), "terms"),
        (lambda p: p.update(method="balloon"), "balloon"),
        (lambda p: p.update(max_amount="500000.00"), "200000.00"),
        (lambda p: p.update(annual_rate="twelve"), "annual_rate"),
        (lambda p: p["promotion"].update(terms=[48]), "promotion"),
    ],
)
def test_invalid_catalogs_are_refused_naming_the_problem(tmp_path: Path, change, problem: str) -> None:
    """Validation refuses the catalog and says what is wrong and where."""
    raw = _raw(tmp_path)
    change(raw["products"][0])
    with pytest.raises(CatalogInvalid) as caught:
        parse_catalog(json.dumps(raw).encode())
    assert "GOODS" in caught.value.message and problem in caught.value.message


def test_promotion_gives_zero_percent_in_its_window(signed_catalog) -> None:
    """In the promotion window, 3/6/12 months are interest-free; 24 months and later dates are not."""
    catalog = load_catalog(signed_catalog[2])
    promo = catalog.quote("GOODS", D("4999.00"), D("500.00"), 12, IN_PROMOTION)
    assert promo.terms.method is Method.INTEREST_FREE and promo.apr == 0
    assert catalog.quote("GOODS", D("4999.00"), D("500.00"), 24, IN_PROMOTION).terms.method is Method.ANNUITY
    assert catalog.quote("GOODS", D("4999.00"), D("500.00"), 12, AFTER_PROMOTION).terms.method is Method.ANNUITY


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("GOODS", D("4999.00"), D("100.00"), 12), "down_payment_too_small"),
        (("GOODS", D("4999.00"), D("500.00"), 7), "term_not_offered"),
        (("GOODS", D("400.00"), D("40.00"), 12), "amount_out_of_range"),
        (("NOPE", D("4999.00"), D("500.00"), 12), "unknown_product"),
        (("GOODS", D("4999.00"), D("4999.00"), 12), "bad_down_payment"),
    ],
)
def test_catalog_rules_refuse_bad_quotes(signed_catalog, args, code: str) -> None:
    """Down payment, term, amount limits and product code are checked against the catalog."""
    catalog = load_catalog(signed_catalog[2])
    with pytest.raises(InvalidInput) as caught:
        catalog.quote(*args, AFTER_PROMOTION)
    assert caught.value.code == code


def test_all_terms_side_by_side(signed_catalog) -> None:
    """Every allowed term gets a schedule; longer terms pay less a month and more in total."""
    catalog = load_catalog(signed_catalog[2])
    rows = catalog.quote_all_terms("CASH", D("20000.00"), D("0.00"), AFTER_PROMOTION)
    assert [r.term for r in rows] == [6, 9, 12, 18, 24, 36]
    monthly = [r.schedule.first_payment for r in rows]
    totals = [r.schedule.total_repayable for r in rows]
    assert monthly == sorted(monthly, reverse=True) and totals == sorted(totals)
    assert {f"{r.schedule.apr * 100:.2f}" for r in rows} == {"18.00"}
