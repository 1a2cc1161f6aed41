"""Requests for quotation, invitations and sealed quotes.

Who sees what (one place, the ``scope_q`` methods below):
- an RFQ: its buyer, the suppliers it invites, every park enterprise while it is open to the whole park and
  any supplier that answered it; the park office reads it (what is being sought), regulators do not;
- a quote: its supplier always; the buyer only once the RFQ is unsealed (closing time passed, or every invited
  supplier answered); nobody else, not even the park office, which sees trade values through orders only.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from semipark.core.models import TimeStampedModel
from semipark.core.roles import ENTERPRISE_ROLES, Role
from semipark.core.scoping import NOTHING, ScopedModel

from .lines import PricedLine


def _now():
    return timezone.now()


def _member_enterprise(user, action: str, model) -> int | None:
    """The user's enterprise id when their enterprise role allows ``action`` on ``model``."""
    if user.role not in ENTERPRISE_ROLES or not user.enterprise_id:
        return None
    allowed = model.enterprise_admin_actions if user.role == Role.ENTERPRISE_ADMIN else model.enterprise_user_actions
    return user.enterprise_id if action in allowed else None


class RFQ(ScopedModel, TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    enterprise_path = "buyer"
    regulator_departments = frozenset()
    office_staff_actions = frozenset({"view"})

    number = models.CharField(_("number"), max_length=30, unique=True)
    buyer = models.ForeignKey(
        "park.Enterprise", verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="market_rfqs"
    )
    title = models.CharField(pgettext_lazy("market", "title"), max_length=160)
    note = models.TextField(_("note"), blank=True)
    delivery_date = models.DateField(_("delivery date"))
    closes_at = models.DateTimeField(_("closes at"))
    open_to_park = models.BooleanField(
        _("open to the whole park"), default=False, help_text=_("Every park enterprise may quote, not only invitees.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    unsealed_at = models.DateTimeField(
        _("unsealed at"), null=True, blank=True, help_text=_("When every invited supplier had answered.")
    )
    suppliers = models.ManyToManyField(
        "park.Enterprise",
        through="market.RFQInvitation",
        related_name="market_invitations",
        verbose_name=_("invited suppliers"),
    )
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def closed(self) -> bool:
        return self.closes_at <= _now()

    @property
    def sealed(self) -> bool:
        """Quotes stay hidden from the buyer until closing time or until every invitee has answered."""
        return self.unsealed_at is None and not self.closed

    @classmethod
    def unsealed_q(cls, prefix: str = "") -> Q:
        return Q(**{f"{prefix}unsealed_at__isnull": False}) | Q(**{f"{prefix}closes_at__lte": _now()})

    @classmethod
    def scope_q(cls, user, action):
        if action != "view" or user.is_regulator or user.is_office:
            return super().scope_q(user, action)
        enterprise = _member_enterprise(user, action, cls)
        if enterprise is None:
            return NOTHING
        return (
            Q(buyer_id=enterprise)
            | Q(pk__in=RFQInvitation.objects.filter(supplier_id=enterprise).values("rfq_id"))
            | Q(pk__in=Quote.objects.filter(supplier_id=enterprise).values("rfq_id"))
            | Q(open_to_park=True, status=cls.Status.OPEN)
        )


class RFQItem(ScopedModel):
    enterprise_path = "rfq__buyer"
    regulator_departments = frozenset()

    rfq = models.ForeignKey(RFQ, verbose_name=_("RFQ"), on_delete=models.CASCADE, related_name="items")
    line = models.PositiveSmallIntegerField(_("line"), default=1)
    category = models.ForeignKey(
        "market.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="rfq_items"
    )
    description = models.CharField(_("description"), max_length=200)
    specs = models.JSONField(_("specifications"), default=dict, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20)

    class Meta:
        verbose_name = _("RFQ item")
        verbose_name_plural = _("RFQ items")
        ordering = ["rfq_id", "line", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rfq", "line"], name="rfq_item_line_unique"),
            models.CheckConstraint(
                name="rfq_item_quantity_positive",
                condition=Q(quantity__gt=0),
                violation_error_message=_("The quantity must be positive."),
            ),
        ]

    def __str__(self):
        return f"{self.line}. {self.description}"

    @classmethod
    def scope_q(cls, user, action):
        if action == "view":
            return Q(rfq__in=RFQ.objects.filter(RFQ.scope_q(user, action)))
        return super().scope_q(user, action)


class RFQInvitation(ScopedModel):
    """A supplier invited to quote. Suppliers see only their own invitation, never the other invitees."""

    enterprise_path = "rfq__buyer"
    regulator_departments = frozenset()
    office_staff_actions = frozenset({"view"})

    rfq = models.ForeignKey(RFQ, verbose_name=_("RFQ"), on_delete=models.CASCADE, related_name="invitations")
    supplier = models.ForeignKey(
        "park.Enterprise", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["rfq", "supplier"], name="rfq_invitation_unique")]

    def __str__(self):
        return f"{self.rfq.number} → {self.supplier}"

    @classmethod
    def scope_q(cls, user, action):
        own = super().scope_q(user, action)
        enterprise = _member_enterprise(user, "view", cls) if action == "view" else None
        return own | Q(supplier_id=enterprise) if enterprise else own


class Quote(ScopedModel, TimeStampedModel):
    """A supplier's sealed answer to an RFQ: prices per item, or a decline."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        DECLINED = "declined", _("Declined")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")

    enterprise_path = "supplier"

    rfq = models.ForeignKey(RFQ, verbose_name=_("RFQ"), on_delete=models.PROTECT, related_name="quotes")
    supplier = models.ForeignKey(
        "park.Enterprise", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="market_quotes"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    submitted_by = models.ForeignKey(
        "core.User", verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["rfq_id", "id"]
        constraints = [models.UniqueConstraint(fields=["rfq", "supplier"], name="quote_one_per_supplier")]

    def __str__(self):
        return f"{self.rfq.number} / {self.supplier}"

    @classmethod
    def scope_q(cls, user, action):
        enterprise = _member_enterprise(user, action, cls)
        if enterprise is None:
            return NOTHING  # sealed: not the park office, not regulators, not a superuser without an enterprise
        own = Q(supplier_id=enterprise)
        if action != "view":
            return own
        return own | (Q(rfq__buyer_id=enterprise) & RFQ.unsealed_q("rfq__"))


class QuoteLine(ScopedModel, PricedLine):
    enterprise_path = "quote__supplier"

    quote = models.ForeignKey(Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(RFQItem, verbose_name=_("RFQ item"), on_delete=models.PROTECT, related_name="quote_lines")
    product = models.ForeignKey(
        "market.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="quote_lines"
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["item__line", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "item"], name="quote_line_one_per_item"),
            PricedLine.amounts_check("quote_line_amounts_positive"),
        ]

    def __str__(self):
        return f"{self.quote} #{self.item.line}"

    @classmethod
    def scope_q(cls, user, action):
        return Q(quote__in=Quote.objects.filter(Quote.scope_q(user, action)))
