"""The catalog: categories and the products each enterprise offers, with photos and data sheets."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from semipark.core.models import TimeStampedModel
from semipark.core.scoping import ScopedModel

from .specs import SpecColumns


class CategoryKind(models.TextChoices):
    """The kind decides which specification schema a product or listing of the category must satisfy."""

    SUBSTRATE = "substrate", _("Substrates and wafers")
    METAL = "metal", _("Metals and high-purity elements")
    GAS = "gas", _("Gases")
    VESSEL = "vessel", _("Crucibles and quartz ware")
    RECOVERY = "recovery", _("Recovery services")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other")


class Category(ScopedModel):
    """Park-wide: every signed-in user reads the categories; the park office maintains them."""

    enterprise_path = None
    shared_with_park = True

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CategoryKind.choices)
    chain_item = models.ForeignKey(
        "park.ChainItem",
        verbose_name=_("chain item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="market_categories",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Product(ScopedModel, SpecColumns, TimeStampedModel):
    """A product or service of an enterprise. The catalog is public to the park; only the owner edits it."""

    shared_with_park = True
    office_staff_actions = frozenset({"view"})

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="market_products"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True)
    specs = models.JSONField(_("specifications"), default=dict, blank=True)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("For example kg, piece, m³, bottle."))
    price = models.DecimalField(
        _("price (yuan per unit)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty when the price is negotiable."),
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), null=True, blank=True)
    hs_code = models.CharField(
        _("HS code"), max_length=12, blank=True, help_text=_("Customs commodity code; it decides export control.")
    )
    active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["category__order", "enterprise_id", "id"]
        indexes = [models.Index(fields=["category", "material", "diameter_in"], name="product_spec_idx")]
        constraints = [
            models.CheckConstraint(
                name="product_price_not_negative",
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                violation_error_message=_("The price cannot be negative."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def negotiable(self) -> bool:
        return self.price is None


class ProductFile(ScopedModel):
    """A photo or data sheet of a product, stored under the media folder."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DATASHEET = "datasheet", _("Data sheet")

    enterprise_path = "product__enterprise"
    shared_with_park = True

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(pgettext_lazy("market", "title"), max_length=120, blank=True)
    file = models.FileField(_("file"), upload_to="market/products/%Y/%m/")
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("product file")
        verbose_name_plural = _("product files")
        ordering = ["kind", "id"]

    def __str__(self):
        return self.title or self.file.name
