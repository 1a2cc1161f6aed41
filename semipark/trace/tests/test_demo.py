from decimal import Decimal as D

import pytest

from semipark.trace import balance, genealogy
from semipark.trace.exportcontrol import LicenceRequired
from semipark.trace.models import ExportLicence, Lot


@pytest.fixture
def demo(park, django_user_model):
    from semipark.park import demo as park_demo

    park_demo.create_accounts()
    market_demo = pytest.importorskip("semipark.market.demo")
    market_demo.load(park)
    from semipark.trace import demo as trace_demo

    trace_demo.load(park)
    return park


def test_demo_chain_traces_from_wafers_back_to_gallium_and_forward_to_recovery(demo, django_user_model):
    office = django_user_model.objects.filter(role="office_admin").first()
    wafers = Lot.objects.get(enterprise__code="tongmei", code="W4SI-2611-07")
    back = genealogy.trace(office, wafers, genealogy.BACKWARD)
    codes = {(lot.enterprise.code, lot.code) for lot in back.nodes.values()}
    assert {("jinmei", "GA7N-2611-01"), ("xinmei", "AS7N-2611-01"), ("tongmei", "VGF-2611-07")} <= codes
    gallium = Lot.objects.get(enterprise__code="jinmei", code="GA7N-2611-01")
    forward = genealogy.trace(office, gallium, genealogy.FORWARD)
    found = {(lot.enterprise.code, lot.material) for lot in forward.nodes.values()}
    assert ("shuomei", "Ga-recovered") in found and ("jinmei", "Ga-recovered") in found


def test_demo_export_ships_under_its_licence_and_the_us_order_is_stopped(demo):
    from semipark.market import orders
    from semipark.market.models import Order

    licence = ExportLicence.objects.get(destination_country="DE")
    assert licence.remaining == D(300)
    assert Order.objects.filter(destination_country="DE", status="shipped").exists()
    us_order = Order.objects.get(destination_country="US")
    wafers = Lot.objects.get(enterprise__code="tongmei", code="W4SI-2611-07")
    seller = us_order.seller.users.first()
    with pytest.raises(LicenceRequired):
        orders.ship(seller, us_order, [(wafers, D(10))])
    us_order.refresh_from_db()
    wafers.refresh_from_db()
    assert us_order.status != "shipped" and wafers.available == D(800)
    for firm in {lot.enterprise for lot in Lot.objects.select_related("enterprise")}:
        assert balance.gallium_balance(firm)[-1].closing == balance.stock_now(firm)
