"""People, their API tokens, and the audit log."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import ENTERPRISE_ROLES, OFFICE_ROLES, Department, Role
from .scoping import EVERYTHING, NOTHING, ScopedModel


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PeopleManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """A superuser belongs to the park office (``createsuperuser`` would otherwise leave the default role)."""
        extra_fields.setdefault("role", Role.OFFICE_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    objects = PeopleManager()

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ENTERPRISE_USER)
    enterprise = models.ForeignKey(
        "park.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_enterprise_matches_role",
                condition=(
                    models.Q(role__in=sorted(ENTERPRISE_ROLES), enterprise__isnull=False)
                    | (~models.Q(role__in=sorted(ENTERPRISE_ROLES)) & models.Q(enterprise__isnull=True))
                ),
                violation_error_message=_("Enterprise roles need an enterprise; other roles must have none."),
            ),
        ]

    @property
    def is_office(self) -> bool:
        return self.is_superuser or self.role in OFFICE_ROLES

    @property
    def is_regulator(self) -> bool:
        return self.role == Role.REGULATOR

    @property
    def is_enterprise_member(self) -> bool:
        return self.role in ENTERPRISE_ROLES

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal token for integrations; only its hash is stored."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """Create a token and return it with the raw secret, which is shown once and never stored."""
        raw = "sp_" + secrets.token_urlsafe(32)
        expires = timezone.now() + timezone.timedelta(days=settings.API_TOKEN_DAYS)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[3 : 3 + cls.PREFIX_LENGTH], digest=cls.hash(raw), expires=expires
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str):
        """The active user owning ``raw``, or None."""
        token = cls.objects.select_related("user").filter(digest=cls.hash(raw), expires__gt=timezone.now()).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used is None or (now - token.last_used).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used=now)
        return token.user


class AuditEntry(ScopedModel):
    """One create, update, delete or state transition: who, when, which object, before and after."""

    class Kind(models.TextChoices):
        # Translators: what happened to an object, as listed in the audit log.
        CREATE = "create", pgettext_lazy("audit", "created")
        UPDATE = "update", pgettext_lazy("audit", "updated")
        DELETE = "delete", pgettext_lazy("audit", "deleted")
        TRANSITION = "transition", pgettext_lazy("audit", "state change")
        LOGIN = "login", pgettext_lazy("audit", "signed in")
        IMPORT = "import", pgettext_lazy("audit", "imported")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    model = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200)
    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("enterprise"), null=True, blank=True, on_delete=models.SET_NULL
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.kind} {self.object_repr}"

    @classmethod
    def scope_q(cls, user, action):
        # The log is the park office's; regulators and enterprises read only through the objects themselves.
        if action == "view" and user.is_office:
            return EVERYTHING
        return NOTHING
