"""Export licences for controlled items and the shipments drawing them down."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from semipark.core.models import TimeStampedModel
from semipark.core.scoping import ScopedModel

from .. import exportcontrol
from .lots import QUANTITY, Unit


def validate_item(value: str) -> None:
    if exportcontrol.find_item(value) is None:
        raise ValidationError(_("Unknown controlled item “%(code)s”."), params={"code": value}, code="item")


def validate_country(value: str) -> None:
    if len(value) != 2 or not value.isalpha() or not value.isupper():
        raise ValidationError(_("Use a two-letter ISO 3166 country code such as US or DE."), code="country")


class ExportLicence(ScopedModel, TimeStampedModel):
    """A dual-use export licence held by an exporting enterprise (registered by it or by the park office)."""

    regulator_departments = frozenset()
    enterprise_user_actions = frozenset({"view"})
    enterprise_admin_actions = frozenset({"view", "add", "change"})

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("exporter"), on_delete=models.PROTECT, related_name="export_licences"
    )
    number = models.CharField(_("licence number"), max_length=40, unique=True)
    item = models.CharField(_("controlled item"), max_length=30, validators=[validate_item])
    quantity = models.DecimalField(_("licensed quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=4, choices=Unit.choices, default=Unit.KG)
    destination_country = models.CharField(
        _("destination country"), max_length=2, validators=[validate_country], help_text=_("ISO 3166 alpha-2.")
    )
    end_user = models.CharField(_("end user"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    note = models.TextField(_("internal note"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("export licence")
        verbose_name_plural = _("export licences")
        ordering = ["-valid_to", "-id"]
        constraints = [
            models.CheckConstraint(
                name="licence_dates_ordered",
                condition=Q(valid_to__gte=models.F("valid_from")),
                violation_error_message=_("The licence cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="licence_quantity_positive",
                condition=Q(quantity__gt=0),
                violation_error_message=_("The licensed quantity must be positive."),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "item", "destination_country"], name="licence_lookup")]

    def __str__(self):
        return self.number

    @property
    def item_info(self):
        return exportcontrol.find_item(self.item)

    @property
    def drawn(self) -> Decimal:
        return self.drawdowns.aggregate(total=Sum("quantity"))["total"] or Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.quantity - self.drawn

    def valid_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to


class LicenceDrawdown(models.Model):
    licence = models.ForeignKey(ExportLicence, on_delete=models.PROTECT, related_name="drawdowns")
    shipment = models.ForeignKey("trace.Shipment", on_delete=models.PROTECT, related_name="drawdowns")
    quantity = models.DecimalField(_("quantity"), **QUANTITY, help_text=_("In the licence's unit."))
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("licence drawdown")
        verbose_name_plural = _("licence drawdowns")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(name="drawdown_positive", condition=Q(quantity__gt=0))]

    def __str__(self):
        return f"{self.licence} − {self.quantity}"
