from decimal import Decimal as D

import pytest

from semipark.core.roles import Role
from semipark.trace import balance, genealogy, lots
from semipark.trace.genealogy import BACKWARD, FORWARD
from semipark.trace.lots import NewLot
from semipark.trace.models import Lot


def identifiers(trace):
    return {lot.identifier.split("/", 1)[1] for lot in trace.nodes.values()}


def test_wafers_trace_back_to_gallium_and_arsenic_across_three_enterprises(people, chain):
    trace = genealogy.trace(people["office"], chain["wafers"], BACKWARD)
    found = identifiers(trace)
    assert {"jinmei/GA7N-2611-01", "xinmei/AS7N-2611-01", "tongmei/VGF-2611-07", "tongmei/W4SI-2611-07"} <= found
    assert trace.depth[chain["gallium"].pk] == -3  # gallium → received → crystal → wafers
    assert trace.depth[chain["crystal"].pk] == -1
    assert all(trace.depth[lot] < 0 for lot in trace.nodes if lot != chain["wafers"].pk)


def test_gallium_traces_forward_to_the_recovered_gallium_back_at_jinmei(people, chain):
    trace = genealogy.trace(people["office"], chain["gallium"], FORWARD)
    enterprises = {lot.enterprise.code for lot in trace.nodes.values()}
    assert enterprises == {"jinmei", "tongmei", "shuomei"}
    assert chain["recovered"].pk in trace.nodes
    assert chain["returned"].pk in trace.nodes  # the recovered gallium came back to jinmei
    assert chain["arsenic"].pk not in trace.nodes  # a sibling input, not downstream


def test_depth_limits_the_walk(people, chain):
    trace = genealogy.trace(people["office"], chain["gallium"], FORWARD, depth=2)
    assert max(trace.depth.values()) == 2
    assert chain["wafers"].pk not in trace.nodes


def test_merges_keep_every_source(people, firms):
    user, tongmei = people["a_user"], firms["tongmei"]
    first = lots.register_lot(user, tongmei, NewLot("GaAs-scrap", D(5)))
    second = lots.register_lot(user, tongmei, NewLot("GaAs-scrap", D(7)))
    _step, (merged,) = lots.transform(
        user, tongmei, "other", [(first, D(5)), (second, D(7))], [NewLot("GaAs-scrap", D(12))]
    )
    trace = genealogy.trace(user, merged, BACKWARD)
    assert set(trace.nodes) == {first.pk, second.pk, merged.pk}
    assert {(e.parent, e.quantity) for e in trace.edges} == {(first.pk, D(5)), (second.pk, D(7))}


@pytest.fixture
def tongmei_user(make_user, firms):
    return make_user("t-tongmei", Role.ENTERPRISE_USER, firms["tongmei"])


@pytest.fixture
def shuomei_user(make_user, firms):
    return make_user("t-shuomei", Role.ENTERPRISE_USER, firms["shuomei"])


def test_an_enterprise_sees_its_lots_and_its_direct_counterparts_only(people, chain, tongmei_user, shuomei_user):
    trace = genealogy.trace(tongmei_user, chain["wafers"], BACKWARD)
    assert chain["gallium"].pk in trace.nodes  # jinmei shipped it to tongmei
    assert chain["arsenic"].pk in trace.nodes
    assert chain["returned"].pk not in trace.nodes
    forward = genealogy.trace(tongmei_user, chain["crystal"], FORWARD)
    scrap_at_shuomei = chain["scrap"].child_links.get().child
    assert scrap_at_shuomei.pk in forward.nodes  # tongmei shipped it there
    assert chain["recovered"].pk not in forward.nodes  # shuomei's own processing is cut
    # shuomei sees its side: the scrap it received from tongmei, not tongmei's crystal or jinmei's gallium.
    back = genealogy.trace(shuomei_user, chain["recovered"], BACKWARD)
    assert set(back.nodes) == {chain["recovered"].pk, scrap_at_shuomei.pk, chain["scrap"].pk}


def test_visible_lots_per_role(people, chain, tongmei_user):
    visible = set(Lot.objects.visible_to(tongmei_user).values_list("enterprise__code", "code"))
    assert ("jinmei", "GA7N-2611-01") in visible
    assert ("jinmei", "RGA-2611-01") not in {(e, c) for e, c in visible}
    assert not Lot.objects.visible_to(people["regulator"]).exists()
    assert Lot.objects.visible_to(people["office"]).count() == Lot.objects.count()
    assert not Lot.objects.visible_to(tongmei_user, "change").exclude(enterprise__code="tongmei").exists()


def test_gallium_balance_worked_example(people, chain, firms):
    # tongmei received 20 kg Ga and grew 40 kg GaAs from it: 40 × 0.482028 = 19.28112 kg Ga, 0.71888 kg lost;
    # sliced it into 1000 wafers of 26.9 g (12.96655 kg Ga) and 12 kg scrap (5.78434 kg Ga): 0.53023 kg lost;
    # shipped the scrap to shuomei. Lost 1.24911 kg; left in stock: the wafers.
    (month,) = balance.gallium_balance(firms["tongmei"])
    row = month.rounded()
    assert row["received"] == D("20.0000")
    assert row["registered"] == 0
    assert row["lost"] == D("1.2491")
    assert row["shipped"] == D("5.7843")  # 12 kg × 0.482028
    assert row["closing"] == D("12.9666")  # 1000 × 0.0269 kg × 0.482028
    assert month.closing == balance.stock_now(firms["tongmei"])
    (shuomei,) = balance.gallium_balance(firms["shuomei"])
    assert shuomei.rounded()["recovered"] == D("5.6000")
    assert shuomei.closing == balance.stock_now(firms["shuomei"]) == D("0.6")
    for code in ("jinmei", "xinmei"):
        (row,) = balance.gallium_balance(firms[code])
        assert row.closing == balance.stock_now(firms[code])


def test_visibility_among_some_lots_agrees_with_the_scope(people, chain, tongmei_user, shuomei_user):
    ids = list(Lot.objects.values_list("pk", flat=True))
    for user in (tongmei_user, shuomei_user, people["office"], people["regulator"], people["b_user"]):
        expected = set(Lot.objects.visible_to(user).values_list("pk", flat=True))
        assert set(Lot.visible_among(user, ids).values_list("pk", flat=True)) == expected
        assert set(Lot.visible_among(user, ids[:3]).values_list("pk", flat=True)) == expected & set(ids[:3])
