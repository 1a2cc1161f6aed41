from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone


@pytest.fixture
def market(people, park):
    """The demo catalog, listings, RFQs and orders on top of the demo park and the test people."""
    from semipark.market import demo

    demo.load(park)
    return park


@pytest.fixture
def boyu_user(make_user):
    from semipark.core.roles import Role
    from semipark.park.models import Enterprise

    return make_user("t-boyu", Role.ENTERPRISE_USER, Enterprise.objects.get(code="boyu"))


@pytest.fixture
def gallium_rfq_body():
    from semipark.market.models import Category

    now = timezone.now()
    return {
        "title": "高纯镓采购 test",
        "delivery_date": str((now + timedelta(days=20)).date()),
        "closes_at": (now + timedelta(days=3)).isoformat(),
        "items": [
            {
                "category_id": Category.objects.get(code="gallium").pk,
                "description": "6N以上高纯镓",
                "specs": {"element": "Ga", "purity": "6N"},
                "quantity": "100",
                "unit": "kg",
            }
        ],
    }


def lot_of(user, enterprise, material="Ga", quantity=Decimal(100), hs_code="8112929010", unit="kg"):
    from semipark.trace.lots import NewLot, register_lot

    mass = Decimal("0.0269") if unit == "pcs" else None  # one 4-inch GaAs wafer
    spec = NewLot(material, Decimal(quantity), unit=unit, hs_code=hs_code, unit_mass_kg=mass, description="test")
    return register_lot(user, enterprise, spec)
