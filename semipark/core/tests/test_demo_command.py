"""``semipark demo``: refused outside demo mode, and loading twice gives the same data set."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import override_settings

from semipark.park.demo import DEMO_ACCOUNTS


def row_counts():
    return {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


@override_settings(DEMO=False)
def test_demo_refuses_without_demo_mode(db):
    with pytest.raises(CommandError, match="SEMIPARK_DEMO=1"):
        call_command("demo", load_only=True)
    assert not apps.get_model("park", "Park").objects.exists()
    assert not apps.get_model("core", "User").objects.exists()


@override_settings(DEMO=True)
def test_demo_load_only_is_idempotent(db):
    out = io.StringIO()
    call_command("demo", load_only=True, stdout=out)
    assert "Demo data: park" in out.getvalue()
    first = row_counts()
    assert first["park.Enterprise"] == 10 and first["core.User"] >= len(DEMO_ACCOUNTS)
    call_command("demo", load_only=True, stdout=io.StringIO())
    assert row_counts() == first
    for account in DEMO_ACCOUNTS:
        user = authenticate(username=account["username"], password="demo")
        assert user is not None and user.role == account["role"], account["username"]
    assert authenticate(username="office", password="demo").is_staff
    assert not authenticate(username="staff", password="demo").is_staff
