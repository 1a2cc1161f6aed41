from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from semipark.core.models import AuditEntry
from semipark.trace import lots
from semipark.trace.lots import NewLot
from semipark.trace.models import Lot, LotEvent, LotLink, Transformation


def test_register_gives_identifier_and_logs(people, firms, settings):
    settings.IDENTIFIER_PREFIX = "88.118.8"
    lot = lots.register_lot(people["b_user"], firms["jinmei"], NewLot("Ga", D(50), code="G-1"))
    assert lot.identifier == "88.118.8/jinmei/G-1"
    assert lot.available == 50
    assert list(lot.events.values_list("code", "quantity")) == [("created", D(50))]
    auto = lots.register_lot(people["b_user"], firms["jinmei"], NewLot("Ga", D(5)))
    assert auto.identifier.startswith("88.118.8/jinmei/") and auto.code.endswith("-001")
    assert AuditEntry.objects.filter(model="trace.lot", object_id=str(lot.pk)).exists()


def test_register_refuses_another_enterprise_and_bad_values(people, firms):
    with pytest.raises(PermissionDenied):
        lots.register_lot(people["a_user"], firms["jinmei"], NewLot("Ga", D(5)))
    with pytest.raises(ValidationError):
        lots.register_lot(people["b_user"], firms["jinmei"], NewLot("Unobtainium", D(5)))
    with pytest.raises(ValidationError):
        lots.register_lot(people["b_user"], firms["jinmei"], NewLot("GaAs-wafer", D(5), unit="pcs"))
    assert not Lot.objects.exists()


def test_transform_consumes_inputs_and_links_every_source(people, firms):
    user, tongmei = people["a_user"], firms["tongmei"]
    ga = lots.register_lot(user, tongmei, NewLot("Ga", D(20)))
    arsenic = lots.register_lot(user, tongmei, NewLot("As", D(30)))
    step, (crystal,) = lots.transform(
        user, tongmei, "grow", [(ga, D(20)), (arsenic, D("21.5"))], [NewLot("GaAs-crystal", D(40))]
    )
    ga.refresh_from_db()
    arsenic.refresh_from_db()
    assert (ga.available, arsenic.available) == (0, D("8.5"))
    assert set(crystal.parent_links.values_list("parent_id", "quantity")) == {(ga.pk, D(20)), (arsenic.pk, D("21.5"))}
    assert list(ga.events.values_list("code", flat=True)) == ["created", "consumed"]
    assert crystal.events.get().code == "produced"
    assert crystal.events.get().deltas["transformation"] == step.pk


def test_over_consumption_is_refused_and_nothing_written(people, firms):
    user, tongmei = people["a_user"], firms["tongmei"]
    ga = lots.register_lot(user, tongmei, NewLot("Ga", D(20)))
    arsenic = lots.register_lot(user, tongmei, NewLot("As", D(30)))
    counts = (Lot.objects.count(), LotEvent.objects.count(), LotLink.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        lots.transform(user, tongmei, "grow", [(ga, D(21)), (arsenic, D(20))], [NewLot("GaAs-crystal", D(40))])
    assert "only 20.0000 kg available, 21 asked" in str(refused.value)
    with pytest.raises(ValidationError, match="gallium"):  # more gallium out than in
        lots.transform(user, tongmei, "grow", [(ga, D(10)), (arsenic, D(20))], [NewLot("GaAs-crystal", D(40))])
    with pytest.raises(ValidationError, match="does not take"):
        lots.transform(user, tongmei, "recover", [(ga, D(1))], [NewLot("Ga-recovered", D(1))])
    after = (Lot.objects.count(), LotEvent.objects.count(), LotLink.objects.count(), AuditEntry.objects.count())
    assert after == counts
    ga.refresh_from_db()
    assert ga.available == 20
    assert not Transformation.objects.exists()


def test_transform_refuses_other_enterprises_lots(people, firms):
    theirs = lots.register_lot(people["b_user"], firms["jinmei"], NewLot("Ga", D(20)))
    with pytest.raises(PermissionDenied):
        lots.transform(people["a_user"], firms["tongmei"], "grow", [(theirs, D(1))], [NewLot("GaAs-crystal", D(1))])
    theirs.refresh_from_db()
    assert theirs.available == 20


def test_events_are_append_only(people, firms):
    lot = lots.register_lot(people["b_user"], firms["jinmei"], NewLot("Ga", D(1)))
    event = lot.events.get()
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
