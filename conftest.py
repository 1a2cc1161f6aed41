"""Fixtures every app's tests share: the demo park, people in each role, and clients signed in as them."""

import os

import pytest

os.environ.setdefault("SEMIPARK_DATA_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))


@pytest.fixture
def park(db):
    from semipark.park import demo

    return demo.load()


@pytest.fixture
def enterprise_a(park):
    from semipark.park.models import Enterprise

    return Enterprise.objects.get(code="tongmei")


@pytest.fixture
def enterprise_b(park):
    from semipark.park.models import Enterprise

    return Enterprise.objects.get(code="jinmei")


@pytest.fixture
def make_user(db):
    from semipark.core.models import User

    def make(username, role, enterprise=None, department=""):
        user = User(username=username, role=role, enterprise=enterprise, department=department)
        user.set_password("correct horse battery")
        user.save()
        return user

    return make


@pytest.fixture
def people(park, enterprise_a, enterprise_b, make_user):
    """One user per role; enterprise roles exist for both enterprise A and enterprise B."""
    from semipark.core.roles import Department, Role

    return {
        "office": make_user("t-office", Role.OFFICE_ADMIN),
        "staff": make_user("t-staff", Role.OFFICE_STAFF),
        "a_admin": make_user("t-a-admin", Role.ENTERPRISE_ADMIN, enterprise_a),
        "a_user": make_user("t-a-user", Role.ENTERPRISE_USER, enterprise_a),
        "b_admin": make_user("t-b-admin", Role.ENTERPRISE_ADMIN, enterprise_b),
        "b_user": make_user("t-b-user", Role.ENTERPRISE_USER, enterprise_b),
        "regulator": make_user("t-regulator", Role.REGULATOR, department=Department.EMERGENCY),
    }


@pytest.fixture
def client_as(people):
    """``client_as("a_user")``: a Django test client signed in as that person."""
    from django.test import Client

    def make(who):
        client = Client()
        client.force_login(people[who])
        return client

    return make
