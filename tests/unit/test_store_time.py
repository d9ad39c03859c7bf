"""Every time a person reads is in the store's time zone, written for the language (app/kernel/clock.py's one
helper), while the machine outputs stay ISO 8601 in UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from app.kernel.clock import as_utc, format_store_time, moment_from_text
from app.kernel.i18n import set_language

SHANGHAI = "Asia/Shanghai"


@pytest.mark.parametrize(
    ("moment", "zh", "en"),
    [
        # 18:23 UTC on the 7th is already 02:23 on the 8th in Shanghai: the date moves with the zone.
        (dt.datetime(2026, 12, 7, 18, 23, 44, 638755, tzinfo=dt.UTC), "2026-12-08 02:23", "8 Dec 2026, 02:23"),
        # Midnight UTC is 08:00 the same day in Shanghai.
        (dt.datetime(2026, 12, 8, 0, 0, tzinfo=dt.UTC), "2026-12-08 08:00", "8 Dec 2026, 08:00"),
        # Midnight in Shanghai is 16:00 UTC the day before: shown as 00:00 of the new day, not 24:00 or 16:00.
        (dt.datetime(2026, 12, 31, 16, 0, tzinfo=dt.UTC), "2027-01-01 00:00", "1 Jan 2027, 00:00"),
        # One minute before: still the old day and year.
        (dt.datetime(2026, 12, 31, 15, 59, 59, tzinfo=dt.UTC), "2026-12-31 23:59", "31 Dec 2026, 23:59"),
    ],
)
def test_a_moment_reads_in_store_time_for_each_language(moment: dt.datetime, zh: str, en: str) -> None:
    assert format_store_time(moment, SHANGHAI, "zh_CN") == zh
    assert format_store_time(moment, ZoneInfo(SHANGHAI), "en") == en
    # The same moment given in another offset reads the same.
    assert format_store_time(moment.astimezone(dt.timezone(dt.timedelta(hours=-5))), SHANGHAI, "en") == en


def test_the_zone_is_the_stores_not_the_pcs() -> None:
    moment = dt.datetime(2026, 12, 7, 18, 23, tzinfo=dt.UTC)
    assert format_store_time(moment, "Asia/Urumqi", "zh_CN") == "2026-12-08 00:23"
    assert format_store_time(moment, "UTC", "zh_CN") == "2026-12-07 18:23"


def test_the_language_in_effect_is_the_default() -> None:
    moment = dt.datetime(2026, 3, 1, 1, 5, tzinfo=dt.UTC)
    set_language("zh_CN")
    assert format_store_time(moment, SHANGHAI) == "2026-03-01 09:05"
    set_language("en")
    assert format_store_time(moment, SHANGHAI) == "1 Mar 2026, 09:05"


def test_time_only_and_naive_moments() -> None:
    naive = dt.datetime(2026, 12, 7, 18, 23)  # stored times are UTC: a naive one is taken as UTC
    assert format_store_time(naive, SHANGHAI, "zh_CN") == "2026-12-08 02:23"
    assert format_store_time(naive, SHANGHAI, "en", with_date=False) == "02:23"
    assert format_store_time(naive, SHANGHAI, "zh_CN", with_date=False) == "02:23"


def test_stored_texts_are_read_as_utc_moments() -> None:
    expected = dt.datetime(2026, 12, 7, 18, 23, 44, 638755, tzinfo=dt.UTC)
    assert moment_from_text("2026-12-07T18:23:44.638755+00:00") == expected
    assert moment_from_text("2026-12-07T18:23:44.638755Z") == expected
    assert moment_from_text("2026-12-07T18:23:44.638755") == expected
    assert moment_from_text("2026-12-08T02:23:44.638755+08:00") == expected
    assert moment_from_text("2026-12-08T02:23:44.638755+08:00").tzinfo is dt.UTC
    assert as_utc(expected.astimezone(ZoneInfo(SHANGHAI))) == expected
    with pytest.raises(ValueError):
        moment_from_text("yesterday")


def test_sync_status_shows_store_time_to_people_and_iso_utc_to_machines(services, capsys) -> None:
    import json

    from app.cli import main
    from app.storage.models import Meta
    from app.sync.service import LAST_SUCCESS

    with services.store.write() as session:
        session.merge(Meta(key=LAST_SUCCESS, value="2026-12-07T18:23:44.638755+00:00"))
    services.close()
    assert main(["sync", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["last_success"] == "2026-12-07T18:23:44.638755+00:00"
    assert main(["sync", "status"]) == 0
    table = capsys.readouterr().out
    assert "8 Dec 2026, 02:23" in table and "18:23" not in table
