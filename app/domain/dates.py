"""Due dates of monthly installments."""

from __future__ import annotations

import calendar
import datetime as dt
import functools

from app.kernel.errors import InvalidInput
from app.kernel.i18n import _

MIN_DAYS_TO_FIRST_DUE = 15
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, months: int, day_of_month: int | None = None) -> dt.date:
    """The date `months` later on `day_of_month` (default: the same day), clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month]
    return dt.date(year, month, min(day_of_month or day.day, last))


@functools.lru_cache(maxsize=1024)  # a comparison asks for the same start date once per term
def due_dates(start: dt.date, term: int, repayment_day: int | None = None) -> tuple[dt.date, ...]:
    """The `term` due dates of a loan starting on `start`.

    Without a repayment day: the start's day of month in each following month, clamped to the month's end
    (Jan 31 → Feb 28/29 → Mar 31 → Apr 30). With a repayment day D (1–28): day D of the next month, or of the
    month after if that is less than 15 days away, then day D of each month.
    """
    if term < 1:
        raise InvalidInput(_("The term must be at least one month."), code="bad_term")
    if not 1900 <= start.year <= 2200:
        raise InvalidInput(_("The start date is out of range."), code="bad_date")
    if repayment_day is None:
        return tuple(add_months(start, k, start.day) for k in range(1, term + 1))
    if not 1 <= repayment_day <= 28:
        raise InvalidInput(_("The repayment day must be between 1 and 28."), code="bad_repayment_day")
    first = add_months(start, 1, repayment_day)
    offset = 1 if (first - start).days >= MIN_DAYS_TO_FIRST_DUE else 2
    return tuple(add_months(start, offset + k, repayment_day) for k in range(term))
