"""Domain operations on the register, shared by the pages, the API and the Excel import."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from semipark.core import services
from semipark.core.roles import Role

from .models import Enterprise

# What an enterprise admin may keep up to date about their own company; status, capital, code and credit
# code are the park office's register and stay with it.
SELF_SERVICE_FIELDS = frozenset({"description", "address"})


def editable_enterprise_fields(user) -> frozenset[str] | None:
    """Fields of the register ``user`` may change (None: all of them)."""
    if user.is_office:
        return None
    if user.role == Role.ENTERPRISE_ADMIN:
        return SELF_SERVICE_FIELDS
    return frozenset()


def save_enterprise(user, enterprise: Enterprise, fields: dict, chain_items=None, message: str = "") -> Enterprise:
    """Create or change a register entry; fields outside the user's share are refused, nothing is written."""
    allowed = editable_enterprise_fields(user)
    if allowed is not None:
        refused = sorted(set(fields) - allowed) + (["chain_items"] if chain_items is not None else [])
        if refused:
            raise PermissionDenied(
                _("Only the park office may change: %(fields)s.")
                % {"fields": ", ".join(str(Enterprise._meta.get_field(name).verbose_name) for name in refused)}
            )
    m2m = {"chain_items": chain_items} if chain_items is not None else None
    return services.save(user, enterprise, fields, m2m=m2m, message=message)
