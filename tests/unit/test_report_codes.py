"""The codes the reports count: every fraud flag is known as a flag, every code has a short name, and a
pre-screen leaves its reasons (when it declined) and its flags for the reports."""

from __future__ import annotations

import re
from pathlib import Path

from app.counter.prescreen import report_codes
from app.reports.labels import CODE_LABELS, code_label
from app.scoring.decision import PrescreenResult
from app.scoring.findings import SCORE_REASONS, Finding
from app.scoring.fraud import FLAG_CODES

SCORING = Path(__file__).resolve().parents[2] / "app" / "scoring"
_FINDING = re.compile(r'Finding\(\s*"([a-z_]+)"')


def _codes_in(name: str) -> set[str]:
    return set(_FINDING.findall((SCORING / name).read_text(encoding="utf-8")))


def test_every_flag_the_fraud_rules_raise_is_a_known_flag() -> None:
    assert _codes_in("fraud.py") == FLAG_CODES


def test_every_reason_and_flag_has_a_short_name() -> None:
    for code in _codes_in("fraud.py") | _codes_in("rules.py"):
        assert code in CODE_LABELS, code
    for feature in SCORE_REASONS:
        assert code_label(f"score_{feature}") != f"score_{feature}"
    assert code_label("something_new") == "something_new"


def test_reasons_count_only_when_the_prescreen_declined() -> None:
    reasons, flags = [Finding("no_income", "x")], [Finding("id_velocity", "y")]
    declined = PrescreenResult("decline", 400.0, 0.4, reasons, flags, "v1")
    referred = PrescreenResult("refer", 500.0, 0.2, [Finding("score_term", "z")], flags, "v1")
    assert report_codes(declined) == {"id_velocity": "flag", "no_income": "reason"}
    assert report_codes(referred) == {"id_velocity": "flag"}
