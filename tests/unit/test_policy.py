"""The lender's signed policy: the document parses strictly (unknown keys ignored, a missing key or a value of
the wrong kind refused), the counter's pre-screen judges by it and by nothing in the settings, a tampered or
incomplete policy turns the pre-screen off with a message (as a tampered scorecard does), and the newest
verified policy is the one in force."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest

import app.domain.policy as policy_module
from app.domain.catalog import load_catalog
from app.domain.policy import (
    INTEGER_KEYS,
    KEYS,
    MONEY_KEYS,
    PolicyInvalid,
    PolicyUnavailable,
    load_policy,
    parse_policy,
    shipped_policy_path,
)
from app.kernel.settings import Settings
from app.security.signing import sign_file
from tests.unit.test_prescreen import GOOD, _codes

SHIPPED = json.loads(shipped_policy_path().read_text(encoding="utf-8"))


def _bytes(doc: dict) -> bytes:
    return json.dumps(doc).encode()


def _signed(folder: Path, key, **changes: object) -> Path:
    """A copy of the shipped policy with `changes` (None removes a key), signed with `key`."""
    doc = {**SHIPPED, **changes}
    doc = {k: v for k, v in doc.items() if v is not None}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "policy.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    sign_file(path, key)
    return path


def test_the_shipped_policy_holds_todays_limits() -> None:
    """Every key is there, money as decimal strings with two places, the values the counters used so far."""
    assert set(KEYS) | {"version"} <= set(SHIPPED)
    policy = parse_policy(shipped_policy_path().read_bytes())
    assert (policy.age_min, policy.age_max, policy.max_debt_service_percent) == (18, 60, 50)
    assert (policy.velocity_count, policy.velocity_days, policy.reapply_cooloff_days) == (3, 30, 30)
    assert policy.unsecured_cap == Decimal("200000.00") and policy.four_eyes_amount == Decimal("20000.00")
    assert policy.fpd_alert_multiple == Decimal("2.0") and policy.fpd_alert_min_matured == 30
    assert policy.version >= 1 and policy.effective_from.isoformat() == SHIPPED["effective_from"]
    assert all(isinstance(SHIPPED[key], str) and SHIPPED[key].count(".") == 1 for key in MONEY_KEYS)


def test_keys_this_version_does_not_know_are_ignored() -> None:
    """A newer policy with more keys is read by an older counter: what it knows, as it is."""
    newer = {**SHIPPED, "version": 7, "cash_loan_max_term": 36, "nested": {"rule": [1, 2]}}
    policy = parse_policy(_bytes(newer))
    assert policy.version == 7 and policy == dataclasses.replace(parse_policy(_bytes(SHIPPED)), version=7)


@pytest.mark.parametrize("key", ["version", *KEYS])
def test_a_missing_key_refuses_the_document(key: str) -> None:
    doc = {k: v for k, v in SHIPPED.items() if k != key}
    with pytest.raises(PolicyInvalid) as info:
        parse_policy(_bytes(doc))
    assert key in info.value.message and "missing" in info.value.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("age_min", True),
        ("age_min", 18.0),
        ("age_max", "60"),
        ("max_debt_service_percent", None),
        ("velocity_count", [3]),
        ("version", "1"),
        ("unsecured_cap", 200000),
        ("unsecured_cap", "200000"),
        ("unsecured_cap", "200000.001"),
        ("unsecured_cap", "-1.00"),
        ("unsecured_cap", "NaN"),
        ("four_eyes_amount", "Infinity"),
        ("four_eyes_amount", "2e4"),
        ("fpd_alert_multiple", 2.0),
        ("fpd_alert_multiple", "two"),
        ("effective_from", "2026-13-01"),
        ("effective_from", "20260101"),
        ("effective_from", 20260101),
    ],
)
def test_a_value_of_the_wrong_kind_refuses_the_document(key: str, value: object) -> None:
    with pytest.raises(PolicyInvalid) as info:
        parse_policy(_bytes({**SHIPPED, key: value}))
    assert key in info.value.message and "wrong kind" in info.value.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("age_min", 15),
        ("age_max", 101),
        ("max_debt_service_percent", 0),
        ("max_debt_service_percent", 101),
        ("velocity_count", 1),
        ("velocity_days", 0),
        ("reapply_cooloff_days", -1),
        ("version", 0),
        ("unsecured_cap", "0.00"),
        ("fpd_alert_multiple", "0.5"),
        ("age_min", 61),  # above age_max
    ],
)
def test_a_value_out_of_range_refuses_the_document(key: str, value: object) -> None:
    with pytest.raises(PolicyInvalid) as info:
        parse_policy(_bytes({**SHIPPED, key: value}))
    assert key in info.value.message and "out of range" in info.value.message


@pytest.mark.parametrize("content", [b"", b"[1]", b"{not json", b"[" * 100_000])
def test_what_is_no_json_object_is_refused(content: bytes) -> None:
    with pytest.raises(PolicyInvalid):
        parse_policy(content)


def test_integer_keys_and_money_keys_are_the_documented_ones() -> None:
    assert set(KEYS) == {
        "version",
        "effective_from",
        "age_min",
        "age_max",
        "max_debt_service_percent",
        "unsecured_cap",
        "velocity_count",
        "velocity_days",
        "reapply_cooloff_days",
        "return_window_days",
        "four_eyes_amount",
        "review_service_level_minutes",
        "fpd_alert_multiple",
        "fpd_alert_min_matured",
    }
    assert "version" in INTEGER_KEYS


# --- the counter's pre-screen --------------------------------------------------------------------------------


@pytest.fixture
def prescreen(signed_files, services):
    """Pre-screens (nothing recorded) on a fresh store with the signed demo blacklist loaded."""
    services.prescreen.blacklist.import_file(signed_files.blacklist, signed_files.settings)
    catalog = load_catalog(signed_files.settings)

    def run(request=GOOD, **applicant: object):
        if applicant:
            request = dataclasses.replace(request, applicant=dataclasses.replace(request.applicant, **applicant))
        return services.prescreen.prescreen(request, catalog, record=False)

    return run


def test_the_prescreen_judges_by_the_signed_policy(prescreen, signed_files, tmp_path) -> None:
    """A stricter policy signed by the lender takes effect at the next pre-screen: its age range and debt-service
    limit, with the limits named in the reasons."""
    assert prescreen().decision == "approve"
    stricter = _signed(signed_files.policy.parent, signed_files.key, version=2, age_max=40, max_debt_service_percent=10)
    assert stricter == signed_files.policy  # replaced in place, as sync does
    result = prescreen()
    codes = _codes(result)[0]
    assert result.decision == "decline" and {"age_out_of_range", "debt_service_too_high"} <= codes
    texts = " ".join(f.text for f in result.reasons)
    assert "18 to 40" in texts and "at most 10 percent" in texts


def test_the_unsecured_cap_and_velocity_come_from_the_policy(prescreen, signed_files) -> None:
    _signed(signed_files.policy.parent, signed_files.key, version=2, unsecured_cap="3000.00", velocity_count=2)
    result = prescreen()
    assert "unsecured_credit_cap" in _codes(result)[0]
    assert "3,000.00" in " ".join(f.text for f in result.reasons)


def test_no_setting_holds_a_credit_limit() -> None:
    """The settings have none of the limits a store could loosen."""
    names = {f.name for f in dataclasses.fields(Settings)}
    assert not names & {"max_debt_service_percent", "velocity_days", "velocity_count", "age_min", "unsecured_cap"}


def test_a_policy_changed_after_signing_turns_the_prescreen_off(prescreen, signed_files) -> None:
    doc = json.loads(signed_files.policy.read_text(encoding="utf-8"))
    doc["max_debt_service_percent"] = 100  # a store loosening the lender's limit
    signed_files.policy.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(PolicyUnavailable) as info:
        prescreen()
    assert info.value.code == "policy_unavailable"
    assert "Pre-screening is off" in info.value.message and "changed after signing" in info.value.message


def test_a_signed_policy_with_a_key_missing_turns_the_prescreen_off(prescreen, signed_files) -> None:
    _signed(signed_files.policy.parent, signed_files.key, velocity_days=None)
    with pytest.raises(PolicyUnavailable) as info:
        prescreen()
    assert "velocity_days" in info.value.message and "Pre-screening is off" in info.value.message


def test_a_policy_signed_by_an_untrusted_key_turns_the_prescreen_off(prescreen, signed_files) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _signed(signed_files.policy.parent, Ed25519PrivateKey.generate(), max_debt_service_percent=90)
    with pytest.raises(PolicyUnavailable) as info:
        prescreen()
    assert "does not trust" in info.value.message


def test_a_policy_without_its_signature_turns_the_prescreen_off(prescreen, signed_files) -> None:
    signed_files.policy.with_name("policy.json.sig").unlink()
    with pytest.raises(PolicyUnavailable) as info:
        prescreen()
    assert "no signature" in info.value.message


def test_the_command_line_says_the_prescreen_is_off(signed_files, tmp_path, capsys) -> None:
    """`fenqi prescreen` answers exit 3 with the policy's refusal in its JSON contract."""
    from app.cli import main

    signed_files.policy.write_text(signed_files.policy.read_text(encoding="utf-8") + " ", encoding="utf-8")
    request = tmp_path / "request.json"
    request.write_text(
        json.dumps(
            {
                "application_date": GOOD.application_date.isoformat(),
                "applicant": {
                    "id_number": GOOD.applicant.id_number,
                    "name": GOOD.applicant.name,
                    "phone": GOOD.applicant.phone,
                    "monthly_income": "9000.00",
                    "job": "employee",
                    "home": "own",
                },
                "purchase": {"product": "GOODS", "price": "4999.00", "down_payment": "1000.00", "term": 12},
            }
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["prescreen", str(request), "--json"]) == 3
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "policy_unavailable" and "Pre-screening is off" in error["message"]


# --- which policy is in force --------------------------------------------------------------------------------


def test_the_newest_verified_policy_is_in_force(signed_files, tmp_path, monkeypatch) -> None:
    """Of the installed and the shipped policy, the higher version: an older signed policy put in the settings'
    place cannot replace a newer one shipped with the application."""
    shipped = _signed(tmp_path / "shipped", signed_files.key, version=5, max_debt_service_percent=30)
    monkeypatch.setattr(policy_module, "shipped_policy_path", lambda: shipped)
    installed = _signed(signed_files.policy.parent, signed_files.key, version=4, max_debt_service_percent=80)
    assert installed == signed_files.policy
    assert load_policy(signed_files.settings).max_debt_service_percent == 30
    _signed(signed_files.policy.parent, signed_files.key, version=6, max_debt_service_percent=25)
    assert load_policy(signed_files.settings).max_debt_service_percent == 25
    # With nothing installed, the shipped policy is the one in force.
    assert load_policy(dataclasses.replace(signed_files.settings, policy_file="")).version == 5


def test_an_installed_policy_that_fails_is_not_replaced_by_the_shipped_one(signed_files, tmp_path, monkeypatch):
    """The installed policy was verified when sync installed it: failing now means it was changed since, and the
    pre-screen is off rather than judging by an older shipped policy."""
    shipped = _signed(tmp_path / "shipped", signed_files.key, version=1)
    monkeypatch.setattr(policy_module, "shipped_policy_path", lambda: shipped)
    signed_files.policy.write_bytes(signed_files.policy.read_bytes() + b"\n")
    with pytest.raises(PolicyUnavailable):
        load_policy(signed_files.settings)


def test_without_any_verified_policy_the_message_names_the_shipped_one(signed_files, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(policy_module, "shipped_policy_path", lambda: tmp_path / "nowhere" / "policy.json")
    with pytest.raises(PolicyUnavailable) as info:
        load_policy(dataclasses.replace(signed_files.settings, policy_file=""))
    assert "missing" in info.value.message and "Pre-screening is off" in info.value.message
