from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from semipark.trace import exportcontrol, licences, lots, shipments
from semipark.trace.exportcontrol import DestinationProhibited, LicenceRequired
from semipark.trace.lots import NewLot
from semipark.trace.models import ExportLicence, LicenceDrawdown, Lot, Shipment


@pytest.fixture
def gallium(people, firms):
    return lots.register_lot(people["b_user"], firms["jinmei"], NewLot("Ga", D(100), code="GA-1"))


def licence(firm, *, number="LIC-1", item="ga-metal", quantity=D(10), unit="kg", country="DE", days=(-10, 100)):
    today = timezone.localdate()
    return ExportLicence.objects.create(
        enterprise=firm,
        number=number,
        item=item,
        quantity=quantity,
        unit=unit,
        destination_country=country,
        end_user="Beispiel GmbH",
        valid_from=today + timedelta(days=days[0]),
        valid_to=today + timedelta(days=days[1]),
    )


def export(people, firms, gallium, quantity, country="DE"):
    return shipments.ship(
        people["b_user"],
        seller=firms["jinmei"],
        lot_lines=[(gallium, quantity)],
        buyer_name="Beispiel",
        country=country,
    )


def test_transfer_inside_the_park_creates_a_linked_received_lot(people, firms, gallium):
    gallium.note = "private to jinmei"
    gallium.save()
    shipment = shipments.ship(
        people["b_user"], seller=firms["jinmei"], buyer=firms["tongmei"], lot_lines=[(gallium, D(20))]
    )
    line = shipment.lines.get()
    received = line.received_lot
    gallium.refresh_from_db()
    assert gallium.available == 80
    assert (received.enterprise, received.material, received.quantity) == (firms["tongmei"], "Ga", D(20))
    assert received.identifier.startswith(f"{received.identifier.split('/')[0]}/tongmei/")
    assert received.note == ""  # the seller's note stays behind
    assert received.parent_links.get().shipment == shipment
    assert line.controlled_item == "ga-metal"
    assert not LicenceDrawdown.objects.exists()  # CN: no licence needed


def test_shipping_more_than_available_is_refused_without_writes(people, firms, gallium):
    with pytest.raises(ValidationError, match=r"only 100\.0000 kg available"):
        shipments.ship(people["b_user"], seller=firms["jinmei"], buyer=firms["tongmei"], lot_lines=[(gallium, D(101))])
    assert not Shipment.objects.exists()
    assert Lot.objects.count() == 1


def test_export_without_licence_is_refused(people, firms, gallium):
    with pytest.raises(LicenceRequired, match="holds none") as refused:
        export(people, firms, gallium, D(5))
    assert refused.value.country == "DE" and refused.value.item.code == "ga-metal"
    gallium.refresh_from_db()
    assert gallium.available == 100
    assert not Shipment.objects.exists()


@pytest.mark.parametrize("country", ["HK", "MO"])
def test_hong_kong_and_macao_are_outside_the_customs_territory(people, firms, gallium, country):
    with pytest.raises(LicenceRequired):
        export(people, firms, gallium, D(1), country)


def test_export_with_licence_draws_it_down(people, firms, gallium):
    held = licence(firms["jinmei"], quantity=D(10))
    shipment = export(people, firms, gallium, D(4))
    assert shipment.drawdowns.get().quantity == D(4)
    assert held.remaining == D(6)
    shipment = export(people, firms, gallium, D(6))
    assert held.remaining == 0
    with pytest.raises(LicenceRequired, match="leave 1 kg uncovered"):
        export(people, firms, gallium, D(1))


def test_quantity_larger_than_remaining_is_refused(people, firms, gallium):
    held = licence(firms["jinmei"], quantity=D(10))
    with pytest.raises(LicenceRequired, match="LIC-1"):
        export(people, firms, gallium, D("10.5"))
    assert held.remaining == 10
    gallium.refresh_from_db()
    assert gallium.available == 100


def test_expired_or_future_licence_does_not_cover(people, firms, gallium):
    licence(firms["jinmei"], number="LIC-OLD", days=(-100, -1))
    with pytest.raises(LicenceRequired, match="LIC-OLD expired on"):
        export(people, firms, gallium, D(1))
    licence(firms["jinmei"], number="LIC-NEXT", days=(1, 100))
    ExportLicence.objects.filter(number="LIC-OLD").delete()
    with pytest.raises(LicenceRequired, match="valid only from"):
        export(people, firms, gallium, D(1))


def test_licence_for_another_destination_or_item_does_not_cover(people, firms, gallium):
    licence(firms["jinmei"], country="JP")
    licence(firms["jinmei"], number="LIC-GE", item="ge-metal")
    with pytest.raises(LicenceRequired):
        export(people, firms, gallium, D(1))


def test_licence_in_pieces_covers_wafers_and_splits_across_licences(people, firms):
    wafers = lots.register_lot(
        people["a_user"], firms["tongmei"], NewLot("GaAs-wafer", D(500), unit="pcs", unit_mass_kg=D("0.0269"))
    )
    first = licence(firms["tongmei"], number="LIC-A", item="ga-arsenide", quantity=D(100), unit="pcs", days=(-5, 10))
    second = licence(firms["tongmei"], number="LIC-B", item="ga-arsenide", quantity=D(2), unit="kg", days=(-5, 50))
    shipments.ship(
        people["a_user"], seller=firms["tongmei"], lot_lines=[(wafers, D(150))], buyer_name="X", country="DE"
    )
    assert first.remaining == 0  # the earlier expiry is used first
    assert second.remaining == D(2) - D(50) * D("0.0269")


def test_united_states_is_refused_today_even_with_a_licence(people, firms, gallium, monkeypatch):
    licence(firms["jinmei"], country="US")
    with pytest.raises(DestinationProhibited, match="2024年第46号"):
        export(people, firms, gallium, D(1), "US")
    # The day before, while clause 2 was suspended, the licence covered it.
    monkeypatch.setattr(exportcontrol, "today", lambda: date(2026, 11, 27))
    shipment = export(people, firms, gallium, D(1), "US")
    assert shipment.drawdowns.get().quantity == 1


def test_register_refuses_licences_inside_the_territory_or_for_a_prohibited_destination(people, firms):
    def attempt(country):
        licences.register(
            people["b_admin"],
            ExportLicence(enterprise=firms["jinmei"]),
            {
                "number": f"L-{country}",
                "item": "ga-metal",
                "quantity": D(1),
                "unit": "kg",
                "destination_country": country,
                "end_user": "x",
                "valid_from": date(2026, 1, 1),
                "valid_to": date(2027, 1, 1),
            },
        )

    with pytest.raises(ValidationError, match="customs territory"):
        attempt("CN")
    with pytest.raises(ValidationError, match="46"):
        attempt("US")
    attempt("KR")
    assert ExportLicence.objects.get().number == "L-KR"
    with pytest.raises(Exception, match="not"):
        licences.register(people["b_user"], ExportLicence(enterprise=firms["jinmei"]), {"number": "L-2"})


def test_inside_the_customs_territory_no_licence_is_needed(people, firms, gallium):
    shipment = export(people, firms, gallium, D(7), "CN")
    assert shipment.lines.get().controlled_item == "ga-metal"
    assert shipment.lines.get().received_lot is None  # an outside buyer: the lot leaves the platform
    assert not shipment.drawdowns.exists()
    gallium.refresh_from_db()
    assert gallium.available == 93
