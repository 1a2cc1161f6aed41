"""The enterprise register as an Excel workbook, out and in."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from semipark.core import services
from semipark.core.excel import Column, ImportReport, RowError, import_rows, read_rows, workbook_response

from .models import ChainItem, Enterprise, EnterpriseStatus, Park

COLUMNS = [
    Column("code", gettext_lazy("Code"), required=True),
    Column("name", gettext_lazy("Name"), required=True),
    Column("short_name", gettext_lazy("Short name"), required=True),
    Column("uscc", gettext_lazy("Unified social credit code")),
    Column("registered_capital", gettext_lazy("Registered capital (yuan)")),
    Column("founded", gettext_lazy("Founded")),
    Column("status", gettext_lazy("Status"), required=True),
    Column("chain_items", gettext_lazy("Chain items")),
    Column("above_size", gettext_lazy("Above designated size")),
    Column("address", gettext_lazy("Address")),
]
FIELDS = ["code", "name", "short_name", "uscc", "registered_capital", "founded", "status", "above_size", "address"]
YES = {"1", "true", "yes", "y", "是", "√", "✓"}


def export(enterprises) -> object:
    rows = (
        [
            e.code,
            e.name,
            e.short_name,
            e.uscc or "",
            e.registered_capital,
            e.founded,
            e.get_status_display(),
            "、".join(i.name for i in e.chain_items.all()),
            _("yes") if e.above_size else _("no"),
            e.address,
        ]
        for e in enterprises.prefetch_related("chain_items")
    )
    return workbook_response("enterprises.xlsx", str(_("Enterprises")), COLUMNS, rows)


def import_register(user, park: Park, upload) -> ImportReport:
    rows, report = read_rows(upload, COLUMNS)
    if not report.ok:
        return report
    items = {i.name: i for i in ChainItem.objects.filter(segment__park=park)} | {
        i.code: i for i in ChainItem.objects.filter(segment__park=park)
    }
    statuses = {str(label): value for value, label in EnterpriseStatus.choices} | {
        value: value for value in EnterpriseStatus.values
    }
    seen: dict[str, int] = {}

    def build(number: int, row: dict):
        problems = []
        code = _text(row.get("code"))
        if code in seen:
            problems.append(("code", _("Same code as row %(row)s.") % {"row": seen[code]}))
        seen[code] = number
        enterprise = Enterprise.objects.filter(code=code).first() or Enterprise(park=park)
        values = {name: _text(row.get(name)) for name in ("code", "name", "short_name", "uscc", "address")}
        values["uscc"] = values["uscc"].upper() or None
        values["status"] = statuses.get(_text(row.get("status")))
        if values["status"] is None:
            problems.append(("status", _("Unknown status “%(value)s”.") % {"value": _text(row.get("status"))}))
        values["registered_capital"] = _decimal(row.get("registered_capital"), "registered_capital", problems)
        values["founded"] = _date(row.get("founded"), "founded", problems)
        values["above_size"] = _text(row.get("above_size")).lower() in YES
        chain = []
        for name in filter(None, (n.strip() for n in _text(row.get("chain_items")).replace(",", "、").split("、"))):
            if name in items:
                chain.append(items[name])
            else:
                problems.append(("chain_items", _("Unknown chain item “%(value)s”.") % {"value": name}))
        for name, value in values.items():
            setattr(enterprise, name, value)
        if not problems:
            try:
                enterprise.full_clean()
            except ValidationError as exc:
                problems.extend((name, msg) for name, msgs in exc.message_dict.items() for msg in msgs)
        if problems:
            raise RowError(problems)
        enterprise._chain = chain
        return enterprise

    def save(enterprise) -> bool:
        creating = enterprise._state.adding
        services.save(user, enterprise, m2m={"chain_items": enterprise._chain}, message=_("Excel import"))
        return creating

    return import_rows(rows, report, build, save)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _decimal(value, field, problems):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        problems.append((field, _("“%(value)s” is not a number.") % {"value": value}))
        return None


def _date(value, field, problems):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append((field, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}))
        return None
