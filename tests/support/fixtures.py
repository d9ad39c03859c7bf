"""Known people for tests that look for personal data where it must not be."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.domain.customer import CustomerDetails
from app.domain.identity import make_resident_id


def known_customers(count: int, tag: int = 0) -> list[CustomerDetails]:
    """`count` customers with distinctive, valid details (names unlikely to appear by chance)."""
    people = []
    for i in range(count):
        n = tag * 1000 + i
        people.append(
            CustomerDetails(
                name=f"欧阳测试{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{n}",
                id_number=make_resident_id("440305", dt.date(1962, 1, 1) + dt.timedelta(days=n % 13000), 100 + i % 800),
                phone=f"1391{n:07d}",
                address=f"深圳市南山区科技园路{n}号测试大厦",
                employer=f"测试科技有限公司{n}",
                bank_card=f"62220200000{n:08d}",
                monthly_income=Decimal("12000.00"),
            )
        )
    return people


def newest_schema_revision() -> str:
    """The newest migration's revision id (the one a fresh store is at)."""
    from app.storage.migrate import MIGRATIONS_DIR

    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))
