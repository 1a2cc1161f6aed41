"""The roles people have in the park and what each may do in general."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("Park office admin")
    OFFICE_STAFF = "office_staff", _("Park office staff")
    ENTERPRISE_ADMIN = "enterprise_admin", _("Enterprise admin")
    ENTERPRISE_USER = "enterprise_user", _("Enterprise user")
    REGULATOR = "regulator", _("Regulator (read-only)")


OFFICE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.OFFICE_STAFF})
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_USER})


class Department(models.TextChoices):
    """County and city departments that supervise the park, for regulator accounts."""

    EMERGENCY = "emergency", _("Emergency management")
    ECOLOGY = "ecology", _("Ecology and environment")
    INDUSTRY = "industry", _("Industry and information technology")
    DEVELOPMENT = "development", _("Development and reform")
    STATISTICS = "statistics", _("Statistics")


class Action(models.TextChoices):
    VIEW = "view", _("view")
    ADD = "add", _("add")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
