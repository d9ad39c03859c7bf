"""Report figures: each application's store-local day, the codes of its latest pre-screen, and daily figures
kept by triggers in the same transaction as every write (never a cache that can go stale); the sibling PCs'
figures as the lender sends them; the regional report's offline copy.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The fraud flag codes when this revision was written: earlier pre-screens stored reasons and flags mixed.
_FLAGS = frozenset(
    {
        "birth_date_mismatch",
        "sex_mismatch",
        "id_velocity",
        "phone_velocity",
        "phone_shared",
        "outside_opening_hours",
        "staff_applicant",
        "id_validity_unknown",
        "blacklist_unavailable",
    }
)
_FIGURES = ("n", "financed_fen", "financed_n", "ticket_fen", "ticket_n")
_KEY = "store_id, dim, day, staff_id, key"


def _daily_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("store_id", sa.Uuid(), nullable=False),
        sa.Column("dim", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        *(sa.Column(f, sa.Integer(), nullable=False) for f in _FIGURES),
        sa.PrimaryKeyConstraint("store_id", "dim", "day", "staff_id", "key"),
        sqlite_with_rowid=False,
    )


def _upsert(select_sql: str) -> str:
    """Add the selected figures to their report_daily rows (the SELECT's WHERE keeps SQLite's upsert parse)."""
    return (
        f"INSERT INTO report_daily ({_KEY}, {', '.join(_FIGURES)}) {select_sql} "
        f"ON CONFLICT ({_KEY}) DO UPDATE SET "
        + ", ".join(f"{f} = report_daily.{f} + excluded.{f}" for f in _FIGURES)
        + ";"
    )


def _sweep(row: str) -> str:
    """Drop the rows of `row`'s day and staff member that no longer count anything."""
    return (
        f"DELETE FROM report_daily WHERE store_id = {row}.store_id AND day = {row}.created_day "
        f"AND staff_id = COALESCE({row}.staff_id, '') AND n = 0 AND financed_n = 0 AND ticket_n = 0;"
    )


def _application(row: str, sign: int) -> str:
    """The statements adding (sign 1) or removing (sign -1) application `row`'s contribution."""
    ticket = f"(SELECT p.price FROM purchases p WHERE p.application_id = {row}.id)"
    out = []
    for dim, key in (
        ("state", f"{row}.state"),
        ("product", f"COALESCE({row}.product_code, '')"),
        ("term", f"COALESCE(CAST({row}.requested_term AS TEXT), '')"),
    ):
        out.append(
            _upsert(
                f"SELECT {row}.store_id, '{dim}', {row}.created_day, COALESCE({row}.staff_id, ''), {key}, "
                f"{sign}, {sign} * COALESCE({row}.principal, 0), {sign} * ({row}.principal IS NOT NULL), "
                f"{sign} * COALESCE({ticket}, 0), {sign} * ({ticket} IS NOT NULL) WHERE 1"
            )
        )
    out.append(
        _upsert(
            f"SELECT {row}.store_id, c.kind, {row}.created_day, COALESCE({row}.staff_id, ''), c.code, "
            f"{sign}, 0, 0, 0, 0 FROM application_codes c WHERE c.application_id = {row}.id"
        )
    )
    if sign < 0:
        out.append(_sweep(row))
    return "\n".join(out)


def _purchase(row: str, sign: int) -> str:
    """The statements adding or removing purchase `row`'s price in its application's rows."""
    out = []
    for dim, key in (
        ("state", "a.state"),
        ("product", "COALESCE(a.product_code, '')"),
        ("term", "COALESCE(CAST(a.requested_term AS TEXT), '')"),
    ):
        out.append(
            _upsert(
                f"SELECT a.store_id, '{dim}', a.created_day, COALESCE(a.staff_id, ''), {key}, 0, 0, 0, "
                f"{sign} * {row}.price, {sign} FROM applications a WHERE a.id = {row}.application_id"
            )
        )
    return "\n".join(out)


def _code(row: str, sign: int) -> str:
    out = [
        _upsert(
            f"SELECT a.store_id, {row}.kind, a.created_day, COALESCE(a.staff_id, ''), {row}.code, {sign}, 0, 0, 0, 0 "
            f"FROM applications a WHERE a.id = {row}.application_id"
        )
    ]
    if sign < 0:
        out.append(
            f"DELETE FROM report_daily WHERE dim = {row}.kind AND key = {row}.code AND n = 0 AND "
            f"(store_id, day, staff_id) IN (SELECT a.store_id, a.created_day, COALESCE(a.staff_id, '') "
            f"FROM applications a WHERE a.id = {row}.application_id);"
        )
    return "\n".join(out)


_APPLICATION_COLUMNS = "state, product_code, requested_term, principal, staff_id, store_id, created_day"
TRIGGERS = {
    "report_application_insert": f"AFTER INSERT ON applications BEGIN\n{_application('NEW', 1)}\nEND",
    "report_application_update": (
        f"AFTER UPDATE OF {_APPLICATION_COLUMNS} ON applications BEGIN\n"
        f"{_application('OLD', -1)}\n{_application('NEW', 1)}\nEND"
    ),
    "report_application_delete": f"AFTER DELETE ON applications BEGIN\n{_application('OLD', -1)}\nEND",
    "report_purchase_insert": f"AFTER INSERT ON purchases BEGIN\n{_purchase('NEW', 1)}\nEND",
    "report_purchase_update": (
        f"AFTER UPDATE OF price, application_id ON purchases BEGIN\n{_purchase('OLD', -1)}\n{_purchase('NEW', 1)}\nEND"
    ),
    "report_purchase_delete": f"AFTER DELETE ON purchases BEGIN\n{_purchase('OLD', -1)}\nEND",
    "report_code_insert": f"AFTER INSERT ON application_codes BEGIN\n{_code('NEW', 1)}\nEND",
    "report_code_delete": f"AFTER DELETE ON application_codes BEGIN\n{_code('OLD', -1)}\nEND",
}


def _backfill_days(conn: sa.Connection) -> None:
    zones = {sid: ZoneInfo(tz) for sid, tz in conn.exec_driver_sql("SELECT id, time_zone FROM stores")}
    rows = conn.exec_driver_sql("SELECT id, store_id, created_at FROM applications").fetchall()
    updates = []
    for app_id, store_id, created in rows:
        moment = dt.datetime.fromisoformat(str(created)).replace(tzinfo=dt.UTC)
        updates.append((moment.astimezone(zones[store_id]).date().isoformat(), app_id))
    if updates:
        conn.exec_driver_sql("UPDATE applications SET created_day = ? WHERE id = ?", updates)


def _backfill_codes(conn: sa.Connection) -> None:
    latest = conn.exec_driver_sql(
        "SELECT l.application_id, l.decision, l.codes FROM prescreen_log l JOIN (SELECT application_id, "
        "max(id) AS id FROM prescreen_log WHERE application_id IS NOT NULL GROUP BY application_id) m ON m.id = l.id"
    ).fetchall()
    rows = []
    for app_id, decision, codes in latest:
        for code in dict.fromkeys((codes or "").split()):
            if code in _FLAGS:
                rows.append((app_id, code, "flag"))
            elif decision == "decline":
                rows.append((app_id, code, "reason"))
    if rows:
        conn.exec_driver_sql("INSERT INTO application_codes (application_id, code, kind) VALUES (?, ?, ?)", rows)


def _backfill_figures(conn: sa.Connection) -> None:
    """Set-based: the same figures the triggers keep, from the rows as they are now."""
    money = "count(*), COALESCE(sum(a.principal), 0), count(a.principal), COALESCE(sum(p.price), 0), count(p.price)"
    for dim, key in (
        ("state", "a.state"),
        ("product", "COALESCE(a.product_code, '')"),
        ("term", "COALESCE(CAST(a.requested_term AS TEXT), '')"),
    ):
        conn.exec_driver_sql(
            f"INSERT INTO report_daily ({_KEY}, {', '.join(_FIGURES)}) "
            f"SELECT a.store_id, '{dim}', a.created_day, COALESCE(a.staff_id, ''), {key}, {money} "
            "FROM applications a LEFT JOIN purchases p ON p.application_id = a.id "
            f"GROUP BY a.store_id, a.created_day, COALESCE(a.staff_id, ''), {key}"
        )
    conn.exec_driver_sql(
        f"INSERT INTO report_daily ({_KEY}, {', '.join(_FIGURES)}) "
        "SELECT a.store_id, c.kind, a.created_day, COALESCE(a.staff_id, ''), c.code, count(*), 0, 0, 0, 0 "
        "FROM application_codes c JOIN applications a ON a.id = c.application_id "
        "GROUP BY a.store_id, c.kind, a.created_day, COALESCE(a.staff_id, ''), c.code"
    )


def upgrade() -> None:
    conn = op.get_bind()
    # Plain ALTER TABLE, not a batch copy: dropping the old applications table while purchases, consents and
    # the rest point at it fails with foreign keys on (and they cannot be turned off inside the migration).
    conn.exec_driver_sql("ALTER TABLE applications ADD COLUMN created_day DATE NOT NULL DEFAULT '1970-01-01'")
    _backfill_days(conn)
    op.create_index("ix_applications_store_day", "applications", ["store_id", "created_day"], unique=False)
    op.create_table(
        "application_codes",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"]),
        sa.PrimaryKeyConstraint("application_id", "code"),
    )
    _backfill_codes(conn)
    _daily_table("report_daily")
    _daily_table("peer_report_daily")
    _backfill_figures(conn)
    for name, body in TRIGGERS.items():
        conn.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
    op.create_table(
        "region_report_cache",
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("from_day", sa.Date(), nullable=False),
        sa.Column("to_day", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("as_of", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account", "from_day", "to_day"),
    )


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_table("region_report_cache")
    for name in TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("peer_report_daily")
    op.drop_table("report_daily")
    op.drop_table("application_codes")
    op.drop_index("ix_applications_store_day", table_name="applications")
    conn.exec_driver_sql("ALTER TABLE applications DROP COLUMN created_day")
