"""Lots, their genealogy (links between parent and child lots) and their append-only history."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from semipark.core.models import TimeStampedModel
from semipark.core.scoping import NOTHING, ScopedModel

from .. import materials

QUANTITY = {"max_digits": 16, "decimal_places": 4}


def validate_material(value: str) -> None:
    if materials.get(value) is None or materials.get(value).code != value:
        raise ValidationError(_("Unknown material “%(code)s”."), params={"code": value}, code="material")


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    G = "g", _("g")
    T = "t", _("t")
    PCS = "pcs", _("pieces")


MASS_UNITS_KG = {Unit.KG: Decimal(1), Unit.G: Decimal("0.001"), Unit.T: Decimal(1000)}


class Lot(ScopedModel, TimeStampedModel):
    """A quantity of one material held by one enterprise, identified as ``<prefix>/<enterprise code>/<code>``.

    A lot never changes hands: a shipment creates a received lot at the buyer, linked to the shipped one.
    """

    regulator_departments = frozenset()  # commercial data: regulators do not read lots

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="lots"
    )
    code = models.CharField(_("lot number"), max_length=40)
    identifier = models.CharField(_("identifier"), max_length=120, unique=True, editable=False)
    material = models.CharField(_("material"), max_length=20, validators=[validate_material])
    quantity = models.DecimalField(_("quantity"), **QUANTITY, help_text=_("Quantity when the lot was made."))
    available = models.DecimalField(_("available"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=4, choices=Unit.choices, default=Unit.KG)
    unit_mass_kg = models.DecimalField(
        _("mass per piece (kg)"),
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Needed for lots counted in pieces, so their gallium can be weighed."),
    )
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    note = models.TextField(_("internal note"), blank=True)
    made_on = models.DateField(_("made on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "code"], name="lot_code_unique_in_enterprise"),
            models.CheckConstraint(
                name="lot_available_within_quantity",
                condition=Q(available__gte=0) & Q(available__lte=models.F("quantity")) & Q(quantity__gt=0),
                violation_error_message=_("The available quantity must lie between zero and the lot quantity."),
            ),
            models.CheckConstraint(
                name="lot_pieces_have_mass",
                condition=~Q(unit="pcs") | Q(unit_mass_kg__isnull=False, unit_mass_kg__gt=0),
                violation_error_message=_("A lot counted in pieces needs the mass of one piece."),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "material"], name="lot_enterprise_material")]

    def __str__(self):
        return self.identifier or self.code

    @classmethod
    def scope_q(cls, user, action, among=None):
        q = super().scope_q(user, action)
        if action == "view" and user.is_enterprise_member and user.enterprise_id:
            return q | cls.counterpart_q(user.enterprise_id, among)
        return q

    @classmethod
    def counterpart_q(cls, enterprise_id, among=None) -> Q:
        """Lots of other enterprises that ``enterprise_id`` shipped to, or received from, directly.

        ``among`` (lot ids) narrows the link lookups to those lots: checking a trace's lots then costs the
        same however many shipments the enterprise has.
        """
        if not enterprise_id:
            return NOTHING
        # A shipment link runs from a lot of the shipment's seller to a lot of its buyer (lots never change hands).
        shipped_to_us = LotLink.objects.filter(shipment__buyer_id=enterprise_id)
        received_from_us = LotLink.objects.filter(shipment__seller_id=enterprise_id)
        if among is not None:
            shipped_to_us = shipped_to_us.filter(parent_id__in=among)
            received_from_us = received_from_us.filter(child_id__in=among)
        return Q(pk__in=shipped_to_us.values("parent_id")) | Q(pk__in=received_from_us.values("child_id"))

    @classmethod
    def visible_among(cls, user, ids):
        """``Lot.objects.visible_to(user).filter(pk__in=ids)``, with the scope's lookups narrowed to ``ids``."""
        if user is None or not user.is_authenticated or not user.is_active:
            return cls.objects.none()
        return cls.objects.filter(pk__in=ids).filter(cls.scope_q(user, "view", among=ids))

    @property
    def material_info(self) -> materials.Material:
        return materials.get(self.material)

    @property
    def kg_per_unit(self) -> Decimal:
        if self.unit == Unit.PCS:
            return self.unit_mass_kg or Decimal(0)
        return MASS_UNITS_KG[self.unit]

    @property
    def gallium_kg_per_unit(self) -> Decimal:
        return self.kg_per_unit * self.material_info.gallium_fraction

    def gallium_kg(self, quantity: Decimal | None = None) -> Decimal:
        """Gallium contained in ``quantity`` of this lot (default: what is available)."""
        return (self.available if quantity is None else quantity) * self.gallium_kg_per_unit

    @property
    def used_up(self) -> bool:
        return self.available == 0


class Transformation(ScopedModel):
    """One processing step inside an enterprise: the lots it consumed and the lots it produced."""

    regulator_departments = frozenset()

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="lot_transformations"
    )
    process = models.CharField(_("process"), max_length=20)
    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("transformation")
        verbose_name_plural = _("transformations")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.process} {self.at:%Y-%m-%d}"


class LotLink(models.Model):
    """``child`` was made from (or shipped as) ``quantity`` of ``parent``; many-to-many so merges keep every source.

    For a transformation with several outputs, ``quantity`` is the parent quantity the whole step consumed.
    """

    parent = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="child_links", db_index=False)
    child = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="parent_links", db_index=False)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    transformation = models.ForeignKey(
        Transformation, null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    shipment = models.ForeignKey(
        "trace.Shipment", null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )

    class Meta:
        verbose_name = _("lot link")
        verbose_name_plural = _("lot links")
        # Both directions of the recursive trace walk an index that already holds the other end.
        indexes = [
            models.Index(fields=["child", "parent"], name="lotlink_child_parent"),
            models.Index(fields=["parent", "child"], name="lotlink_parent_child"),
        ]
        constraints = [
            models.CheckConstraint(name="lotlink_not_self", condition=~Q(parent=models.F("child"))),
            models.CheckConstraint(name="lotlink_quantity_positive", condition=Q(quantity__gt=0)),
            models.CheckConstraint(
                name="lotlink_one_cause",
                condition=Q(transformation__isnull=True) | Q(shipment__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.parent_id} → {self.child_id}"


class LotEvent(models.Model):
    """One entry of a lot's history: a code and the changes as data (never translated text); never edited."""

    class Code(models.TextChoices):
        CREATED = "created", _("Registered")
        CONSUMED = "consumed", _("Consumed")
        PRODUCED = "produced", _("Produced")
        SHIPPED = "shipped", _("Shipped")
        RECEIVED = "received", _("Received")

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="events")
    code = models.CharField(_("event"), max_length=12, choices=Code.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(_("user name"), max_length=150, blank=True)
    quantity = models.DecimalField(_("change of available quantity"), **QUANTITY)
    deltas = models.JSONField(_("details"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lot event")
        verbose_name_plural = _("lot events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["lot", "at"], name="lotevent_lot_at")]

    def __str__(self):
        return f"{self.code} {self.quantity}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Lot events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Lot events are append-only.")
