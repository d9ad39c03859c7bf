"""The purchase is checked against the chosen product's limits from the signed catalog — the amount financed,
the minimum down payment and the terms — with the very refusals a quote and the pre-screen give, each keyed by
the field the clerk must change and naming the limit (issue 18 item 7)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from app.counter.purchase import PurchaseDetails, PurchaseService, check_purchase
from app.domain.catalog import Catalog, load_catalog
from app.kernel.errors import InvalidInput
from app.storage.models import Purchase
from tests.support.applications import CLERK, FIRST_MOMENT, given

D = Decimal
# GOODS in the shipped catalog: 10 % down at least, 500.00 to 50000.00 financed, 3/6/9/12/18/24 months.
VALID = PurchaseDetails("phone", "MATE70-256", "", "手机", "4999", "1000", "GOODS", 12)
TODAY = dt.date(2027, 6, 1)


@pytest.fixture
def catalog(signed_catalog) -> Catalog:
    return load_catalog(signed_catalog[2])


def _with(**changes: Any) -> PurchaseDetails:
    return dataclasses.replace(VALID, **changes)


def _refusal(catalog: Catalog, details: PurchaseDetails) -> InvalidInput:
    """What a quote (the plan, the pre-screen's product rule) says about this purchase."""
    with pytest.raises(InvalidInput) as caught:
        catalog.quote(details.product, D(details.price), D(details.down_payment or "0"), details.term, TODAY)
    return caught.value


def test_a_purchase_within_the_limits_has_no_problem(catalog: Catalog) -> None:
    assert check_purchase(VALID, catalog) == {}
    assert check_purchase(_with(price="50000", down_payment="5000", product="GOODS", term=24), catalog) == {}


def test_a_price_under_the_products_minimum_is_a_problem_of_the_price(catalog: Catalog) -> None:
    details = _with(price="400", down_payment="40")
    assert check_purchase(details) == {}  # without the catalog, as before: only the fields themselves
    problems = check_purchase(details, catalog)
    assert set(problems) == {"price"}
    assert "500.00" in problems["price"] and "50000.00" in problems["price"] and "360.00" in problems["price"]
    assert problems["price"] == _refusal(catalog, details).message  # the pre-screen's own words


def test_an_amount_over_the_products_maximum_is_a_problem_of_the_price(catalog: Catalog) -> None:
    problems = check_purchase(_with(price="60000", down_payment="6000"), catalog)
    assert set(problems) == {"price"} and "50000.00" in problems["price"]


def test_a_too_small_down_payment_names_the_share_and_the_amount(catalog: Catalog) -> None:
    details = _with(down_payment="100")
    problems = check_purchase(details, catalog)
    assert set(problems) == {"down_payment"}
    assert "10%" in problems["down_payment"] and "499.90" in problems["down_payment"]
    assert problems["down_payment"] == _refusal(catalog, details).message
    # An empty down payment is none at all: too small for a product that asks for 10 %.
    assert "499.90" in check_purchase(_with(down_payment=""), catalog)["down_payment"]
    # The minimum itself is enough, and a product without a minimum takes none.
    assert check_purchase(_with(down_payment="499.90"), catalog) == {}
    assert check_purchase(_with(down_payment="", product="CASH", price="5000", term=12), catalog) == {}


def test_a_price_too_low_and_no_down_payment_are_two_problems(catalog: Catalog) -> None:
    problems = check_purchase(_with(price="400", down_payment=""), catalog)
    assert set(problems) == {"price", "down_payment"}
    assert "500.00" in problems["price"] and "40.00" in problems["down_payment"]


def test_a_term_the_product_does_not_offer_is_a_problem_of_the_term(catalog: Catalog) -> None:
    details = _with(term=7)
    problems = check_purchase(details, catalog)
    assert set(problems) == {"term"}
    assert "3/6/9/12/18/24" in problems["term"]
    assert problems["term"] == _refusal(catalog, details).message
    assert set(check_purchase(_with(product="HOME", price="10000", down_payment="2000", term=6), catalog)) == {"term"}


def test_an_unknown_product_is_a_problem_of_the_product(catalog: Catalog) -> None:
    problems = check_purchase(_with(product="NOPE"), catalog)
    assert set(problems) == {"product"} and "NOPE" in problems["product"]


def test_a_fields_own_problem_comes_before_a_limit(catalog: Catalog) -> None:
    problems = check_purchase(_with(price="abc", down_payment="1"), catalog)
    assert problems["price"].startswith("Not an amount") and "down_payment" not in problems
    problems = check_purchase(_with(price="400", down_payment="400"), catalog)
    assert problems == {"down_payment": "The down payment must be less than the price."}
    assert check_purchase(_with(price="", down_payment="40"), catalog) == {"price": "Enter the price."}
    assert check_purchase(_with(term=0), catalog) == {"term": "Choose a term."}


def test_every_refusal_of_a_quote_is_a_problem_of_the_purchase(catalog: Catalog) -> None:
    """The purchase page refuses exactly what the plan and the pre-screen refuse for the product's limits."""
    for product in catalog.products:
        for price in ("300", "499.99", "500", "999", "1000", "2000", "5000", "50000", "100000", "250000"):
            for down in ("", "0", "50", "100", "1000", "20000"):
                for term in (3, 5, 6, 12, 36):
                    details = PurchaseDetails("phone", "", "", "", price, down, product.code, term)
                    problems = check_purchase(details, catalog)
                    if D(down or "0") >= D(price):
                        continue  # the field's own problem, checked above
                    try:
                        catalog.quote(product.code, D(price), D(down or "0"), term, TODAY)
                    except InvalidInput as refusal:
                        if refusal.code == "apr_over_cap":
                            continue  # not a limit of the purchase: the plan's cost
                        assert refusal.message in problems.values(), (details, problems)
                    else:
                        assert problems == {}, (details, problems)


def test_recording_with_the_catalog_refuses_a_purchase_the_product_forbids(services, catalog: Catalog) -> None:
    application_id = services.consents.begin_application(CLERK, given(FIRST_MOMENT)).application_id
    purchases = PurchaseService(services.store)
    with pytest.raises(InvalidInput) as caught:
        purchases.record(CLERK, application_id, _with(price="400", down_payment="40"), catalog)
    assert caught.value.code == "invalid_purchase" and "500.00" in caught.value.message
    with services.store.read() as session:
        assert session.query(Purchase).count() == 0  # nothing written
    recorded = purchases.record(CLERK, application_id, VALID, catalog)
    assert recorded.price == D("4999.00") and recorded.down_payment == D("1000.00")
