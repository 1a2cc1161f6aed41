from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParkConfig(AppConfig):
    name = "semipark.park"
    label = "park"
    verbose_name = _("Park")
