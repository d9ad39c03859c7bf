"""Staff records with their personal fields sealed: display name, ID number and phone (the last two also
blind-indexed, so a person with an active account, or staff filing for themselves, can be found)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from app.storage.local_store import LocalStore
from app.storage.models import Staff, Store
from app.storage.sealing import Sealing


class StaffRepository:
    """Adds staff records and reads and writes their sealed fields."""

    def __init__(self, store: LocalStore) -> None:
        self.sealing = Sealing.for_store(store)

    def add(
        self,
        session: Session,
        store: Store,
        login: str,
        role: str,
        name: str,
        id_number: str | None,
        phone: str | None,
        now: dt.datetime,
    ) -> Staff:
        """Add one active staff record to the session; name, ID number and phone (normalised, or None) are
        sealed and blind-indexed."""
        row = Staff(
            id=uuid.uuid4(),
            store_id=store.id,
            login=login,
            role=role,
            id_number_bi=self.id_number_index(id_number) if id_number else None,
            phone_bi=self.sealing.index(Staff.phone_bi, phone) if phone else None,
            active=True,
            failed_attempts=0,
            created_at=now,
        )
        self.sealing.put(row, Staff.display_name_enc, name)
        self.sealing.put(row, Staff.id_number_enc, id_number or None)
        self.sealing.put(row, Staff.phone_enc, phone or None)
        session.add(row)
        return row

    def id_number_index(self, number: str) -> bytes:
        """The blind index of a normalised ID number, as staff (and customer) records hold it."""
        return self.sealing.index(Staff.id_number_bi, number)

    def display_name(self, row: Staff) -> str:
        """The staff member's display name, unsealed."""
        return self.sealing.text(row, Staff.display_name_enc)

    def set_display_name(self, row: Staff, name: str) -> None:
        """Replace the staff member's display name (sealed to the row, whose id must be set)."""
        self.sealing.put(row, Staff.display_name_enc, name)

    def phone(self, row: Staff) -> str:
        """The staff member's mobile number, unsealed ("" when none is on record)."""
        return self.sealing.text(row, Staff.phone_enc)
