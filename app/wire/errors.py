"""The one shape of every refusal the lender's API gives, validation errors included:
`{"error": {"code", "message", "fields"?}}` with a 4xx status."""

from __future__ import annotations

from app.wire.types import Answer


class FieldProblem(Answer):
    """Which value was refused (a dotted path into the body, query or address) and why."""

    field: str
    problem: str


class ErrorDetail(Answer):
    """A machine-readable code, an English message for logs and people, and the refused values if any."""

    code: str
    message: str
    fields: list[FieldProblem] | None = None
    tries_left: int | None = None  # code_wrong: how many more codes may be typed
    missing: list[str] | None = None  # attachments_missing: the hashes the lender does not hold


class ErrorBody(Answer):
    """A refusal."""

    error: ErrorDetail


def error_body(
    code: str,
    message: str,
    fields: list[FieldProblem] | None = None,
    tries_left: int | None = None,
    missing: list[str] | None = None,
) -> dict[str, object]:
    """A refusal as JSON (`fields`, `tries_left` and `missing` only when they are given)."""
    detail = ErrorDetail(code=code, message=message, fields=fields, tries_left=tries_left, missing=missing)
    return ErrorBody(error=detail).model_dump(exclude_none=True)
