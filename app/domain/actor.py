"""Who is acting: a signed-in staff member, or store IT at the command line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.roles import Role

if TYPE_CHECKING:  # kept off the start-up path
    import uuid


@dataclass(frozen=True)
class Actor:
    """A person acting on the application, with the role that decides what they may do."""

    login: str
    role: Role
    display_name: str
    staff_id: uuid.UUID | None = None

    @property
    def audit_name(self) -> str:
        """How the audit chain names this actor (never a personal name)."""
        return f"staff:{self.staff_id}" if self.staff_id else f"cli:{self.login}"

    @classmethod
    def command_line(cls) -> Actor:
        """Store IT working at the command line on this PC (they hold the OS account and its key store)."""
        import getpass

        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no name for this uid (e.g. a container)
            user = "unknown"
        return cls(login=user, role=Role.ADMIN, display_name=user)
