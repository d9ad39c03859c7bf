"""Typed errors that carry a stable code, a translated message and the CLI exit status they map to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3


class FenqiError(Exception):
    """An error a person can act on. `message` is already translated to the configured language."""

    code: str = "error"
    exit_status: int = EXIT_UNAVAILABLE

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def as_json(self) -> dict[str, dict[str, str]]:
        """The error as the CLI's JSON contract: {"error": {"code", "message"}}."""
        return {"error": {"code": self.code, "message": self.message}}


class InvalidInput(FenqiError):
    """The input was wrong; nothing was changed."""

    code = "invalid_input"
    exit_status = EXIT_INVALID_INPUT


class Unavailable(FenqiError):
    """The application cannot do the work (missing key, tampered file, unreachable server)."""

    code = "unavailable"
    exit_status = EXIT_UNAVAILABLE
