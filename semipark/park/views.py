from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from semipark.core.scoping import may_create

from . import excel
from .api import ENTERPRISE_ORDERS, current_park
from .chain import COVERAGE_LABELS, chain_coverage, chain_graph
from .models import ChainSegment, Contact, Enterprise, EnterpriseStatus, Facility
from .site_plan import site_plan_data


@login_required
def enterprise_list(request):
    rows = Enterprise.objects.visible_to(request.user).prefetch_related("chain_items__segment")
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    segment = request.GET.get("segment", "")
    order = request.GET.get("order", "id")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(uscc=q.upper()))
    if status:
        rows = rows.filter(status=status)
    if segment:
        rows = rows.filter(chain_items__segment__code=segment).distinct()
    rows = rows.order_by(order if order in ENTERPRISE_ORDERS else "id")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "park/enterprise_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "segment": segment,
            "order": order,
            "statuses": EnterpriseStatus.choices,
            "segments": ChainSegment.objects.visible_to(request.user),
        },
    )


@login_required
def enterprise_detail(request, pk: int):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    may_private = Enterprise.objects.visible_to(request.user, "view_private").filter(pk=pk).exists()
    return render(
        request,
        "park/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "products": enterprise.products.select_related("chain_item"),
            "may_private": may_private,
        },
    )


@login_required
def enterprise_private(request, pk: int):
    """Contacts, users and internal notes: the enterprise itself, the park office and regulators."""
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user, "view_private"), pk=pk)
    return render(
        request,
        "park/enterprise_private.html",
        {
            "enterprise": enterprise,
            "contacts": Contact.objects.visible_to(request.user).filter(enterprise=enterprise),
            "users": enterprise.users.filter(is_active=True).order_by("username"),
        },
    )


@login_required
def my_enterprise(request):
    if not request.user.enterprise_id:
        raise Http404
    return redirect("park:enterprise-private", pk=request.user.enterprise_id)


@login_required
def chain(request):
    segments, coverage = chain_coverage(current_park(request.user))
    for c in coverage:
        c.coverage_label = COVERAGE_LABELS[c.coverage]
    return render(
        request,
        "park/chain.html",
        {
            "segments": segments,
            "coverage": coverage,
            "graph": chain_graph(segments, coverage),
        },
    )


@login_required
def site_plan(request):
    park = current_park(request.user)
    return render(request, "park/site_plan.html", {"park": park, "plan": site_plan_data(request.user, park)})


@login_required
def facilities(request):
    rows = Facility.objects.visible_to(request.user).filter(park=current_park(request.user))
    return render(request, "park/facilities.html", {"facilities": rows})


@login_required
def enterprise_export(request):
    if not request.user.is_office:
        raise Http404
    return excel.export(Enterprise.objects.visible_to(request.user).order_by("id"))


@login_required
def enterprise_import(request):
    """Upload the register; nothing is written unless every row is valid."""
    if not may_create(request.user, Enterprise):
        raise Http404
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose an .xlsx file to import."))
        else:
            report = excel.import_register(request.user, current_park(request.user), upload)
            if report.ok:
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(updated)s updated.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("park:enterprise-list")
    return render(request, "park/enterprise_import.html", {"report": report, "columns": excel.COLUMNS})
