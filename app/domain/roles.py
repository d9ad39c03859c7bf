"""Counter roles and what each may do. Every screen and action asks here, in app/, not only in the UI."""

from __future__ import annotations

from enum import StrEnum

from app.kernel.errors import FenqiError, InvalidInput
from app.kernel.i18n import N_, _


class Role(StrEnum):
    SALES = "sales"
    STORE_MANAGER = "store_manager"
    ADMIN = "admin"


class Permission(StrEnum):
    FILE_APPLICATION = "application.file"
    VIEW_DRAFTS = "drafts.view"
    VIEW_SYNC = "sync.view"
    VIEW_STORE_REPORT = "reports.store"
    VIEW_OWN_FIGURES = "reports.own"  # a salesperson's own applications in the store report
    MANAGE_STAFF = "staff.manage"
    CHANGE_SETTINGS = "settings.change"
    EXPORT_DIAGNOSTICS = "diagnostics.export"
    REVEAL_ID_NUMBER = "customer.reveal_id"
    VERIFY_AUDIT = "audit.verify"
    RECORD_WITHDRAWAL = "consent.withdraw"  # a customer's withdrawal of consent, taken by whoever they ask
    CANCEL_APPLICATION = "application.cancel"  # the customer changed their mind, told to whoever they ask


P = Permission
_COUNTER = frozenset({P.FILE_APPLICATION, P.VIEW_DRAFTS, P.VIEW_SYNC, P.VIEW_OWN_FIGURES})
_OFFICE = frozenset(
    {P.VIEW_SYNC, P.VIEW_STORE_REPORT, P.MANAGE_STAFF, P.CHANGE_SETTINGS, P.EXPORT_DIAGNOSTICS, P.VERIFY_AUDIT}
)

# Store IT (admin) runs the PC but does not sell: it files no applications and sees no customer's ID number.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SALES: _COUNTER | {P.RECORD_WITHDRAWAL, P.CANCEL_APPLICATION},
    Role.STORE_MANAGER: _COUNTER | _OFFICE | {P.REVEAL_ID_NUMBER, P.RECORD_WITHDRAWAL, P.CANCEL_APPLICATION},
    Role.ADMIN: _OFFICE | {P.RECORD_WITHDRAWAL, P.CANCEL_APPLICATION},
}

ROLE_LABELS: dict[Role, str] = {
    Role.SALES: N_("Sales consultant"),
    Role.STORE_MANAGER: N_("Store manager"),
    Role.ADMIN: N_("Administrator"),
}

# Who may add, disable, unlock and reset whom.
_MANAGES: dict[Role, frozenset[Role]] = {
    Role.SALES: frozenset(),
    Role.STORE_MANAGER: frozenset({Role.SALES}),
    Role.ADMIN: frozenset({Role.SALES, Role.STORE_MANAGER, Role.ADMIN}),
}


class PermissionDenied(FenqiError):
    """The signed-in person's role does not allow this; nothing was changed."""

    code = "permission_denied"
    exit_status = 1


def role_label(role: Role) -> str:
    """The role's name in the configured language."""
    return _(ROLE_LABELS[role])


def parse_role(value: str) -> Role:
    """The role named `value`; raises InvalidInput for an unknown name."""
    try:
        return Role(value)
    except ValueError as exc:
        raise InvalidInput(_("Unknown role: {value}").format(value=value), code="bad_role") from exc


def has_permission(role: Role, permission: Permission) -> bool:
    """Whether `role` may do `permission`."""
    return permission in ROLE_PERMISSIONS[role]


def require_permission(role: Role, permission: Permission) -> None:
    """Raise PermissionDenied, in the configured language, unless `role` may do `permission`."""
    if not has_permission(role, permission):
        raise PermissionDenied(_("A {role} may not do this.").format(role=role_label(role)))


def manageable_roles(role: Role) -> frozenset[Role]:
    """The roles whose accounts `role` may add, disable, unlock and reset."""
    return _MANAGES[role]


def require_may_manage(actor: Role, target: Role) -> None:
    """Raise PermissionDenied unless `actor` may manage accounts with role `target`."""
    if target not in _MANAGES[actor]:
        raise PermissionDenied(
            _("A {actor} may not manage the account of a {target}.").format(
                actor=role_label(actor), target=role_label(target)
            )
        )
