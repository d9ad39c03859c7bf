"""Who is at the counter right now: signed out, signed in, or locked (every customer detail hidden)."""

from __future__ import annotations

from enum import StrEnum

from app.domain.actor import Actor
from app.domain.roles import Permission, require_permission
from app.kernel.errors import FenqiError
from app.kernel.i18n import _


class CounterState(StrEnum):
    SIGNED_OUT = "signed_out"
    ACTIVE = "active"
    LOCKED = "locked"


class CounterLocked(FenqiError):
    code = "counter_locked"
    exit_status = 1


class CounterSession:
    """The counter's session. While locked nobody is acting, until the same or another staff member signs in."""

    def __init__(self) -> None:
        self.state = CounterState.SIGNED_OUT
        self._actor: Actor | None = None
        self.locked_for: Actor | None = None  # who was signed in when it locked

    @property
    def actor(self) -> Actor | None:
        """The staff member acting now; None when signed out or locked."""
        return self._actor if self.state is CounterState.ACTIVE else None

    def signed_in(self, actor: Actor) -> bool:
        """Start (or resume) work for `actor`; returns True if a different person took over a locked counter."""
        took_over = self.locked_for is not None and self.locked_for.staff_id != actor.staff_id
        self._actor = actor
        self.locked_for = None
        self.state = CounterState.ACTIVE
        return took_over

    def lock(self) -> Actor | None:
        """Lock the counter; returns who was signed in (None if nobody was)."""
        if self.state is not CounterState.ACTIVE:
            return None
        self.locked_for = self._actor
        self._actor = None
        self.state = CounterState.LOCKED
        return self.locked_for

    def sign_out(self) -> None:
        """End the session."""
        self._actor = None
        self.locked_for = None
        self.state = CounterState.SIGNED_OUT

    def require(self, permission: Permission) -> Actor:
        """The acting staff member if they may do `permission`; raises CounterLocked or PermissionDenied."""
        if self.actor is None:
            raise CounterLocked(_("Sign in first."))
        require_permission(self.actor.role, permission)
        return self.actor
