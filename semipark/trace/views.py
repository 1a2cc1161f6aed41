"""The trace pages under /trace/: lots, their trace graph and label, transformations, shipments, licences,
export control and the gallium balance. Thin: the operations live in the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from semipark.core.excel import Column, workbook_response
from semipark.core.scoping import may_create
from semipark.core.statemachine import TransitionRefused
from semipark.park.models import Enterprise

from . import balance, exportcontrol, genealogy, identifiers, licences, lots, materials, present, shipments
from .api import balance_enterprise
from .forms import (
    INPUT_ROWS,
    OUTPUT_ROWS,
    LicenceForm,
    LotForm,
    ShipmentForm,
    TransformForm,
    chosen_lots,
    lot_rows,
    output_rows,
)
from .models import ExportLicence, Lot, Shipment


def _visible_lot(user, pk) -> Lot:
    return get_object_or_404(Lot.objects.visible_to(user).select_related("enterprise"), pk=pk)


def _refused(form, exc) -> None:
    """Show a service's refusal on the form: field errors where they belong, the rest on top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, str(exc) if not isinstance(exc, ValidationError) else exc.messages)


@login_required
def lot_list(request):
    rows = Lot.objects.visible_to(request.user).select_related("enterprise")
    q = request.GET.get("q", "").strip()
    material = request.GET.get("material", "")
    if q:
        rows = rows.filter(Q(identifier__icontains=q) | Q(description__icontains=q, enterprise=request.user.enterprise))
    if material:
        rows = rows.filter(material=material)
    page = Paginator(rows.order_by("-id"), 25).get_page(request.GET.get("page"))
    page.object_list = [present.lot_dict(request.user, lot) for lot in page.object_list]
    return render(
        request,
        "trace/lot_list.html",
        {
            "page": page,
            "q": q,
            "material": material,
            "materials": materials.choices(),
            "may_add": may_create(request.user, Lot),
        },
    )


@login_required
def lot_create(request):
    if not may_create(request.user, Lot):
        raise Http404
    form = LotForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lot = lots.register_lot(request.user, form.acting(request.user), form.spec())
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Lot %(lot)s registered.") % {"lot": lot.identifier})
            return redirect("trace:lot-detail", pk=lot.pk)
    return render(request, "trace/form.html", {"form": form, "title": _("Register a lot")})


@login_required
def lot_detail(request, pk: int):
    lot = _visible_lot(request.user, pk)
    own = present.is_own(request.user, lot)
    context = {"lot": present.lot_dict(request.user, lot), "obj": lot, "own": own}
    if own:
        context |= {
            "events": lot.events.all(),
            "parents": lot.parent_links.select_related("parent__enterprise"),
            "children": lot.child_links.select_related("child__enterprise"),
            "item": licences.controlled_item(lot),
        }
    return render(request, "trace/lot_detail.html", context)


@login_required
def lot_graph(request, pk: int):
    lot = _visible_lot(request.user, pk)
    direction = request.GET.get("direction", "both")
    if direction not in (genealogy.BACKWARD, genealogy.FORWARD, "both"):
        direction = "both"
    trace = genealogy.trace(request.user, lot, direction)
    return render(
        request,
        "trace/lot_graph.html",
        {"lot": lot, "direction": direction, "graph": present.chart(request.user, trace), "count": len(trace.nodes)},
    )


def _own_lot(user, pk) -> Lot:
    """A lot whose label and details the user may have: its own enterprise's, or any for the park office."""
    lot = _visible_lot(user, pk)
    if not present.is_own(user, lot):
        raise Http404
    return lot


@login_required
def lot_label(request, pk: int):
    lot = _own_lot(request.user, pk)
    return render(request, "trace/lot_label.html", {"lot": lot, "qr": identifiers.qr_svg(lot.identifier)})


@login_required
def lot_label_png(request, pk: int):
    lot = _own_lot(request.user, pk)
    return HttpResponse(identifiers.qr_png(lot.identifier), content_type="image/png")


@login_required
def transform(request):
    if not may_create(request.user, Lot):
        raise Http404
    data = request.POST or None
    form = TransformForm(data, user=request.user)
    inputs = lot_rows(request.user, "in", INPUT_ROWS, data)
    outputs = output_rows(OUTPUT_ROWS, data)
    if request.method == "POST" and all(f.is_valid() for f in [form, *inputs, *outputs]):
        pairs = chosen_lots(inputs)
        specs = [r.spec() for r in outputs if r.cleaned_data.get("quantity")]
        try:
            _step, made = lots.transform(
                request.user,
                form.acting(request.user),
                form.cleaned_data["process"],
                pairs,
                specs,
                form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Produced %(lots)s.") % {"lots": ", ".join(lot.identifier for lot in made)})
            return redirect("trace:lot-detail", pk=made[0].pk)
    return render(request, "trace/transform.html", {"form": form, "inputs": inputs, "outputs": outputs})


@login_required
def shipment_list(request):
    rows = Shipment.objects.visible_to(request.user).select_related("seller", "buyer").prefetch_related("lines__lot")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "trace/shipment_list.html", {"page": page, "may_add": may_create(request.user, Shipment)})


@login_required
def shipment_detail(request, pk: int):
    shipment = get_object_or_404(Shipment.objects.visible_to(request.user).select_related("seller", "buyer"), pk=pk)
    lines = shipment.lines.select_related("lot", "received_lot")
    return render(request, "trace/shipment_detail.html", {"shipment": shipment, "lines": lines})


@login_required
def shipment_create(request):
    if not may_create(request.user, Shipment):
        raise Http404
    data = request.POST or None
    form = ShipmentForm(data, user=request.user)
    rows = lot_rows(request.user, "lot", INPUT_ROWS, data)
    if request.method == "POST" and all(f.is_valid() for f in [form, *rows]):
        pairs = chosen_lots(rows)
        try:
            shipment = shipments.ship(
                request.user,
                seller=form.acting(request.user),
                buyer=form.cleaned_data["buyer"],
                buyer_name=form.cleaned_data["buyer_name"],
                country=form.cleaned_data["destination_country"],
                lot_lines=pairs,
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied, TransitionRefused) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Shipment %(number)s recorded.") % {"number": shipment.number})
            return redirect("trace:shipment-detail", pk=shipment.pk)
    return render(request, "trace/shipment_form.html", {"form": form, "rows": rows})


@login_required
def licence_list(request):
    rows = ExportLicence.objects.visible_to(request.user).select_related("enterprise").prefetch_related("drawdowns")
    may_add = may_create(request.user, ExportLicence) and (request.user.is_office or request.user.enterprise_id)
    form = LicenceForm(request.POST or None, user=request.user) if may_add else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            licence = licences.register(
                request.user,
                ExportLicence(enterprise=form.acting(request.user), registered_by=request.user),
                form.licence_fields(),
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Licence %(number)s registered.") % {"number": licence.number})
            return redirect("trace:licence-list")
    items = [
        present.licence_dict(lic) | {"enterprise": lic.enterprise, "valid": lic.valid_on(exportcontrol.today())}
        for lic in rows
    ]
    return render(request, "trace/licence_list.html", {"licences": items, "form": form})


@login_required
def export_control(request):
    today = exportcontrol.today()
    version = exportcontrol.version_on(today)
    return render(
        request,
        "trace/export_control.html",
        {
            "version": version,
            "items": exportcontrol.items(today),
            "rules": [present.rule_dict(rule, today) for rule in exportcontrol.destination_rules()],
            "territory_note": exportcontrol.customs_territory_note(),
            "sources": exportcontrol.sources(),
            "today": today,
        },
    )


BALANCE_COLUMNS = [
    Column("month", _("month")),
    Column("opening", _("opening stock (kg Ga)")),
    Column("received", _("received")),
    Column("registered", _("registered without source")),
    Column("gallium_in", _("gallium in")),
    Column("shipped", _("gallium out (shipped)")),
    Column("consumed", _("consumed in processing")),
    Column("produced", _("contained in outputs")),
    Column("recovered", _("of which recovered")),
    Column("lost", _("lost")),
    Column("closing", _("closing stock (kg Ga)")),
]


def _balance_context(request):
    firms = Enterprise.objects.visible_to(request.user).order_by("id") if request.user.is_office else None
    chosen = request.GET.get("enterprise") or (firms.first().pk if firms else None)
    try:
        firm = balance_enterprise(request.user, int(chosen) if chosen else None)
    except (Enterprise.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    return firm, firms, [m.rounded() for m in balance.gallium_balance(firm)]


@login_required
def balance_page(request):
    firm, firms, months = _balance_context(request)
    chart = {
        "months": [m["month"].strftime("%Y-%m") for m in months],
        "series": {c.key: [float(m[c.key]) for m in months] for c in BALANCE_COLUMNS[1:]},
        "labels": {c.key: str(c.header) for c in BALANCE_COLUMNS},
    }
    return render(
        request,
        "trace/balance.html",
        {
            "firm": firm,
            "firms": firms,
            "months": months,
            "columns": BALANCE_COLUMNS,
            "chart": chart,
            "stock": round(balance.stock_now(firm), 4),
        },
    )


@login_required
def balance_export(request):
    firm, _firms, months = _balance_context(request)
    rows = [[m["month"].strftime("%Y-%m"), *[m[c.key] for c in BALANCE_COLUMNS[1:]]] for m in months]
    return workbook_response(f"gallium-balance-{firm.code}.xlsx", _("Gallium balance"), BALANCE_COLUMNS, rows)
