from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from semipark.core.models import ApiToken, AuditEntry
from semipark.park.chain import COVERAGE_LABELS, chain_coverage
from semipark.park.demo import DEMO_ACCOUNTS
from semipark.park.models import Enterprise, EnterpriseStatus, Park

from .forms import ThrottledLoginForm


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        park = Park.objects.order_by("id").first()
        context["park_name"] = park.name if park else ""
        context["demo_accounts"] = DEMO_ACCOUNTS
        return context


@require_safe
@login_required
def home(request):
    user = request.user
    park = Park.objects.visible_to(user).order_by("id").first()
    enterprises = Enterprise.objects.visible_to(user)
    by_status = {row["status"]: row["n"] for row in enterprises.values("status").annotate(n=Count("id"))}
    settled = enterprises.exclude(status__in=[EnterpriseStatus.NEGOTIATING, EnterpriseStatus.LEFT])
    segments, coverage = chain_coverage(park) if park else ([], [])
    context = {
        "park": park,
        "status_rows": [(value, label, by_status.get(value, 0)) for value, label in EnterpriseStatus.choices],
        "settled_count": settled.count(),
        "capital": settled.aggregate(total=Sum("registered_capital"))["total"],
        "segment_rows": [
            (
                s,
                sum(1 for c in coverage if c.item.segment_id == s.pk and c.coverage == "covered"),
                sum(1 for c in coverage if c.item.segment_id == s.pk),
            )
            for s in segments
        ],
        "gaps": [c for c in coverage if c.coverage != "covered"],
        "coverage_labels": COVERAGE_LABELS,
        "latest": AuditEntry.objects.visible_to(user).select_related("enterprise")[:10],
        "own": user.enterprise if user.is_enterprise_member else None,
        "grade": park.grades.exclude(grade="").last() if park else None,
    }
    context["status_chart"] = {
        "labels": [str(label) for _value, label, _n in context["status_rows"]],
        "counts": [n for _value, _label, n in context["status_rows"]],
    }
    return render(request, "web/home.html", context)


@require_safe
@login_required
def audit_log(request):
    if not request.user.is_office:
        raise PermissionDenied
    rows = AuditEntry.objects.visible_to(request.user).select_related("enterprise")
    filters = {k: request.GET.get(k, "").strip() for k in ("model", "username", "kind", "object_id", "enterprise")}
    if not filters["enterprise"].isdigit():
        filters["enterprise"] = ""
    for name, value in filters.items():
        if value:
            rows = rows.filter(**{name: value})
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/audit.html",
        {
            "page": page,
            "filters": filters,
            "kinds": AuditEntry.Kind.choices,
            "enterprises": Enterprise.objects.visible_to(request.user).order_by("id"),
        },
    )


@require_safe
@login_required
def account(request):
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "web/account.html", {"tokens": tokens, "new_token": request.session.pop("new_token", None)})


@login_required
@require_POST
def issue_token(request):
    name = request.POST.get("name", "").strip()[:100] or "api"
    _token, raw = ApiToken.issue(request.user, name)
    request.session["new_token"] = raw
    messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return redirect("web:account")


@login_required
@require_POST
def revoke_token(request, token_id: int):
    get_object_or_404(ApiToken, pk=token_id, user=request.user).delete()
    messages.success(request, _("Token revoked."))
    return redirect("web:account")
