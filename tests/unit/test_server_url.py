"""The counter reads the real host of the central server's address (issue 19): plain http only when the parsed
host is this PC (localhost, 127.0.0.0/8, ::1); an address with a user name or password, another scheme, no
host or a malformed port is refused before anything is sent, wherever an address is accepted."""

from __future__ import annotations

import io
import json

import pytest

from app.cli import main
from app.domain.actor import Actor
from app.domain.roles import Role
from app.kernel.errors import Unavailable
from app.kernel.server_url import check_server_url
from app.kernel.settings import Settings
from app.security.secret_store import FileSecretStore
from app.sync.client import TOKEN, CentralClient

ADMIN = Actor(login="admin", role=Role.ADMIN, display_name="Store IT")

ACCEPTED = [
    "https://lender.example",
    "https://lender.example:8443/api/",
    "HTTPS://Lender.Example",
    "https://203.0.113.5",
    "https://[2001:db8::1]:8709",
    "http://localhost:8709",
    "http://LOCALHOST",
    "http://127.0.0.1:8709",
    "http://127.5.5.5",
    "http://[::1]:8709",
]

REFUSED = [
    "http://localhost@other-host:8709",  # the host is other-host; "localhost" is a user name
    "http://127.0.0.1@other-host",
    "http://127.0.0.1.evil.com",
    "http://localhost.evil.com:8709",
    "http://lender.example",
    "http://10.0.0.5:8709",
    "http://[::2]:8709",
    "http://127.1",  # not a dotted address: refused rather than guessed at
    "https://user:pw@lender.example",
    "https://user@lender.example",
    "https://@lender.example",
    "ftp://lender.example",
    "file:///etc/passwd",
    "lender.example",
    "//lender.example",
    "https://",
    "https:///v1",
    "http://localhost:99999",
    "http://localhost:port",
    "http://[::1",
    "https://lender.example/?token=x",
    "https://lender.example/#x",
    "https://lender.example\n@evil.example",
    "https://lender .example",
    "http://localhost\\@evil.example",
    "",
]


@pytest.mark.parametrize("url", ACCEPTED)
def test_accepted_addresses(url: str) -> None:
    assert check_server_url(url) == url


@pytest.mark.parametrize("url", REFUSED)
def test_refused_addresses(url: str) -> None:
    with pytest.raises(Unavailable) as caught:
        check_server_url(url)
    assert caught.value.code == "insecure_server_url" and caught.value.message


def test_the_client_refuses_before_anything_is_sent(tmp_path) -> None:
    """The bypass of the prefix check: the bearer token would have gone to other-host in clear text."""
    with pytest.raises(Unavailable) as caught:
        CentralClient("http://localhost@other-host:8709", Settings(), FileSecretStore(tmp_path / "keys.json"))
    assert caught.value.code == "insecure_server_url"


def test_user_information_gets_its_own_message() -> None:
    with pytest.raises(Unavailable) as caught:
        check_server_url("https://user:pw@lender.example")
    assert "user name" in caught.value.message and "pw" not in caught.value.message  # nor in a log
    with pytest.raises(Unavailable) as caught:
        check_server_url("http://localhost:99999")
    assert "not a valid" in caught.value.message


def test_the_settings_page_refuses_an_insecure_address(services) -> None:
    before = services.settings.server_url
    with pytest.raises(Unavailable) as caught:
        services.settings_service.change(ADMIN, server_url="http://localhost@other-host:8709")
    assert caught.value.code == "insecure_server_url"
    assert services.settings.server_url == before
    assert services.settings_service.change(ADMIN, server_url="https://lender.example").server_url == (
        "https://lender.example"
    )
    assert services.settings_service.change(ADMIN, server_url="").server_url == ""  # no server: allowed


def test_activation_refuses_and_changes_nothing(services) -> None:
    with pytest.raises(Unavailable) as caught:
        services.sync.activate(ADMIN, "http://localhost@other-host:8709", "S001", "123456")
    assert caught.value.code == "insecure_server_url"
    assert services.secrets.get(TOKEN) is None and services.settings.server_url == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["device", "activate", "--server", "http://localhost@other-host:8709", "--store", "S001", "--code", "1"],
        ["login", "--server", "http://127.0.0.1.evil.com", "--username", "rm"],
    ],
)
def test_the_command_line_refuses_with_the_json_error(argv, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))  # login reads the password from stdin
    assert main([*argv, "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "insecure_server_url"
