"""Pages of the marketplace. Thin: each reads through visible_to and calls the same services as the API."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from semipark.core.statemachine import TransitionRefused

from . import catalog, excel, matching, notices, orders, rfqs, trade
from .listings import save_listing
from .models import RFQ, Category, Listing, Notice, Order, Product, ProductFile, Quote
from .queries import limits_from, order_list
from .spec_form import all_inputs, specs_from
from .specs import spec_rows

SEARCH_PARAMS = ("q", "category", "material", "conduction", "diameter_in", "purity", "epd_max")


@login_required
def home(request):
    """The marketplace: catalog and listings searched in Chinese or English, with spec limits."""
    params = {name: request.GET.get(name, "").strip() for name in SEARCH_PARAMS}
    text, category, limits = limits_from(params)
    try:
        products = catalog.search(
            Product.objects.visible_to(request.user).filter(active=True).select_related("enterprise", "category"),
            text,
            category,
            **limits,
        )
        listings = catalog.search(
            Listing.objects.visible_to(request.user).exclude(status=Listing.Status.DRAFT).select_related("enterprise"),
            text,
            category,
            fields=("title",),
            **limits,
        )
        page = Paginator(products, 20).get_page(request.GET.get("page"))
        listings = list(listings[:20])
    except (ValueError, ValidationError, InvalidOperation):
        messages.error(request, _("Check the search limits: numbers only."))
        page, listings = Paginator(Product.objects.none(), 20).get_page(1), []
    unread = Notice.objects.visible_to(request.user).filter(read=False)[:10]
    return render(
        request,
        "market/home.html",
        {
            "page": page,
            "listings": listings,
            "categories": Category.objects.visible_to(request.user),
            "params": params,
            "notices": unread,
        },
    )


@login_required
@require_POST
def notices_read(request):
    notices.mark_read(request.user)
    return redirect("market:home")


@login_required
def product_detail(request, pk):
    product = get_object_or_404(Product.objects.visible_to(request.user).select_related("enterprise"), pk=pk)
    return render(
        request,
        "market/product.html",
        {
            "product": product,
            "specs": spec_rows(product.specs),
            "control": catalog.export_control(product.hs_code, product.name),
            "files": product.files.all(),
            "may_change": Product.objects.visible_to(request.user, "change").filter(pk=pk).exists(),
        },
    )


@login_required
def product_file(request, pk):
    """A photo or data sheet, served to signed-in users who may see the product (no public media folder)."""
    stored = get_object_or_404(ProductFile.objects.visible_to(request.user), pk=pk)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(handle, filename=stored.file.name.rsplit("/", 1)[-1])


@login_required
def product_form(request, pk=None):
    product = get_object_or_404(Product.objects.visible_to(request.user, "change"), pk=pk) if pk else Product()
    errors = {}
    kind, specs = (product.category.kind, product.specs) if product.category_id else ("", {})
    if request.method == "POST":
        data = request.POST
        category = get_object_or_404(Category, pk=data.get("category") or 0)
        kind, specs = category.kind, specs_from(category.kind, data)
        try:
            fields = {
                "category": category,
                "name": data.get("name", ""),
                "name_en": data.get("name_en", ""),
                "description": data.get("description", ""),
                "specs": specs,
                "unit": data.get("unit", ""),
                "price": _decimal(data.get("price")),
                "lead_time_days": _whole(data.get("lead_time_days")),
                "hs_code": data.get("hs_code", ""),
            }
            with transaction.atomic():  # a refused file leaves the product as it was
                catalog.save_product(request.user, product, fields)
                if upload := request.FILES.get("file"):
                    catalog.attach_file(request.user, product, data.get("file_kind", "photo"), upload)
            messages.success(request, _("Product saved."))
            return redirect("market:product", product.pk)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return render(
        request,
        "market/product_form.html",
        {
            "product": product,
            "errors": errors,
            "data": request.POST or None,
            "categories": Category.objects.visible_to(request.user),
            "spec_inputs": all_inputs({kind: specs}),
            "spec_kind": kind,
        },
    )


@login_required
def mine(request):
    """My products and listings."""
    enterprise = request.user.enterprise_id
    return render(
        request,
        "market/mine.html",
        {
            "products": Product.objects.visible_to(request.user, "change").filter(enterprise_id=enterprise),
            "listings": Listing.objects.visible_to(request.user, "change").filter(enterprise_id=enterprise),
            "categories": Category.objects.visible_to(request.user),
            "kinds": Listing.Kind.choices,
            "spec_inputs": all_inputs(),
        },
    )


@login_required
@require_POST
def listing_create(request):
    data = request.POST
    category = get_object_or_404(Category, pk=data.get("category") or 0)
    try:
        fields = {
            "kind": data.get("kind", ""),
            "title": data.get("title", ""),
            "category": category,
            "specs": specs_from(category.kind, data),
            "quantity": _decimal(data.get("quantity")),
            "unit": data.get("unit", ""),
            "price": _decimal(data.get("price")),
        }
        listing = save_listing(request.user, Listing(), fields)
        return redirect("market:listing", listing.pk)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors_text(exc))
        return redirect("market:mine")


@login_required
def listing_detail(request, pk):
    listing = get_object_or_404(Listing.objects.visible_to(request.user).select_related("enterprise"), pk=pk)
    matches = matching.matches_for(listing) if listing.kind == Listing.Kind.DEMAND else []
    return render(
        request,
        "market/listing.html",
        {"listing": listing, "specs": spec_rows(listing.specs), "matches": matches},
    )


@login_required
def rfq_list(request):
    """RFQ inbox (to answer) and outbox (issued)."""
    visible = RFQ.objects.visible_to(request.user).select_related("buyer")
    mine_id = request.user.enterprise_id
    return render(
        request,
        "market/rfq_list.html",
        {
            "outbox": visible.filter(buyer_id=mine_id) if mine_id else visible,
            "inbox": visible.exclude(buyer_id=mine_id) if mine_id else RFQ.objects.none(),
            "categories": Category.objects.visible_to(request.user),
            "may_issue": request.user.is_enterprise_member,
            "spec_inputs": all_inputs(),
        },
    )


@login_required
@require_POST
def rfq_create(request):
    data = request.POST
    try:
        closes_at = timezone.make_aware(datetime.fromisoformat(data.get("closes_at", "")))
        category = get_object_or_404(Category, pk=data.get("category") or 0)
        item = {
            "category": category,
            "description": data.get("description", ""),
            "specs": specs_from(category.kind, data),
            "quantity": _decimal(data.get("quantity")),
            "unit": data.get("unit", ""),
        }
        fields = {
            "title": data.get("title", ""),
            "delivery_date": data.get("delivery_date") or None,
            "closes_at": closes_at,
            "open_to_park": data.get("open_to_park") == "on",
        }
        rfq = rfqs.create_rfq(request.user, fields, [item])
        messages.success(request, _("RFQ %(number)s issued.") % {"number": rfq.number})
        return redirect("market:rfq", rfq.pk)
    except ValueError:
        messages.error(request, _("Give the closing time as date and time."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors_text(exc))
    return redirect("market:rfqs")


@login_required
def rfq_detail(request, pk):
    rfq = get_object_or_404(RFQ.objects.visible_to(request.user).select_related("buyer"), pk=pk)
    user = request.user
    is_buyer = user.enterprise_id == rfq.buyer_id
    own_quote = Quote.objects.visible_to(user).filter(rfq=rfq, supplier_id=user.enterprise_id).first()
    context = {
        "rfq": rfq,
        "items": rfq.items.select_related("category"),
        "is_buyer": is_buyer,
        "own_quote": own_quote,
        "may_answer": rfqs.may_answer(user, rfq) and rfq.status == RFQ.Status.OPEN and rfq.sealed,
        "my_products": Product.objects.visible_to(user).filter(enterprise_id=user.enterprise_id),
        "table": rfqs.comparison(user, rfq) if is_buyer else None,
        "invited": rfq.invitations.select_related("supplier") if is_buyer else [],
        "answered": rfq.quotes.count() if is_buyer or user.is_office else None,
    }
    return render(request, "market/rfq.html", context)


@login_required
@require_POST
def rfq_answer(request, pk):
    rfq = get_object_or_404(RFQ.objects.visible_to(request.user), pk=pk)
    data = request.POST
    try:
        if data.get("decline"):
            rfqs.decline(request.user, rfq, data.get("notes", ""))
        else:
            lines = [
                {
                    "item_id": item.pk,
                    "product_id": int(data.get(f"product_{item.pk}") or 0),
                    "price": _decimal(data.get(f"price_{item.pk}")),
                    "quantity": _decimal(data.get(f"quantity_{item.pk}")),
                    "lead_time_days": int(data.get(f"lead_{item.pk}") or 0),
                }
                for item in rfq.items.all()
                if data.get(f"price_{item.pk}")
            ]
            rfqs.submit_quote(request.user, rfq, lines, data.get("valid_until") or None, data.get("notes", ""))
        messages.success(request, _("Your answer is recorded; it stays sealed from other suppliers."))
    except (ValidationError, PermissionDenied, ValueError) as exc:
        messages.error(request, _errors_text(exc))
    return redirect("market:rfq", rfq.pk)


@login_required
@require_POST
def rfq_award(request, pk):
    rfq = get_object_or_404(RFQ.objects.visible_to(request.user, "change"), pk=pk)
    line_ids = [int(v) for k, v in request.POST.items() if k.startswith("item_") and v.isdigit()]
    try:
        created = rfqs.award(request.user, rfq, line_ids)
        messages.success(request, _("Awarded: %(orders)s.") % {"orders": ", ".join(o.number for o in created)})
        return redirect("market:order", created[0].pk)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors_text(exc))
    return redirect("market:rfq", rfq.pk)


@login_required
def order_list_page(request):
    status = request.GET.get("status", "")
    return render(
        request,
        "market/order_list.html",
        {"page": Paginator(order_list(request.user, status), 30).get_page(request.GET.get("page")), "status": status},
    )


@login_required
def order_detail(request, pk):
    order = get_object_or_404(order_list(request.user), pk=pk)
    actions = orders.available_actions(request.user, order)
    return render(
        request,
        "market/order.html",
        {
            "order": order,
            "actions": [
                (a, orders.ACTION_LABELS[a], orders.ORDER_MACHINE.transitions[a].needs_note)
                for a in actions
                if a not in orders.LOT_ACTIONS
            ],
            "lots": orders.shippable_lots(request.user, order) if "ship" in actions else None,
        },
    )


@login_required
@require_POST
def order_action(request, pk, action):
    order = get_object_or_404(Order.objects.visible_to(request.user, "change"), pk=pk)
    note = request.POST.get("note", "")
    try:
        if action == "ship":
            picked = [
                (int(key[4:]), value) for key, value in request.POST.items() if key.startswith("lot_") and value.strip()
            ]
            orders.ship(request.user, order, orders.lot_lines(request.user, picked), note)
        else:
            orders.transition(request.user, order, action, note)
        messages.success(request, _("Order updated."))
    except (TransitionRefused, PermissionDenied, ValidationError) as exc:
        messages.error(request, _errors_text(exc))
    return redirect("market:order", order.pk)


@login_required
def order_export(request):
    return excel.export_orders(order_list(request.user, request.GET.get("status", "")))


@login_required
def office(request):
    """Park office: in-park trade values and unmet demand by category."""
    if not request.user.is_office:
        raise PermissionDenied(_("Only the park office sees park trade statistics."))
    user = request.user
    months = trade.by_month(user)
    return render(
        request,
        "market/office.html",
        {
            "chart": {
                "months": [r["month"] for r in months],
                "values": [float(r["value"]) for r in months],
                "unit": _("yuan"),
            },
            "by_month": months,
            "by_segment": trade.by_segment(user),
            "by_pair": trade.by_pair(user),
            "unmet": matching.unmet_demand(),
        },
    )


def _whole(text) -> int | None:
    number = _decimal(text)
    if number is not None and (number != number.to_integral_value() or number < 0):
        raise ValidationError(_("“%(value)s” is not a whole number of days.") % {"value": text})
    return None if number is None else int(number)


def _decimal(text) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        return Decimal(str(text).strip())
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from None


def _errors_text(exc) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
