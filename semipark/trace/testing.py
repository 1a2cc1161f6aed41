"""Private objects of one enterprise for the cross-enterprise isolation walk (see core/tests/test_isolation.py)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from .identifiers import identifier
from .models import ExportLicence, Lot, LotEvent, Shipment, Transformation


def make_private(enterprise, marker: str) -> list:
    lot = Lot.objects.create(
        enterprise=enterprise,
        code="PRIVATE-1",
        identifier=identifier(enterprise.code, "PRIVATE-1"),
        material="Ga",
        quantity=Decimal(10),
        available=Decimal(10),
        description=f"lot {marker}",
        note=f"note {marker}",
    )
    LotEvent.objects.create(lot=lot, code=LotEvent.Code.CREATED, quantity=Decimal(10), note=f"event {marker}")
    today = timezone.localdate()
    made = [
        lot,
        Transformation.objects.create(enterprise=enterprise, process="other", note=f"step {marker}"),
        Shipment.objects.create(
            number=f"SH-PRIVATE-{enterprise.code}", seller=enterprise, buyer_name=f"buyer {marker}", note=marker
        ),
        ExportLicence.objects.create(
            enterprise=enterprise,
            number=f"LIC-PRIVATE-{enterprise.code}",
            item="ga-metal",
            quantity=Decimal(5),
            destination_country="DE",
            end_user=f"end user {marker}",
            valid_from=today,
            valid_to=today + timedelta(days=30),
            note=marker,
        ),
    ]
    # Read back so decimals carry the database's scale, as the walk's later snapshots will.
    return [type(obj)._base_manager.get(pk=obj.pk) for obj in made]
