"""The central server's reasons for refusing an item for good, in the clerk's language: the server answers in
English with a code; the code is what the counter translates (an unknown code shows as the server sent it)."""

from __future__ import annotations

from app.kernel.i18n import N_, _

REFUSALS: dict[str, str] = {
    "wrong_store": N_("The application names another store than the one this PC is activated for."),
    "idempotency_key_reused": N_(
        "The application changed after it was first sent under the same key: it needs a new revision."
    ),
    "id_mismatch": N_("The application's id does not match the one it was sent under."),
    "bad_revision": N_("The application's revision number is not valid."),
    "bad_idempotency_key": N_("The application was sent under a key that does not belong to its revision."),
    "stale_revision": N_("The central server already has a newer revision, or the application is decided."),
    "already_decided": N_("The lender has already decided this application: it can no longer be cancelled."),
    "decision_final": N_(
        "The lender's decision on this application is final: it is not judged again. A new application is needed."
    ),
    "bad_body": N_("The central server could not read what was sent."),
    "invalid": N_("The lender does not accept some values of this application; correct them and send it again."),
    "too_large": N_("The application is larger than the central server accepts."),
    "documents_lost": N_(
        "This PC no longer holds documents the application names, so the lender cannot take it; send it again."
    ),
}


# 409 answers that no retry can change: the item is refused for good and waits for a person.
FINAL_REFUSALS = frozenset({"stale_revision", "already_decided", "decision_final"})


def refusal_text(reason: str) -> str:
    """`reason` as stored ("code: server message") in the configured language."""
    code = reason.partition(":")[0]
    known = REFUSALS.get(code.strip())
    return _(known) if known else reason
