from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceConfig(AppConfig):
    name = "semipark.trace"
    label = "trace"
    verbose_name = _("Lots, traceability and export control")


# Main-menu label of the trace pages; kept here so the trace catalogue translates it.
MENU_LABEL = _("Lots and licences")
