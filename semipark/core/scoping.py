"""The one mechanism that decides who may see and change what.

Every page, API operation, export and form choice starts from ``Model.objects.visible_to(user, action)``.
An object outside that queryset does not exist for the user (404), so there is no second check to forget.
"""

from typing import ClassVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .roles import ENTERPRISE_ROLES, Role

NOTHING = Q(pk__in=[])
EVERYTHING = Q()


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """Rows ``user`` may perform ``action`` on; none for anonymous or inactive users."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(self.model.scope_q(user, action))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


class ScopedModel(models.Model):
    """A model whose rows belong to one enterprise (through ``enterprise_path``) or to the park.

    The class attributes state the sharing policy; override ``scope_q`` only for rows with several
    parties (an RFQ is visible to its buyer and its invited suppliers).
    """

    # Lookup from this model to the owning enterprise; None for park-wide rows.
    enterprise_path: ClassVar[str | None] = "enterprise"
    # Every signed-in user may view (public park information such as the enterprise register).
    shared_with_park: ClassVar[bool] = False
    # Departments whose regulators may read these rows; None means every department, empty means none.
    regulator_departments: ClassVar[frozenset | None] = None
    office_staff_actions: ClassVar[frozenset] = frozenset({"view", "add", "change"})
    enterprise_admin_actions: ClassVar[frozenset] = frozenset({"view", "add", "change", "delete"})
    enterprise_user_actions: ClassVar[frozenset] = frozenset({"view", "add", "change"})

    objects = ScopedManager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        role = user.role
        if user.is_superuser or role == Role.OFFICE_ADMIN:
            return EVERYTHING
        if role == Role.OFFICE_STAFF:
            return EVERYTHING if action in cls.office_staff_actions else NOTHING
        if action == "view" and cls.shared_with_park:
            return EVERYTHING
        if role == Role.REGULATOR:
            # A regulator account without a department supervises nothing yet.
            readable = bool(user.department) and (
                cls.regulator_departments is None or user.department in cls.regulator_departments
            )
            return EVERYTHING if action == "view" and readable else NOTHING
        if role in ENTERPRISE_ROLES and user.enterprise_id:
            allowed = cls.enterprise_admin_actions if role == Role.ENTERPRISE_ADMIN else cls.enterprise_user_actions
            return cls.own_q(user) if action in allowed else NOTHING
        return NOTHING

    @classmethod
    def own_q(cls, user) -> Q:
        """Rows of the user's own enterprise."""
        if cls.enterprise_path is None or not user.enterprise_id:
            return NOTHING
        return Q(**{cls.enterprise_path: user.enterprise_id})


def may(user, obj, action: str = "view") -> bool:
    """Whether ``user`` may perform ``action`` on the saved object ``obj``."""
    return type(obj).objects.visible_to(user, action).filter(pk=obj.pk).exists()


def ensure_may(user, obj, action: str) -> None:
    """Refuse a write that would leave ``obj`` outside the user's scope (call inside the transaction)."""
    if not may(user, obj, action):
        raise PermissionDenied(
            _("You may not %(action)s this %(model)s.") % {"action": action, "model": type(obj)._meta.verbose_name}
        )


def may_create(user, model: type[ScopedModel]) -> bool:
    """Whether the user's role may create rows of ``model`` at all (the row itself is checked after saving)."""
    if user is None or not user.is_authenticated:
        return False
    return model.scope_q(user, "add") != NOTHING
