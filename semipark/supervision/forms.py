"""Forms for devices and sensors; every choice offered comes from the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from semipark.park.models import Enterprise, Plot

from .models import Device, Sensor
from .registry import SENSOR_FIELDS


class RegistryForm(forms.ModelForm):
    def changes(self) -> dict:
        """The cleaned values to hand to the registry (which validates, audits and keeps rules in step)."""
        return {name: self.cleaned_data[name] for name in self.fields if not self.fields[name].disabled}


class DeviceForm(RegistryForm):
    class Meta:
        model = Device
        fields = ["enterprise", "code", "name", "kind", "active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk or not user.is_office:
            del self.fields["enterprise"]  # fixed: the device's own, or the user's enterprise
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("id")
        if self.instance.pk:
            self.fields["code"].disabled = True  # devices publish under it


class SensorForm(RegistryForm):
    class Meta:
        model = Sensor
        fields = SENSOR_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        devices = Device.objects.visible_to(user, "change").select_related("enterprise")
        self.fields["device"].queryset = devices
        plots = Plot.objects.visible_to(user).filter(enterprise__isnull=False).select_related("enterprise")
        if not user.is_office:
            plots = plots.filter(enterprise_id=user.enterprise_id)
        self.fields["plot"].queryset = plots
        self.fields["plot"].label_from_instance = lambda p: f"{p.code} {p.enterprise.short_name}"
        if self.instance.pk:
            self.fields["device"].disabled = True
            self.fields["key"].disabled = True
        self.fields["x"].help_text = _("Metres east on the site plan.")
        self.fields["y"].help_text = _("Metres north on the site plan.")
