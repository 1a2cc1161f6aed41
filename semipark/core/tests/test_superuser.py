"""The first account of a fresh installation comes from ``createsuperuser`` and belongs to the park office."""

import pytest
from django.core.management import call_command

from semipark.core.models import User
from semipark.core.roles import Role

pytestmark = pytest.mark.django_db


def test_createsuperuser_makes_a_park_office_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough password 42")
    call_command("createsuperuser", interactive=False, username="root", email="root@park.example.cn", verbosity=0)
    root = User.objects.get(username="root")
    assert root.role == Role.OFFICE_ADMIN and root.enterprise is None
    assert root.is_office and root.is_superuser


def test_an_explicit_role_is_kept():
    auditor = User.objects.create_superuser("auditor", password="x" * 12, role=Role.OFFICE_STAFF)
    assert auditor.role == Role.OFFICE_STAFF
