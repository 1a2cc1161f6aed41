"""Forms of the register pages; choices come from the user's scoped querysets, saving goes through services."""

from django import forms

from .models import ChainItem, Contact, Enterprise

ENTERPRISE_FIELDS = [
    "name",
    "short_name",
    "code",
    "uscc",
    "registered_capital",
    "founded",
    "status",
    "above_size",
    "chain_items",
    "address",
    "description",
]


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        widgets = {
            "founded": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "chain_items": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, editable: frozenset[str] | None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [n for n in self.fields if editable is not None and n not in editable]:
            del self.fields[name]
        if "chain_items" in self.fields:
            field = self.fields["chain_items"]
            field.queryset = ChainItem.objects.visible_to(user).select_related("segment")
            field.label_from_instance = lambda item: f"{item.segment.label} · {item.label}"

    def changes(self) -> tuple[dict, list | None]:
        """The plain field values and, when on the form, the chain items."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "chain_items"}
        items = list(self.cleaned_data["chain_items"]) if "chain_items" in self.cleaned_data else None
        return data, items


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "emergency"]
