"""A report's period: store-local days from start to end, both included, named by a preset or chosen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from app.kernel.errors import InvalidInput
from app.kernel.i18n import N_, _

PRESETS: dict[str, str] = {
    "today": N_("Today"),
    "this_week": N_("This week"),
    "this_month": N_("This month"),
    "custom": N_("Custom"),
}
MAX_DAYS = 3 * 366  # a report of more than three years is a mistake, not a question


class BadPeriod(InvalidInput):
    code = "bad_range"


@dataclass(frozen=True)
class Period:
    """Days start…end of the store's calendar, both included."""

    start: dt.date
    end: dt.date
    preset: str = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BadPeriod(_("The period ends before it starts."))
        if (self.end - self.start).days >= MAX_DAYS:
            raise BadPeriod(_("A report covers at most three years."))

    def days(self) -> Iterator[dt.date]:
        """Every day of the period, in order."""
        for offset in range((self.end - self.start).days + 1):
            yield self.start + dt.timedelta(days=offset)

    @property
    def length(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1


def preset_period(preset: str, today: dt.date) -> Period:
    """Today, this week (from Monday) or this month (from the 1st), each up to `today` included."""
    if preset == "today":
        return Period(today, today, preset)
    if preset == "this_week":
        return Period(today - dt.timedelta(days=today.weekday()), today, preset)
    if preset == "this_month":
        return Period(today.replace(day=1), today, preset)
    raise BadPeriod(_("Unknown period: {name}").format(name=preset))


def preset_label(preset: str) -> str:
    """The preset's name in the configured language."""
    return _(PRESETS[preset])


def parse_period(start: str | None, end: str | None, today: dt.date) -> Period:
    """The period between two YYYY-MM-DD dates; without `start` this month, without `end` up to today."""

    def day(text: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError as exc:
            raise InvalidInput(_("Not a date (YYYY-MM-DD): {text}").format(text=text), code="bad_date") from exc

    if start is None and end is None:
        return preset_period("this_month", today)
    first = day(start) if start else today.replace(day=1)
    last = day(end) if end else today
    return Period(first, last)
