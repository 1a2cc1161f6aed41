"""Indexed columns that mirror the range-able part of a specification, so matching and search filter in SQL.

The JSON ``specs`` field is the truth; ``market.specs.columns_for(kind, specs)`` derives these columns from it
whenever a product or listing is saved through the services.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpecColumns(models.Model):
    material = models.CharField(
        _("material"), max_length=30, blank=True, db_index=True, help_text=_("For example Ga, GaAs, As, Ge, InP.")
    )
    conduction = models.CharField(_("conduction type"), max_length=4, blank=True)
    diameter_in = models.DecimalField(_("diameter (inch)"), max_digits=3, decimal_places=1, null=True, blank=True)
    purity_n = models.DecimalField(
        _("purity (nines)"), max_digits=3, decimal_places=1, null=True, blank=True, db_index=True
    )
    epd_max = models.FloatField(_("etch-pit density at most (cm⁻²)"), null=True, blank=True, db_index=True)
    resistivity_min = models.FloatField(_("resistivity from (Ω·cm)"), null=True, blank=True)
    resistivity_max = models.FloatField(_("resistivity to (Ω·cm)"), null=True, blank=True)
    carrier_min = models.FloatField(_("carrier concentration from (cm⁻³)"), null=True, blank=True)
    carrier_max = models.FloatField(_("carrier concentration to (cm⁻³)"), null=True, blank=True)
    mobility_min = models.FloatField(_("mobility at least (cm²/V·s)"), null=True, blank=True)
    thickness_min = models.FloatField(_("thickness from (µm)"), null=True, blank=True)
    thickness_max = models.FloatField(_("thickness to (µm)"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean_specs(self, kind: str) -> None:
        """Validate ``specs`` against the kind's schema and refresh the indexed columns from it."""
        from semipark.market.specs import columns_for, validate

        self.specs = validate(kind, self.specs)
        columns = columns_for(kind, self.specs)
        if not columns["material"]:
            columns.pop("material")  # kinds without a material key keep the one entered
        for name, value in columns.items():
            setattr(self, name, value)

    def clean(self):
        super().clean()
        if self.category_id:
            self.clean_specs(self.category.kind)
