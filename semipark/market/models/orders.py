"""Orders between a seller and a buyer (a park enterprise, or an outside customer named by the seller).

The state machine (``market.orders``) moves ``status``; the seller and the buyer each take only their own steps.
Both parties see the order; the park office reads orders (trade values), regulators do not.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from semipark.core.models import TimeStampedModel
from semipark.core.scoping import NOTHING, ScopedModel

from .lines import PricedLine


class OrderStatus(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("order status", "Confirmed")
    IN_PRODUCTION = "in_production", pgettext_lazy("order status", "In production")
    SHIPPED = "shipped", pgettext_lazy("order status", "Shipped")
    DELIVERED = "delivered", pgettext_lazy("order status", "Delivered")
    ACCEPTED = "accepted", pgettext_lazy("order status", "Accepted")
    DISPUTED = "disputed", pgettext_lazy("order status", "Disputed")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")


class Order(ScopedModel, TimeStampedModel):
    enterprise_path = "seller"
    regulator_departments = frozenset()
    office_staff_actions = frozenset({"view"})
    enterprise_user_actions = frozenset({"view", "add", "change"})
    enterprise_admin_actions = frozenset({"view", "add", "change"})

    number = models.CharField(_("number"), max_length=30, unique=True)
    seller = models.ForeignKey(
        "park.Enterprise", verbose_name=_("seller"), on_delete=models.PROTECT, related_name="market_sales"
    )
    buyer = models.ForeignKey(
        "park.Enterprise",
        verbose_name=_("buyer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="market_purchases",
        help_text=_("Empty for a buyer outside the park."),
    )
    buyer_name = models.CharField(_("buyer name"), max_length=120)
    destination_country = models.CharField(
        _("destination country"), max_length=2, default="CN", help_text=_("ISO 3166-1 alpha-2 code, for example CN.")
    )
    status = models.CharField(_("status"), max_length=14, choices=OrderStatus.choices, default=OrderStatus.CONFIRMED)
    rfq = models.ForeignKey(
        "market.RFQ", verbose_name=_("RFQ"), null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    quote = models.ForeignKey(
        "market.Quote", verbose_name=_("quote"), null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    status_note = models.CharField(
        _("reason"), max_length=300, blank=True, help_text=_("Why the order was disputed or cancelled.")
    )
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "created"], name="order_status_idx")]
        constraints = [
            models.CheckConstraint(name="order_status_valid", condition=Q(status__in=OrderStatus.values)),
            models.CheckConstraint(
                name="order_buyer_not_seller",
                condition=Q(buyer__isnull=True) | ~Q(buyer=models.F("seller")),
                violation_error_message=_("An enterprise cannot order from itself."),
            ),
        ]

    def __str__(self):
        return self.number

    @classmethod
    def own_q(cls, user):
        if not user.enterprise_id:
            return NOTHING
        return Q(seller_id=user.enterprise_id) | Q(buyer_id=user.enterprise_id)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines.all()), Decimal(0))

    @property
    def is_export(self) -> bool:
        return self.destination_country.upper() != "CN"


class OrderLine(ScopedModel, PricedLine):
    enterprise_path = "order__seller"
    regulator_departments = frozenset()
    office_staff_actions = frozenset({"view"})

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "market.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="order_lines"
    )
    unit = models.CharField(_("unit"), max_length=20)
    quote_line = models.ForeignKey(
        "market.QuoteLine",
        verbose_name=_("quote line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order_id", "id"]
        constraints = [PricedLine.amounts_check("order_line_amounts_positive")]

    def __str__(self):
        return f"{self.order.number}: {self.product} × {self.quantity} {self.unit}"

    @classmethod
    def own_q(cls, user):
        if not user.enterprise_id:
            return NOTHING
        return Q(order__seller_id=user.enterprise_id) | Q(order__buyer_id=user.enterprise_id)
