"""The park, its enterprises and its industrial chain."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from semipark.core.models import TimeStampedModel
from semipark.core.scoping import EVERYTHING, NOTHING, ScopedModel

from . import uscc


def validate_uscc(value: str) -> None:
    try:
        uscc.validate(value)
    except uscc.InvalidUSCC as exc:
        raise ValidationError(
            _("Invalid unified social credit code: %(reason)s."), params={"reason": str(exc)}, code="uscc"
        ) from exc


class BilingualName:
    """Chain names are kept in Chinese with an English name beside them; pages show the reader's language."""

    @property
    def label(self) -> str:
        if self.name_en and not (get_language() or "zh").startswith("zh"):
            return self.name_en
        return self.name


class ParkWide(ScopedModel):
    """Park-level information every signed-in user may read and the park office maintains."""

    enterprise_path = None
    shared_with_park = True

    class Meta:
        abstract = True


class Park(ParkWide, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=30)
    city = models.CharField(_("city"), max_length=30)
    county = models.CharField(_("county"), max_length=30)
    area_km2 = models.DecimalField(_("planned area (km²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    positioning = models.TextField(_("positioning"), blank=True)
    management_office = models.CharField(_("management office"), max_length=200, blank=True)
    chemical_park_recognised = models.DateField(_("chemical park recognised on"), null=True, blank=True)
    chemical_park_document = models.CharField(_("recognition document"), max_length=100, blank=True)
    site_plan = models.JSONField(_("site plan (GeoJSON)"), default=dict, blank=True)
    site_plan_schematic = models.BooleanField(_("site plan is schematic"), default=True)

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")

    def __str__(self):
        return self.name


class ChemicalParkGrade(ParkWide):
    """A recognition or evaluation of the park as a chemical park (safety-risk grade A to D)."""

    class Grade(models.TextChoices):
        A = "A", _("A — high safety risk")
        B = "B", _("B — fairly high safety risk")
        C = "C", _("C — general safety risk")
        D = "D", _("D — low safety risk")

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="grades", verbose_name=_("park"))
    date = models.DateField(_("date"))
    event = models.CharField(_("event"), max_length=100)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    document = models.CharField(_("document"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("chemical park grade")
        verbose_name_plural = _("chemical park grades")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m} {self.event} {self.grade}"


class ParkPlan(ParkWide):
    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="plans", verbose_name=_("park"))
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("plan on file")
        verbose_name_plural = _("plans on file")
        ordering = ["year", "title"]

    def __str__(self):
        return self.title


class ChainSegment(BilingualName, ParkWide):
    """A stage of the industrial chain (upstream raw materials, reaction vessels, substrates, recovery...)."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="segments", verbose_name=_("park"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("chain segment")
        verbose_name_plural = _("chain segments")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["park", "code"], name="segment_code_unique_in_park")]

    def __str__(self):
        return self.name


class ChainItem(BilingualName, ParkWide):
    """A material or product of the chain (gallium, PBN crucible, GaAs wafer, quartz sand...)."""

    segment = models.ForeignKey(ChainSegment, on_delete=models.PROTECT, related_name="items", verbose_name=_("segment"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    inputs = models.ManyToManyField(
        "self", symmetrical=False, related_name="outputs", blank=True, verbose_name=_("made from")
    )

    class Meta:
        verbose_name = _("chain item")
        verbose_name_plural = _("chain items")
        ordering = ["segment__order", "id"]
        constraints = [models.UniqueConstraint(fields=["segment", "code"], name="item_code_unique_in_segment")]

    def __str__(self):
        return self.name


class EnterpriseStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    REGISTERED = "registered", _("Registered")
    CONSTRUCTION = "construction", _("Under construction")
    TRIAL = "trial", _("Trial production")
    PRODUCTION = "production", _("In production")
    LEFT = "left", _("Left the park")


SETTLED_STATUSES = (
    EnterpriseStatus.REGISTERED,
    EnterpriseStatus.CONSTRUCTION,
    EnterpriseStatus.TRIAL,
    EnterpriseStatus.PRODUCTION,
)


class Enterprise(ScopedModel, TimeStampedModel):
    """An enterprise of the park. Its register entry is public to the park; contacts and users are not."""

    enterprise_path = "pk"
    shared_with_park = True
    enterprise_user_actions = frozenset({"view", "view_private"})
    enterprise_admin_actions = frozenset({"view", "view_private", "change"})
    office_staff_actions = frozenset({"view", "view_private", "add", "change"})

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("park"))
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_uscc],
    )
    registered_capital = models.DecimalField(
        _("registered capital (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    founded = models.DateField(_("founded"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EnterpriseStatus.choices, default=EnterpriseStatus.REGISTERED
    )
    chain_items = models.ManyToManyField(
        ChainItem, related_name="enterprises", blank=True, verbose_name=_("chain items")
    )
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    above_size = models.BooleanField(_("above designated size"), default=False)
    code = models.SlugField(
        _("identifier code"), max_length=20, unique=True, help_text=_("Short code used in topics and lot identifiers.")
    )
    demo_fields = models.JSONField(
        _("demo values"), default=list, blank=True, help_text=_("Fields whose values are demonstration data.")
    )
    private_notes = models.TextField(_("internal notes"), blank=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["id"]

    def __str__(self):
        return self.short_name or self.name

    def clean_fields(self, exclude=None):
        # Codes are typed in lower case and with blanks; an empty code is "none yet", not a second "".
        self.uscc = uscc.normalise(self.uscc) or None
        super().clean_fields(exclude)

    @classmethod
    def scope_q(cls, user, action):
        if action == "view_private" and user.is_regulator:
            # Contacts matter to every supervising department, but only to a regulator who has one.
            return EVERYTHING if user.department else NOTHING
        return super().scope_q(user, action)

    @property
    def segments(self) -> list[ChainSegment]:
        seen = {}
        for item in self.chain_items.all():
            seen.setdefault(item.segment_id, item.segment)
        return list(seen.values())

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES


class EnterpriseProduct(ScopedModel):
    """A main product and its capacity, as entered in the register (public)."""

    shared_with_park = True

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="products", verbose_name=_("enterprise")
    )
    chain_item = models.ForeignKey(
        ChainItem, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("chain item")
    )
    name = models.CharField(_("product"), max_length=100)
    capacity = models.DecimalField(_("capacity"), max_digits=16, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("For example t/year, pieces/year."))
    is_demo = models.BooleanField(_("demo value"), default=False)

    class Meta:
        verbose_name = _("main product")
        verbose_name_plural = _("main products")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Contact(ScopedModel):
    """Private to the enterprise, the park office and regulators; kept up to date by the enterprise admin."""

    enterprise_user_actions = frozenset({"view"})

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("enterprise")
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    emergency = models.BooleanField(_("emergency contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-emergency", "id"]

    def __str__(self):
        return self.name


class Plot(ParkWide):
    """A plot of the site plan; its geometry is a GeoJSON polygon in the plan's own coordinates."""

    class Status(models.TextChoices):
        OCCUPIED = "occupied", _("Occupied")
        RESERVED = "reserved", _("Reserved")
        AVAILABLE = "available", _("Available")

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="plots", verbose_name=_("park"))
    code = models.CharField(_("plot"), max_length=20)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plots",
        verbose_name=_("enterprise"),
    )
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=1, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    geometry = models.JSONField(_("geometry"), default=dict)

    class Meta:
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["park", "code"], name="plot_code_unique_in_park")]

    def __str__(self):
        return self.code


class Facility(ParkWide):
    """Infrastructure of the park (roads, drainage, substation, sewage plant...) with capacity and status."""

    class Kind(models.TextChoices):
        ROAD = "road", _("Road")
        DRAINAGE = "drainage", _("Drainage")
        POWER = "power", _("Power supply")
        SEWAGE = "sewage", _("Sewage treatment")
        WATER = "water", _("Water supply")
        GREENING = "greening", _("Greening and lighting")
        RELOCATION = "relocation", _("Relocation")
        DIGITAL = "digital", _("Digital platform")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONSTRUCTION = "construction", _("Under construction")
        SERVICE = "service", _("In service")

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="facilities", verbose_name=_("park"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    capacity = models.DecimalField(_("capacity"), max_digits=14, decimal_places=2, null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["id"]

    def __str__(self):
        return self.name
