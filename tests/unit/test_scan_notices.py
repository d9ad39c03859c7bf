"""What the clerk is told after a scan: "check the highlighted fields" only when a field is highlighted; where
the data key lives, in the language in effect when asked."""

from __future__ import annotations

from pathlib import Path

from app.kernel.i18n import set_language
from app.scanning.form_fill import fill_from_scan
from app.scanning.payload import ScanResult
from app.security.secret_store import FileSecretStore

FRONT = {"name": "王晓明", "id_number": "11010519491231002X", "birth_date": "1949-12-31", "address": "北京市东城区"}


def _front(confidence: float) -> ScanResult:
    return ScanResult("id_card_front", dict(FRONT), {key: confidence for key in FRONT}, {"id_number": True})


def test_a_certain_front_does_not_ask_to_check_highlighted_fields() -> None:
    fill = fill_from_scan(_front(0.95))
    assert not fill.doubtful and "highlighted" not in fill.notice
    assert fill.notice == "ID card front read: its details have been filled in."


def test_a_doubtful_front_asks_to_check_the_highlighted_fields() -> None:
    result = _front(0.95)
    result.confidence["address"] = 0.5
    fill = fill_from_scan(result)
    assert fill.doubtful == {"address"} and "check the highlighted fields" in fill.notice


def test_a_card_back_mentions_highlighting_only_when_its_date_is_doubtful() -> None:
    sure = ScanResult("id_card_back", {"valid_from": "2016-01-01", "valid_until": "2036-01-01"}, {"valid_until": 0.95})
    assert "highlighted" not in fill_from_scan(sure).notice
    unsure = ScanResult("id_card_back", {"valid_from": "2016-01-01", "valid_until": "2036-01-01"}, {"valid_until": 0.4})
    fill = fill_from_scan(unsure)
    assert fill.doubtful == {"id_valid_until"} and "highlighted" in fill.notice


def test_the_key_store_is_described_in_the_language_of_the_moment(tmp_path: Path) -> None:
    """Opened in English, described in Chinese once the language changes (the development banner)."""
    store = FileSecretStore(tmp_path / "keys.json")
    assert store.description.startswith("development key file")
    set_language("zh_CN")
    assert "开发用密钥文件" in store.description and "development" not in store.description
