"""The `fenqi` command's contract: exit statuses, the JSON error shape, the configured language."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.cli import main
from tests.conftest import REPO
from tests.support.fixtures import newest_schema_revision


def test_usage_error_exits_2(capsys) -> None:
    """An unknown command or a missing argument is a usage error: exit 2."""
    with pytest.raises(SystemExit) as caught:
        main(["no-such-command"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["demo-data"])
    assert caught.value.code == 2


def test_unusable_key_store_exits_3_with_translated_json(subprocess_env) -> None:
    """With no OS keyring and no explicit file mode the store is not opened: exit 3, message in Chinese."""
    env = dict(subprocess_env)
    env.pop("FENQI_KEY_STORE")
    env["LANG"] = "zh_CN.UTF-8"
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    done = subprocess.run(
        [sys.executable, "-m", "app", "store", "info", "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    error = json.loads(done.stdout)["error"]
    assert error["code"] == "key_store_unavailable"
    assert "钥匙串" in error["message"]


def test_help_lists_error_codes(capsys) -> None:
    """Each command's --help names its error codes."""
    with pytest.raises(SystemExit):
        main(["demo-data", "--help"])
    assert "bad_state" in capsys.readouterr().out


def test_readable_table_without_json(capsys) -> None:
    """Without --json the output is a table in the configured language."""
    assert main(["store", "info"]) == 0
    out = capsys.readouterr().out
    assert "Schema revision" in out and newest_schema_revision() in out


def test_unexpected_failures_keep_the_json_contract(capsys) -> None:
    """An out-of-range date is refused as input; nothing escapes as a traceback."""
    code = main(
        [
            "quote",
            "--principal",
            "1000",
            "--term",
            "12",
            "--method",
            "annuity",
            "--annual-rate",
            "0.12",
            "--start-date",
            "9999-12-01",
            "--json",
        ]
    )
    assert code == 1 and json.loads(capsys.readouterr().out)["error"]["code"] == "bad_date"


def test_a_damaged_key_store_entry_is_reported(capsys, monkeypatch, fenqi_home) -> None:
    """A corrupt entry in the key file is 'key store unavailable' (exit 3), not a decoding traceback."""
    monkeypatch.setenv("FENQI_KEY_STORE", "file")
    assert main(["store", "info", "--json"]) == 0
    capsys.readouterr()
    key_file = fenqi_home / "config" / "dev-keystore.json"
    data = json.loads(key_file.read_text())
    data = {k: "!!not base64" for k in data}
    key_file.write_text(json.dumps(data))
    assert main(["store", "info", "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "key_store_unavailable"
