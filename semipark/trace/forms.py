"""Forms of the trace pages; the operations themselves are the services'."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from semipark.park.models import Enterprise

from . import exportcontrol, materials
from .lots import NewLot
from .models import ExportLicence, Lot, Unit

QTY = {"max_digits": 16, "decimal_places": 4, "min_value": Decimal("0.0001")}
INPUT_ROWS = 3
OUTPUT_ROWS = 3


class NewLotForm(forms.Form):
    material = forms.ChoiceField(label=_("material"), choices=materials.choices)
    quantity = forms.DecimalField(label=_("quantity"), **QTY)
    unit = forms.ChoiceField(label=_("unit"), choices=Unit.choices)
    unit_mass_kg = forms.DecimalField(
        label=_("mass per piece (kg)"), required=False, max_digits=12, decimal_places=6, min_value=Decimal("0.000001")
    )
    code = forms.RegexField(
        label=_("lot number"),
        regex=r"^[-A-Za-z0-9_.]*$",
        max_length=40,
        required=False,
        help_text=_("Leave empty to number the lot automatically."),
    )
    hs_code = forms.CharField(label=_("HS code"), max_length=12, required=False)
    description = forms.CharField(label=_("description"), max_length=200, required=False)
    note = forms.CharField(label=_("internal note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def spec(self) -> NewLot:
        return NewLot(**self.cleaned_data)


class EnterpriseChoice(forms.Form):
    """Lets the park office act for an enterprise; enterprise staff act for their own."""

    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_office:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
        else:
            del self.fields["enterprise"]

    def acting(self, user):
        return self.cleaned_data.get("enterprise") or user.enterprise


class LotForm(EnterpriseChoice, NewLotForm):
    def spec(self) -> NewLot:
        return NewLot(**{k: v for k, v in self.cleaned_data.items() if k != "enterprise"})


def lot_rows(user, prefix: str, count: int, data=None) -> list[forms.Form]:
    """Rows of (lot, quantity) choosing among the lots the user may change and that are in stock."""
    lots = Lot.objects.visible_to(user, "change").filter(available__gt=0).select_related("enterprise")

    class Row(forms.Form):
        lot = forms.ModelChoiceField(label=_("lot"), queryset=lots, required=False)
        quantity = forms.DecimalField(label=_("quantity"), required=False, **QTY)

        def clean(self):
            cleaned = super().clean()
            if cleaned.get("lot") and not cleaned.get("quantity"):
                self.add_error("quantity", _("Give the quantity taken from this lot."))
            return cleaned

    return [Row(data, prefix=f"{prefix}{i}") for i in range(count)]


def chosen_lots(rows) -> list[tuple[Lot, Decimal]]:
    """(lot, quantity) of the rows where a lot was chosen."""
    return [(r.cleaned_data["lot"], r.cleaned_data["quantity"]) for r in rows if r.cleaned_data.get("lot")]


def output_rows(count: int, data=None) -> list[NewLotForm]:
    rows = [NewLotForm(data, prefix=f"out{i}") for i in range(count)]
    for row in rows[1:]:  # only the first output is required
        for field in row.fields.values():
            field.required = False
    return rows


class TransformForm(EnterpriseChoice):
    process = forms.ChoiceField(label=_("process"))
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].choices = [(p.code, p.label) for p in materials.processes().values()]


class ShipmentForm(EnterpriseChoice):
    buyer = forms.ModelChoiceField(label=_("receiving enterprise"), queryset=Enterprise.objects.none(), required=False)
    buyer_name = forms.CharField(label=_("outside buyer"), max_length=120, required=False)
    destination_country = forms.RegexField(label=_("destination country"), regex=r"^[A-Za-z]{2}$", initial="CN")
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["buyer"].queryset = Enterprise.objects.visible_to(user)


class LicenceForm(EnterpriseChoice, forms.ModelForm):
    class Meta:
        model = ExportLicence
        fields = [
            "number",
            "item",
            "quantity",
            "unit",
            "destination_country",
            "end_user",
            "valid_from",
            "valid_to",
            "note",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = forms.ChoiceField(
            label=_("controlled item"), choices=[(i.code, f"{i.name} {i.name_en}") for i in exportcontrol.items()]
        )

    def licence_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "enterprise"}
