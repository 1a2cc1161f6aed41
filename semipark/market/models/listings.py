"""Supply offers and demand requests published on the marketplace."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from semipark.core.models import TimeStampedModel
from semipark.core.scoping import ScopedModel

from .specs import SpecColumns


class Listing(ScopedModel, SpecColumns, TimeStampedModel):
    """An offer to supply or a request for supply. Open and closed listings are public; drafts are the owner's."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Supply offer")
        DEMAND = "demand", _("Demand request")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    # Published listings are public to the park; a draft is seen by its own enterprise only (scope_q).
    regulator_departments = frozenset()
    office_staff_actions = frozenset({"view"})

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="market_listings"
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    category = models.ForeignKey(
        "market.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="listings"
    )
    product = models.ForeignKey(
        "market.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listings",
        help_text=_("The catalog product an offer is for; its specifications are copied when left empty."),
    )
    title = models.CharField(pgettext_lazy("market", "title"), max_length=160)
    specs = models.JSONField(_("specifications"), default=dict, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    price = models.DecimalField(
        _("price (yuan per unit)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For an offer: asking price; for a demand: target price. Empty means negotiable."),
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-created", "-id"]
        indexes = [
            # Matching filters open offers of one category on exact keys first, then on the range columns.
            models.Index(
                fields=["category", "kind", "status", "material", "diameter_in", "conduction"],
                name="listing_match_idx",
            ),
            models.Index(fields=["category", "kind", "status", "purity_n"], name="listing_purity_idx"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user, action):
        if action != "view":
            return super().scope_q(user, action)
        published = ~Q(status=cls.Status.DRAFT)
        return published | cls.own_q(user) if user.is_enterprise_member else published
