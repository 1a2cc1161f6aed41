"""The generic state machine: allowed transitions apply and are audited; anything else changes nothing."""

import pytest
from django.utils import translation

from semipark.core.models import AuditEntry
from semipark.core.statemachine import StateMachine, Transition, TransitionRefused
from semipark.park.models import Enterprise, EnterpriseStatus

MACHINE = StateMachine(
    {
        "start_building": Transition(
            frozenset({EnterpriseStatus.REGISTERED}), EnterpriseStatus.CONSTRUCTION, frozenset({"office"}), "start"
        ),
        "leave": Transition(
            frozenset({EnterpriseStatus.PRODUCTION, EnterpriseStatus.CONSTRUCTION}),
            EnterpriseStatus.LEFT,
            frozenset({"office"}),
            "record leaving",
            needs_note=True,
        ),
    },
    state_labels=lambda s: str(EnterpriseStatus(s).label),
)


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def building(enterprise_a):
    Enterprise.objects.filter(pk=enterprise_a.pk).update(status=EnterpriseStatus.CONSTRUCTION)
    enterprise_a.refresh_from_db()
    return enterprise_a


def unchanged(enterprise, entries):
    fresh = Enterprise.objects.get(pk=enterprise.pk)
    return fresh.status == EnterpriseStatus.CONSTRUCTION and AuditEntry.objects.count() == entries


def test_allowed_transition_applies_and_is_audited(people, building):
    done = MACHINE.apply(building, "leave", people["office"], {"office"}, note="moved to another park")
    assert done.status == EnterpriseStatus.LEFT
    assert Enterprise.objects.get(pk=building.pk).status == EnterpriseStatus.LEFT
    entry = AuditEntry.objects.latest("id")
    assert entry.kind == AuditEntry.Kind.TRANSITION
    assert entry.before == {"status": "construction"} and entry.after == {"status": "left"}
    assert entry.message == "leave: moved to another park"
    assert entry.username == "t-office"


def test_illegal_source_state_is_refused_and_changes_nothing(people, building):
    entries = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused) as info:
        MACHINE.apply(building, "start_building", people["office"], {"office"})
    assert info.value.state == "construction" and info.value.action == "start_building"
    assert "Under construction" in str(info.value) and "start" in str(info.value)
    assert unchanged(building, entries)


def test_wrong_party_is_refused_and_changes_nothing(people, building):
    entries = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused) as info:
        MACHINE.apply(building, "leave", people["a_admin"], {"enterprise"}, note="x")
    assert "Only office may record leaving" in str(info.value)
    assert info.value.allowed_parties == ("office",)
    assert unchanged(building, entries)


@pytest.mark.parametrize("note", ["", "   "])
def test_missing_note_is_refused_and_changes_nothing(people, building, note):
    entries = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused) as info:
        MACHINE.apply(building, "leave", people["office"], {"office"}, note=note)
    assert "A reason is required" in str(info.value)
    assert unchanged(building, entries)


def test_unknown_action_is_refused(people, building):
    entries = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused, match="Unknown action"):
        MACHINE.apply(building, "explode", people["office"], {"office"})
    assert unchanged(building, entries)


def test_stale_object_is_checked_against_the_stored_state(people, building):
    """The row is locked and re-read: a copy showing an older state cannot take a transition twice."""
    stale = Enterprise.objects.get(pk=building.pk)
    MACHINE.apply(building, "leave", people["office"], {"office"}, note="first")
    with pytest.raises(TransitionRefused):
        MACHINE.apply(stale, "leave", people["office"], {"office"}, note="second")
    assert AuditEntry.objects.filter(kind="transition", object_id=str(building.pk)).count() == 1


def test_available_lists_actions_for_state_and_party():
    assert MACHINE.available(EnterpriseStatus.CONSTRUCTION, {"office"}) == ["leave"]
    assert MACHINE.available(EnterpriseStatus.REGISTERED, {"office"}) == ["start_building"]
    assert MACHINE.available(EnterpriseStatus.REGISTERED, {"enterprise"}) == []
