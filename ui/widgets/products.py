"""The product and term choosers shared by the purchase, pre-screen and plan pages: the catalog's products by
name and code, and the terms the chosen product allows, keeping the current choice where it still exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox

if TYPE_CHECKING:
    from app.domain.catalog import Catalog


def offer_products(combo: QComboBox, catalog: Catalog) -> None:
    """Fill `combo` with the catalog's products (data: the code), without signalling the change."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for product in catalog.products:
        combo.addItem(f"{product.name} ({product.code})", product.code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


def offer_terms(
    combo: QComboBox, catalog: Catalog | None, product_code: str | None, label: Callable[[int], str]
) -> None:
    """Fill `combo` with the terms `product_code` allows (data: months), each shown as `label(months)`."""
    if catalog is None or product_code is None:
        return
    current = combo.currentData()
    combo.clear()
    for term in catalog.product(product_code).terms:
        combo.addItem(label(term), term)
    combo.setCurrentIndex(max(0, combo.findData(current)))
