"""A schedule as CSV, for the customer's copy or the store's records."""

from __future__ import annotations

import csv
import io

from app.domain.money import format_money
from app.domain.schedule import Schedule, format_rate
from app.kernel.i18n import _


def schedule_csv(schedule: Schedule) -> str:
    """CSV text: one row per installment, then the totals and the annualised rates (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("No."), _("Due date"), _("Principal"), _("Interest"), _("Fee"), _("Installment"), _("Balance")])
    for i in schedule.installments:
        writer.writerow(
            [
                i.n,
                i.due_date.isoformat(),
                format_money(i.principal),
                format_money(i.interest),
                format_money(i.fee),
                format_money(i.total),
                format_money(i.balance),
            ]
        )
    writer.writerow([])
    writer.writerow([_("Total interest"), format_money(schedule.total_interest)])
    writer.writerow([_("Total fees"), format_money(schedule.total_fees)])
    writer.writerow([_("Total repayable"), format_money(schedule.total_repayable)])
    writer.writerow([_("Annualised rate (APR) %"), format_rate(schedule.apr)])
    writer.writerow([_("Effective annual rate %"), format_rate(schedule.effective_annual_rate)])
    return "\ufeff" + out.getvalue()
