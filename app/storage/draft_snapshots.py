"""Draft snapshots' values, sealed whole to their application: what the autosave writes and the flow resumes."""

from __future__ import annotations

import uuid

from app.storage.local_store import LocalStore
from app.storage.models import DraftSnapshot
from app.storage.sealing import Sealing


class DraftSnapshotSealing:
    """Seals and opens the values of one local store's draft snapshots (the row key is the application's id)."""

    def __init__(self, store: LocalStore) -> None:
        self.sealing = Sealing.for_store(store)

    def sealed_values(self, application_id: uuid.UUID, values: bytes) -> bytes:
        """`values` (the encoded draft) as `draft_snapshots.values_enc` holds them for this application."""
        return self.sealing.seal(DraftSnapshot.values_enc, application_id, values)

    def values(self, application_id: uuid.UUID, sealed: bytes) -> bytes:
        """The encoded draft of this application, unsealed from `draft_snapshots.values_enc`."""
        return self.sealing.open(DraftSnapshot.values_enc, application_id, sealed)
