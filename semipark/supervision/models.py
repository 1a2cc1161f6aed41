"""Devices, sensors, readings and their rollups, alarm rules and alarms, dead letters and notifications.

The reading and rollup tables are written by the ingest pipeline in bulk (never one ORM save per reading);
the models here describe them for migrations, charts and the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from semipark.core.models import TimeStampedModel
from semipark.core.roles import Department
from semipark.core.scoping import EVERYTHING, NOTHING, ScopedModel

SUPERVISING = frozenset({Department.EMERGENCY, Department.ECOLOGY})


class Supervised(ScopedModel):
    """Rows of one enterprise's plant: the enterprise, the park office, and the emergency and ecology regulators."""

    regulator_departments = SUPERVISING

    class Meta:
        abstract = True


class Device(Supervised, TimeStampedModel):
    """A gas-detection controller, DCS gateway, water-quality analyser or meter that publishes telemetry."""

    class Kind(models.TextChoices):
        GAS_CONTROLLER = "gas_controller", _("Gas detection controller")
        DCS_GATEWAY = "dcs_gateway", _("DCS gateway")
        WATER_ANALYSER = "water_analyser", _("Water quality analyser")
        METER = "meter", _("Meter")

    enterprise = models.ForeignKey(
        "park.Enterprise", on_delete=models.PROTECT, related_name="devices", verbose_name=_("enterprise")
    )
    code = models.SlugField(_("code"), max_length=40, help_text=_("Used in the MQTT topic."))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    token_prefix = models.CharField(_("token prefix"), max_length=8, blank=True)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["enterprise_id", "code"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="device_code_unique_in_enterprise")]

    def __str__(self):
        return f"{self.enterprise} / {self.code}"

    @property
    def topic(self) -> str:
        """semipark/<park>/<enterprise>/<device>/telemetry"""
        return f"{settings.MQTT_TOPIC_PREFIX}/{self.enterprise.park.code}/{self.enterprise.code}/{self.code}/telemetry"


class SensorKind(models.TextChoices):
    TOXIC_GAS = "toxic_gas", _("Toxic gas")
    COMBUSTIBLE_GAS = "combustible_gas", _("Combustible gas")
    OXYGEN = "oxygen", _("Oxygen")
    WATER_QUALITY = "water_quality", _("Wastewater quality")
    FLOW = "flow", _("Flow")
    POWER = "power", _("Power")
    TEMPERATURE = "temperature", _("Temperature")


class Unit(models.TextChoices):
    PPM = "ppm", "ppm"
    MG_M3 = "mg/m3", "mg/m³"
    PCT_LEL = "%LEL", "%LEL"
    PCT_VOL = "%VOL", "%VOL"
    MG_L = "mg/L", "mg/L"
    PH = "pH", "pH"
    M3_H = "m3/h", "m³/h"
    KW = "kW", "kW"
    CELSIUS = "C", "°C"


class Sensor(Supervised, TimeStampedModel):
    enterprise_path = "device__enterprise"

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="sensors", verbose_name=_("device"))
    key = models.SlugField(_("key"), max_length=40, help_text=_("The key the device publishes the value under."))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=SensorKind.choices)
    substance = models.CharField(
        _("substance"),
        max_length=20,
        blank=True,
        help_text=_("Formula of the gas (AsH3, PH3, H2...) or 'As' for arsenic."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    range_min = models.FloatField(_("range minimum"), default=0)
    range_max = models.FloatField(_("range maximum"))
    period_seconds = models.PositiveIntegerField(_("reporting period (s)"), default=10)
    plot = models.ForeignKey(
        "park.Plot", on_delete=models.SET_NULL, null=True, blank=True, related_name="sensors", verbose_name=_("plot")
    )
    building = models.CharField(_("building"), max_length=60, blank=True)
    x = models.FloatField(_("site plan x (m)"), null=True, blank=True)
    y = models.FloatField(_("site plan y (m)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    last_value = models.FloatField(_("last value"), null=True, blank=True)
    last_ts = models.DateTimeField(_("last reading"), null=True, blank=True)

    class Meta:
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")
        ordering = ["device_id", "key"]
        constraints = [
            models.UniqueConstraint(fields=["device", "key"], name="sensor_key_unique_in_device"),
            models.CheckConstraint(
                name="sensor_range_ordered",
                condition=Q(range_max__gt=models.F("range_min")),
                violation_error_message=_("The range maximum must be above the minimum."),
            ),
        ]

    def __str__(self):
        return f"{self.device.code}/{self.key} {self.name}"


class Reading(models.Model):
    """One value of one sensor at one time; (sensor, ts) is the key, so a redelivered reading is stored once."""

    pk = models.CompositePrimaryKey("sensor_id", "ts")
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, db_constraint=False, related_name="+")
    ts = models.DateTimeField()
    value = models.FloatField()
    out_of_range = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")

    def __str__(self):
        return f"{self.sensor_id}@{self.ts:%Y-%m-%d %H:%M:%S} = {self.value}"


class Rollup(models.Model):
    """Minute and hour aggregates of a sensor's readings; every chart reads these."""

    class Period(models.TextChoices):
        MINUTE = "m", _("minute")
        HOUR = "h", _("hour")

    pk = models.CompositePrimaryKey("sensor_id", "period", "start")
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, db_constraint=False, related_name="+")
    period = models.CharField(max_length=1, choices=Period.choices)
    start = models.DateTimeField()
    count = models.PositiveIntegerField()
    sum = models.FloatField()
    min = models.FloatField()
    max = models.FloatField()
    last = models.FloatField()
    last_ts = models.DateTimeField()

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")

    def __str__(self):
        return f"{self.sensor_id} {self.period} {self.start:%Y-%m-%d %H:%M}"

    @property
    def avg(self) -> float:
        return self.sum / self.count if self.count else 0.0


class AlarmRule(Supervised):
    """A condition on one sensor. Default rules come from the standards (see rules/); a site may override them."""

    enterprise_path = "sensor__device__enterprise"
    # Setpoints are safety decisions: enterprise admins and the park office change them, enterprise users read.
    enterprise_user_actions = frozenset({"view"})

    class Kind(models.TextChoices):
        HIGH = "high", _("High limit")
        LOW = "low", _("Low limit")
        RATE = "rate", _("Rate of change")
        OUT_OF_RANGE = "range", _("Outside measuring range")
        COMM_FAULT = "comm", _("Communication fault")

    class Level(models.IntegerChoices):
        FAULT = 0, _("Fault")
        LEVEL1 = 1, _("Level 1")
        LEVEL2 = 2, _("Level 2")

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="rules", verbose_name=_("sensor"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    threshold = models.FloatField(
        _("threshold"), null=True, blank=True, help_text=_("In the sensor's unit; per minute for rate rules.")
    )
    deadband = models.FloatField(_("deadband"), default=0)
    on_delay_count = models.PositiveSmallIntegerField(_("on-delay (consecutive readings)"), default=1)
    on_delay_seconds = models.PositiveIntegerField(_("on-delay (seconds)"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)
    verified = models.BooleanField(_("source figure verified"), default=True)
    overridden = models.BooleanField(_("overridden by the site"), default=False)
    override_reason = models.CharField(_("override reason"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")
        ordering = ["sensor_id", "kind", "level"]
        constraints = [models.UniqueConstraint(fields=["sensor", "kind", "level"], name="one_rule_per_kind_and_level")]

    def __str__(self):
        return f"{self.sensor} {self.get_kind_display()} {self.get_level_display()}"


class AlarmState(models.TextChoices):
    RAISED = "raised", _("Raised")
    ESCALATED = "escalated", _("Escalated")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLEARED = "cleared", _("Cleared")
    CLOSED = "closed", _("Closed")
    SHELVED = "shelved", _("Shelved")


ACTIVE_ALARM_STATES = (AlarmState.RAISED, AlarmState.ESCALATED, AlarmState.ACKNOWLEDGED, AlarmState.SHELVED)


class Alarm(Supervised, TimeStampedModel):
    enterprise_path = "sensor__device__enterprise"

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="alarms", verbose_name=_("sensor"))
    rule = models.ForeignKey(AlarmRule, on_delete=models.CASCADE, related_name="alarms", verbose_name=_("rule"))
    level = models.PositiveSmallIntegerField(_("level"), choices=AlarmRule.Level.choices)
    state = models.CharField(_("state"), max_length=20, choices=AlarmState.choices, default=AlarmState.RAISED)
    active = models.BooleanField(_("active"), default=True, help_text=_("Not yet closed."))
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    value = models.FloatField(_("value when raised"), null=True, blank=True)
    peak = models.FloatField(_("peak value"), null=True, blank=True)
    threshold = models.FloatField(_("threshold when raised"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    note = models.TextField(_("note"), blank=True)
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    shelved_until = models.DateTimeField(_("shelved until"), null=True, blank=True)
    shelve_reason = models.CharField(_("shelving reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sensor", "rule"], condition=Q(active=True), name="one_active_alarm_per_sensor_and_rule"
            )
        ]
        indexes = [models.Index(fields=["active", "-raised_at"])]

    def __str__(self):
        return f"{self.sensor} {self.get_level_display()} {self.get_state_display()}"


class DeadLetter(ScopedModel):
    """A message the pipeline could not take, kept with the reason and the raw payload."""

    regulator_departments = SUPERVISING

    class Reason(models.TextChoices):
        UNDECODABLE = "undecodable", _("Payload is not valid JSON")
        BAD_SHAPE = "bad_shape", _("Payload does not have the expected shape")
        UNKNOWN_DEVICE = "unknown_device", _("Unknown device")
        UNKNOWN_KEY = "unknown_key", _("Unknown sensor key")
        BAD_TIMESTAMP = "bad_timestamp", _("Bad timestamp")
        BAD_VALUE = "bad_value", _("Value is not a number")
        BAD_TOPIC = "bad_topic", _("Topic does not match the pattern")

    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    transport = models.CharField(_("transport"), max_length=10)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    enterprise = models.ForeignKey(
        "park.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("enterprise")
    )
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("device"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    payload = models.TextField(_("payload"), blank=True)

    class Meta:
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.received_at:%Y-%m-%d %H:%M:%S} {self.reason}"


class Webhook(ScopedModel):
    """Where alarm notifications are POSTed as JSON: one per enterprise, or the park office's (no enterprise)."""

    enterprise = models.ForeignKey(
        "park.Enterprise", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("enterprise")
    )
    url = models.URLField(_("URL"))
    secret = models.CharField(_("signing secret"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    regulator_departments = frozenset()

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url


class Notification(ScopedModel):
    """An in-app notice of an alarm transition, for one enterprise (or the park office when none)."""

    regulator_departments = SUPERVISING

    enterprise = models.ForeignKey(
        "park.Enterprise", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("enterprise")
    )
    alarm = models.ForeignKey(Alarm, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("alarm"))
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    message = models.CharField(_("message"), max_length=300)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]

    @classmethod
    def scope_q(cls, user, action):
        if user.is_enterprise_member and action == "view":
            return Q(enterprise_id=user.enterprise_id) if user.enterprise_id else NOTHING
        if user.is_office and action == "view":
            return EVERYTHING
        return super().scope_q(user, action)
