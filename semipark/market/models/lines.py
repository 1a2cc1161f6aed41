"""What a quote line and an order line share: a quantity at a unit price in yuan."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")


class PricedLine(models.Model):
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    price = models.DecimalField(_("unit price (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        abstract = True

    @property
    def amount(self) -> Decimal:
        return (self.price * self.quantity).quantize(CENT)

    @staticmethod
    def amounts_check(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            name=name,
            condition=Q(price__gte=0, quantity__gt=0),
            violation_error_message=_("Price cannot be negative and quantity must be positive."),
        )
