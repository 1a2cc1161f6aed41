from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from .auth import LockedOut, check_password
from .models import ApiToken, AuditEntry
from .pagination import Pages
from .schemas import AuditOut, FieldErrors, MeOut, Message, TokenIn, TokenOut

router = Router(tags=["auth"])


@router.post("/auth/token", auth=None, response={201: TokenOut, 401: Message, 429: Message})
def issue_token(request, body: TokenIn):
    """Exchange a user name and password for a personal API token (shown once)."""
    try:
        user = check_password(request, body.username, body.password)
    except LockedOut as exc:
        return 429, {"message": str(exc)}
    if user is None:
        return 401, {"message": _("Wrong user name or password.")}
    token, raw = ApiToken.issue(user, body.name)
    return 201, {"token": raw, "expires": token.expires}


@router.get("/me", response=MeOut)
def me(request):
    """Who the caller is: role, department and enterprise."""
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "department": user.department,
        "enterprise": user.enterprise,
    }


class AuditFilter(Schema):
    model: str | None = None
    object_id: str | None = None
    username: str | None = None
    kind: str | None = None
    enterprise_id: int | None = None


@router.get("/audit", response={200: list[AuditOut], 400: FieldErrors}, tags=["audit"])
@paginate(Pages)
def audit_log(request, filters: Query[AuditFilter]):
    """The audit log (park office only; others get an empty list)."""
    rows = AuditEntry.objects.visible_to(request.user)
    for name, value in filters.dict(exclude_none=True).items():
        rows = rows.filter(**{name: value})
    return rows
