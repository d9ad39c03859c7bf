"""The windows fit the counter's displays: on one 1366×768 display the staff window fits with its status bar and
the customer window shows every control; with a 1280×800 tablet beside it the customer window goes there by
itself and nothing overlaps. Each layout runs the real window in a process of its own, on Qt's offscreen
platform told which screens exist (tests/support/geometry_probe.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

COUNTER = {"name": "counter", "x": 0, "y": 0, "width": 1366, "height": 768}
TABLET = {"name": "tablet", "x": 1366, "y": 0, "width": 1280, "height": 800}
SMALL_TABLET = {"name": "counter", "x": 0, "y": 0, "width": 1280, "height": 800}


def _probe(tmp_path: Path, screens: list[dict[str, object]]) -> dict:
    config = tmp_path / "screens.json"
    config.write_text(
        json.dumps({"screens": [{**s, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1} for s in screens]})
    )
    env = {
        **os.environ,
        "FENQI_HOME": str(tmp_path / "home"),
        "FENQI_KEY_STORE": "file",
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.geometry_probe"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _inside(rect: list[int], area: list[int]) -> bool:
    x, y, w, h = rect
    ax, ay, aw, ah = area
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


def _overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _staff_fits(report: dict) -> None:
    screen = report["screens"][report["staff"]["screen"]]
    assert _inside(report["staff"]["frame"], screen), report["staff"]
    assert _inside(report["staff"]["status_bar"], screen)  # the status bar is never below the screen's edge
    for key, page in report["pages"].items():
        needed, given = page["needed"], page["given"]
        assert needed[0] <= given[0] and needed[1] <= given[1], (key, page)


def _customer_controls_visible(report: dict) -> None:
    customer = report["customer"]
    screen = report["screens"][customer["screen"]]
    assert _inside(customer["frame"], screen), customer
    for text in ("Continue", "I do not agree"):
        assert _inside(customer["buttons"][text], screen), (text, customer)


@pytest.mark.parametrize("display", [COUNTER, SMALL_TABLET], ids=["1366x768", "1280x800"])
def test_one_display_everything_fits(tmp_path: Path, display: dict[str, object]) -> None:
    report = _probe(tmp_path, [display])
    _staff_fits(report)
    _customer_controls_visible(report)


def test_a_second_display_gets_the_customer_window(tmp_path: Path) -> None:
    report = _probe(tmp_path, [COUNTER, TABLET])
    _staff_fits(report)
    assert report["staff"]["screen"] == "counter"
    assert report["customer"]["screen"] == "tablet"  # no setting needed: the other display is the customer's
    _customer_controls_visible(report)
    assert not _overlap(report["staff"]["frame"], report["customer"]["frame"])
