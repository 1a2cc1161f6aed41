"""The gallium balance of an enterprise per month, from its lots' history and each material's gallium fraction.

in = received from other enterprises + registered without a source (primary production, purchases from
outside the park, opening stock); out = shipped; lost = gallium consumed by transformations minus gallium in
what they produced; stock at the end of a month = stock at its start + in − out − lost.
Recovered gallium (outputs of the recovery process) is shown on its own line: it is gallium that came in
inside scrap, so adding it to "in" would count it twice.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from .models import LotEvent

PLACES = Decimal("0.0001")


@dataclass
class MonthBalance:
    month: date
    opening: Decimal = Decimal(0)
    received: Decimal = Decimal(0)
    registered: Decimal = Decimal(0)
    shipped: Decimal = Decimal(0)
    consumed: Decimal = Decimal(0)
    produced: Decimal = Decimal(0)
    recovered: Decimal = Decimal(0)

    @property
    def gallium_in(self) -> Decimal:
        return self.received + self.registered

    @property
    def gallium_out(self) -> Decimal:
        return self.shipped

    @property
    def lost(self) -> Decimal:
        return self.consumed - self.produced

    @property
    def closing(self) -> Decimal:
        return self.opening + self.gallium_in - self.gallium_out - self.lost

    def rounded(self) -> dict:
        names = ("opening", "received", "registered", "shipped", "consumed", "produced", "recovered")
        values = {name: getattr(self, name) for name in names}
        values |= {"gallium_in": self.gallium_in, "gallium_out": self.gallium_out, "lost": self.lost}
        values["closing"] = self.closing
        return {"month": self.month} | {k: v.quantize(PLACES) for k, v in values.items()}


_FLOW = {
    LotEvent.Code.RECEIVED: "received",
    LotEvent.Code.CREATED: "registered",
    LotEvent.Code.SHIPPED: "shipped",
    LotEvent.Code.CONSUMED: "consumed",
    LotEvent.Code.PRODUCED: "produced",
}


def gallium_balance(enterprise, until: date | None = None) -> list[MonthBalance]:
    """Month by month (local time) from the first event of the enterprise's lots up to ``until``."""
    events = (
        LotEvent.objects.filter(lot__enterprise=enterprise)
        .select_related("lot")
        .only("code", "at", "quantity", "deltas", "lot__material", "lot__unit", "lot__unit_mass_kg")
        .order_by("at", "id")
    )
    months: dict[date, MonthBalance] = {}
    for event in events:
        month = timezone.localtime(event.at).date().replace(day=1)
        row = months.setdefault(month, MonthBalance(month))
        gallium = abs(event.quantity) * event.lot.gallium_kg_per_unit
        name = _FLOW[event.code]
        setattr(row, name, getattr(row, name) + gallium)
        if event.code == LotEvent.Code.PRODUCED and event.deltas.get("process") == "recover":
            row.recovered += gallium
    return _chain(months, until)


def _chain(months: dict[date, MonthBalance], until: date | None) -> list[MonthBalance]:
    """Fill the months without events and carry each closing stock into the next opening."""
    if not months:
        return []
    end = (until or timezone.localdate()).replace(day=1)
    month, rows, stock = min(months), [], Decimal(0)
    while month <= max(end, max(months)):
        row = months.get(month) or MonthBalance(month)
        row.opening = stock
        stock = row.closing
        rows.append(row)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return rows


def stock_now(enterprise) -> Decimal:
    """Gallium in the enterprise's lots as they are now (the balance's last closing must equal it)."""
    return sum((lot.gallium_kg() for lot in enterprise.lots.filter(available__gt=0)), Decimal(0))
