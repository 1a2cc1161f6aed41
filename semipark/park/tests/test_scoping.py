"""Who may do what with each park model: the declared policy, checked role by role and action by action."""

import pytest
from django.contrib.auth.models import AnonymousUser

from semipark.core.roles import Role
from semipark.park.models import (
    ChainItem,
    ChainSegment,
    ChemicalParkGrade,
    Contact,
    Enterprise,
    EnterpriseProduct,
    Facility,
    Park,
    ParkPlan,
    Plot,
)

PARK_WIDE = [Park, ChemicalParkGrade, ParkPlan, ChainSegment, ChainItem, Plot, Facility]
ACTIONS = ["view", "add", "change", "delete"]


def visible(model, user, action):
    return set(model.objects.visible_to(user, action).values_list("pk", flat=True))


def every(model):
    return set(model._base_manager.values_list("pk", flat=True))


@pytest.fixture
def more_people(people, make_user, enterprise_a):
    inactive = make_user("t-inactive", Role.OFFICE_ADMIN)
    inactive.is_active = False
    inactive.save()
    return {
        **people,
        "regulator_nodept": make_user("t-reg-nodept", Role.REGULATOR),
        "inactive": inactive,
        "inactive_a": make_user("t-inactive-a", Role.ENTERPRISE_ADMIN, enterprise_a),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def deactivated(more_people):
    more_people["inactive_a"].is_active = False
    more_people["inactive_a"].save()
    return more_people


@pytest.mark.parametrize("model", PARK_WIDE, ids=lambda m: m.__name__)
def test_park_wide_rows_are_read_by_all_and_kept_by_the_office(model, deactivated):
    p = deactivated
    assert every(model), "the demo park has rows of every park-wide model"
    for action in ACTIONS:
        assert visible(model, p["office"], action) == every(model)
        expected_staff = every(model) if action in {"view", "add", "change"} else set()
        assert visible(model, p["staff"], action) == expected_staff, action
        for who in ("a_admin", "a_user", "b_user", "regulator", "regulator_nodept"):
            expected = every(model) if action == "view" else set()
            assert visible(model, p[who], action) == expected, (who, action)
        for who in ("anonymous", "inactive", "inactive_a"):
            assert visible(model, p[who], action) == set(), (who, action)


def test_enterprise_register_is_public_private_part_is_not(deactivated, enterprise_a, enterprise_b):
    p = deactivated
    everyone = every(Enterprise)
    for who in ("office", "staff", "a_admin", "a_user", "b_user", "regulator", "regulator_nodept"):
        assert visible(Enterprise, p[who], "view") == everyone, who
    # The private part (contacts, accounts, notes): own enterprise, office, regulators with a department.
    assert visible(Enterprise, p["a_admin"], "view_private") == {enterprise_a.pk}
    assert visible(Enterprise, p["a_user"], "view_private") == {enterprise_a.pk}
    assert visible(Enterprise, p["b_user"], "view_private") == {enterprise_b.pk}
    assert visible(Enterprise, p["office"], "view_private") == everyone
    assert visible(Enterprise, p["staff"], "view_private") == everyone
    assert visible(Enterprise, p["regulator"], "view_private") == everyone
    assert visible(Enterprise, p["regulator_nodept"], "view_private") == set()
    # Changes: the office all, an enterprise admin its own, nobody else; deletion only by the office admin.
    assert visible(Enterprise, p["office"], "change") == everyone
    assert visible(Enterprise, p["staff"], "change") == everyone
    assert visible(Enterprise, p["a_admin"], "change") == {enterprise_a.pk}
    for who in ("a_user", "b_user", "regulator", "regulator_nodept", "anonymous", "inactive", "inactive_a"):
        assert visible(Enterprise, p[who], "change") == set(), who
    assert visible(Enterprise, p["office"], "delete") == everyone
    for who in ("staff", "a_admin", "a_user", "regulator"):
        assert visible(Enterprise, p[who], "delete") == set(), who
    for who in ("anonymous", "inactive", "inactive_a"):
        assert visible(Enterprise, p[who], "view") == set(), who


def test_contacts_are_private_to_their_enterprise(deactivated, enterprise_a, enterprise_b):
    p = deactivated
    own_a = set(Contact.objects.filter(enterprise=enterprise_a).values_list("pk", flat=True))
    own_b = set(Contact.objects.filter(enterprise=enterprise_b).values_list("pk", flat=True))
    assert own_a and own_b
    everyone = every(Contact)
    assert visible(Contact, p["a_admin"], "view") == own_a
    assert visible(Contact, p["a_user"], "view") == own_a
    assert visible(Contact, p["b_user"], "view") == own_b
    # An enterprise admin keeps its own contacts; an enterprise user only reads them.
    for action in ("change", "delete"):
        assert visible(Contact, p["a_admin"], action) == own_a
        assert visible(Contact, p["a_user"], action) == set()
    assert visible(Contact, p["office"], "delete") == everyone
    assert visible(Contact, p["staff"], "change") == everyone
    assert visible(Contact, p["staff"], "delete") == set()
    assert visible(Contact, p["regulator"], "view") == everyone
    assert visible(Contact, p["regulator"], "change") == set()
    assert visible(Contact, p["regulator_nodept"], "view") == set()
    for who in ("anonymous", "inactive", "inactive_a"):
        assert visible(Contact, p[who], "view") == set(), who


def test_products_are_public_and_kept_by_their_enterprise(deactivated, enterprise_a):
    p = deactivated
    own_a = set(EnterpriseProduct.objects.filter(enterprise=enterprise_a).values_list("pk", flat=True))
    assert own_a
    assert visible(EnterpriseProduct, p["b_user"], "view") == every(EnterpriseProduct)
    assert visible(EnterpriseProduct, p["a_admin"], "change") == own_a
    assert visible(EnterpriseProduct, p["a_user"], "change") == own_a
    assert visible(EnterpriseProduct, p["a_user"], "delete") == set()
    assert visible(EnterpriseProduct, p["regulator"], "change") == set()
    assert visible(EnterpriseProduct, p["anonymous"], "view") == set()
