"""Loading the demo data set: the park first, then whatever each app contributes in its ``demo.py``."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction


def app_loaders():
    """``load(park)`` functions of the semipark apps after ``park``, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("semipark.") or config.label in {"core", "park"}:
            continue
        if find_spec(f"{config.name}.demo") is None:
            continue
        module = import_module(f"{config.name}.demo")
        if hasattr(module, "load"):
            yield config.label, module.load


@transaction.atomic
def load_all(with_accounts: bool) -> list[str]:
    """Load everything once (idempotent) and return the labels of the apps that contributed."""
    from semipark.park import demo as park_demo

    fresh = not park_demo.Park.objects.filter(code="kazuo").exists()
    park = park_demo.load()
    if with_accounts:
        park_demo.create_accounts()
    loaded = ["park"]
    for label, load in app_loaders():
        if fresh:
            load(park)
        loaded.append(label)
    return loaded
