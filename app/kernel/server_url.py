"""The one check of a central server's address, wherever one is accepted (activation, sign-in, sync, the
settings page): the device token and passwords travel only over https, or over plain http to this very PC.

The address is parsed, never compared by its prefix: `http://localhost@other-host:8709` names the host
`other-host` (with a user name "localhost"), so a prefix check would send the bearer token there in clear text.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from app.kernel.errors import Unavailable
from app.kernel.i18n import _

CODE = "insecure_server_url"


def _refused(message: str) -> Unavailable:
    return Unavailable(message, code=CODE)


def _is_this_pc(host: str) -> bool:
    """Is `host` (as urlsplit gives it: lower case, no brackets) this PC: localhost, 127.0.0.0/8 or ::1?"""
    if host == "localhost":
        return True
    import ipaddress  # only for a plain-http address, which is rare: not at start-up

    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name (other than localhost), or a number in a shape other than dotted or IPv6
    if isinstance(address, ipaddress.IPv4Address):
        return address in ipaddress.IPv4Network("127.0.0.0/8")
    return address == ipaddress.IPv6Address("::1")


def check_server_url(url: str) -> str:
    """`url` itself when it is an acceptable central server address: https with a host, or plain http whose
    parsed host is `localhost`, in 127.0.0.0/8 or `::1` (a server on this PC, for development and tests).

    Raises Unavailable (code insecure_server_url, message translated) for anything else: another scheme, plain
    http to another host, a user name or password in the address, no host, a malformed port or host, a query or
    fragment, and spaces, control characters or backslashes anywhere (which parsers disagree about)."""
    # The messages do not repeat the address: it may carry a password.
    malformed = _("The central server's address is not a valid one: write it as https://host[:port][/path].")
    if not url or any(ch <= " " or ch in "\\\x7f" for ch in url):
        raise _refused(malformed)
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0  # .port raises ValueError when out of range or not a number
    except ValueError as exc:
        raise _refused(malformed) from exc
    scheme = parts.scheme.lower()
    insecure = _("The central server must be reached over https (plain http only on this PC for tests).")
    if scheme not in ("https", "http"):
        raise _refused(insecure)
    if "@" in parts.netloc:
        raise _refused(_("The central server's address must not contain a user name or password."))
    host = parts.hostname
    if not host or not port_ok or parts.query or parts.fragment or "?" in url or "#" in url:
        raise _refused(malformed)
    if scheme == "http" and not _is_this_pc(host):
        raise _refused(insecure)
    return url
