"""Shipments: lots leaving one enterprise for another enterprise of the park or for an outside buyer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from semipark.core.scoping import ScopedModel

from .lots import QUANTITY, Lot


class Shipment(ScopedModel):
    """Visible to the seller and the receiving enterprise; only the seller ships."""

    enterprise_path = "seller"
    regulator_departments = frozenset()
    enterprise_user_actions = frozenset({"view", "add"})
    enterprise_admin_actions = frozenset({"view", "add"})
    office_staff_actions = frozenset({"view"})

    number = models.CharField(_("number"), max_length=40, unique=True)
    seller = models.ForeignKey(
        "park.Enterprise", verbose_name=_("seller"), on_delete=models.PROTECT, related_name="lot_shipments_out"
    )
    buyer = models.ForeignKey(
        "park.Enterprise",
        verbose_name=_("receiving enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lot_shipments_in",
        help_text=_("Empty for a buyer outside the park."),
    )
    buyer_name = models.CharField(_("buyer"), max_length=120)
    destination_country = models.CharField(_("destination country"), max_length=2, default="CN")
    order = models.ForeignKey(
        "market.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lot_shipments",
    )
    shipped_at = models.DateTimeField(_("shipped at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-shipped_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="shipment_not_to_self",
                condition=Q(buyer__isnull=True) | ~Q(buyer=models.F("seller")),
                violation_error_message=_("An enterprise cannot ship to itself."),
            ),
        ]

    def __str__(self):
        return self.number

    @classmethod
    def scope_q(cls, user, action):
        q = super().scope_q(user, action)
        if action == "view" and user.is_enterprise_member and user.enterprise_id:
            return q | Q(buyer_id=user.enterprise_id)
        return q

    @property
    def is_export(self) -> bool:
        return self.destination_country.upper() != "CN"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="shipment_lines")
    received_lot = models.ForeignKey(
        Lot, verbose_name=_("received lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    controlled_item = models.CharField(_("controlled item"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["id"]

    def __str__(self):
        return f"{self.lot} × {self.quantity}"
