from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from semipark.core import services
from semipark.core.scoping import may, may_create
from semipark.web.forms import submit_model_form
from semipark.web.imports import excel_import_page

from . import excel
from .chain import COVERAGE_LABELS, chain_coverage, chain_graph
from .forms import ContactForm, EnterpriseForm
from .models import ChainSegment, Contact, Enterprise, EnterpriseStatus, Facility
from .queries import current_park, search_enterprises
from .services import editable_enterprise_fields, save_enterprise
from .site_plan import site_plan_data

LIST_FILTERS = ("q", "status", "segment", "order")


@require_safe
@login_required
def park_overview(request):
    """The park's facts, its chemical-park recognition and grades, and the plans on file."""
    park = current_park(request.user)
    return render(
        request,
        "park/park.html",
        {
            "park": park,
            "grades": park.grades.all(),
            "plans": park.plans.all(),
            "facility_count": Facility.objects.visible_to(request.user).filter(park=park).count(),
        },
    )


@require_safe
@login_required
def enterprise_list(request):
    filters = {name: request.GET.get(name, "").strip() for name in LIST_FILTERS}
    rows = search_enterprises(
        Enterprise.objects.visible_to(request.user).prefetch_related("chain_items__segment"), **filters
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "park/enterprise_list.html",
        {
            "page": page,
            **filters,
            "statuses": EnterpriseStatus.choices,
            "segments": ChainSegment.objects.visible_to(request.user),
            "may_add": may_create(request.user, Enterprise),
        },
    )


@require_safe
@login_required
def enterprise_detail(request, pk: int):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "park/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "products": enterprise.products.select_related("chain_item"),
            "may_private": may(request.user, enterprise, "view_private"),
            "may_change": may(request.user, enterprise, "change"),
        },
    )


@login_required
def enterprise_create(request):
    if not may_create(request.user, Enterprise):
        raise Http404
    return _enterprise_form(request, Enterprise(park=current_park(request.user)))


@login_required
def enterprise_edit(request, pk: int):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user, "change"), pk=pk)
    return _enterprise_form(request, enterprise)


def _enterprise_form(request, enterprise: Enterprise):
    editable = editable_enterprise_fields(request.user)
    creating = enterprise._state.adding
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user, editable=editable)
    saved = submit_model_form(
        request, form, enterprise, lambda target: save_enterprise(request.user, target, *form.changes())
    )
    if saved:
        return redirect("park:enterprise-detail", pk=saved.pk)
    return render(request, "park/enterprise_form.html", {"form": form, "enterprise": enterprise, "creating": creating})


@require_safe
@login_required
def enterprise_private(request, pk: int):
    """Contacts, users and internal notes: the enterprise itself, the park office and regulators."""
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user, "view_private"), pk=pk)
    contacts = Contact.objects.visible_to(request.user).filter(enterprise=enterprise)
    return render(
        request,
        "park/enterprise_private.html",
        {
            "enterprise": enterprise,
            "contacts": contacts,
            "changeable": _contact_ids(request.user, enterprise, "change"),
            "deletable": _contact_ids(request.user, enterprise, "delete"),
            "may_add_contact": may_create(request.user, Contact),
            "users": enterprise.users.filter(is_active=True).order_by("username"),
        },
    )


def _contact_ids(user, enterprise, action: str) -> set[int]:
    return set(Contact.objects.visible_to(user, action).filter(enterprise=enterprise).values_list("pk", flat=True))


@require_safe
@login_required
def my_enterprise(request):
    if not request.user.enterprise_id:
        raise Http404
    return redirect("park:enterprise-private", pk=request.user.enterprise_id)


@login_required
def contact_create(request, enterprise_id: int):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user, "view_private"), pk=enterprise_id)
    if not may_create(request.user, Contact):
        raise Http404
    return _contact_form(request, enterprise, Contact(enterprise=enterprise))


@login_required
def contact_edit(request, pk: int):
    contact = get_object_or_404(Contact.objects.visible_to(request.user, "change").select_related("enterprise"), pk=pk)
    return _contact_form(request, contact.enterprise, contact)


def _contact_form(request, enterprise: Enterprise, contact: Contact):
    form = ContactForm(request.POST or None, instance=contact)
    if submit_model_form(request, form, contact, lambda target: services.save(request.user, target, form.cleaned_data)):
        return redirect("park:enterprise-private", pk=enterprise.pk)
    return render(request, "park/contact_form.html", {"form": form, "enterprise": enterprise, "contact": contact})


@login_required
@require_POST
def contact_delete(request, pk: int):
    contact = get_object_or_404(Contact.objects.visible_to(request.user, "delete"), pk=pk)
    enterprise_id = contact.enterprise_id
    services.delete(request.user, contact)
    messages.success(request, _("Deleted %(name)s.") % {"name": contact})
    return redirect("park:enterprise-private", pk=enterprise_id)


@require_safe
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


@require_safe
@login_required
def site_plan(request):
    park = current_park(request.user)
    return render(request, "park/site_plan.html", {"park": park, "plan": site_plan_data(request.user, park)})


@require_safe
@login_required
def facilities(request):
    rows = Facility.objects.visible_to(request.user).filter(park=current_park(request.user))
    return render(request, "park/facilities.html", {"facilities": rows})


@require_safe
@login_required
def enterprise_export(request):
    """The register as .xlsx, with the list page's filters applied (park office)."""
    if not request.user.is_office:
        raise Http404
    filters = {name: request.GET.get(name, "").strip() for name in LIST_FILTERS}
    return excel.export(search_enterprises(Enterprise.objects.visible_to(request.user), **filters))


@login_required
def enterprise_import(request):
    """Upload the register; nothing is written unless every row is valid."""
    if not may_create(request.user, Enterprise):
        raise Http404
    park = current_park(request.user)
    return excel_import_page(
        request,
        run=lambda upload: excel.import_register(request.user, park, upload),
        columns=excel.COLUMNS,
        template="park/enterprise_import.html",
        done="park:enterprise-list",
    )
