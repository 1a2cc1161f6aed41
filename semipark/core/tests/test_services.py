"""Scoped writes: create, update and delete are checked before and after the write, and audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from semipark.core import services
from semipark.core.models import AuditEntry
from semipark.park.models import Contact, Enterprise


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in the source language."""
    with translation.override("en"):
        yield


def count(model):
    return model._base_manager.count()


def test_create_in_own_enterprise_is_saved_and_audited(people, enterprise_a):
    entries = AuditEntry.objects.count()
    contact = services.save(people["a_admin"], Contact(enterprise=enterprise_a), {"name": "值班室", "phone": "110"})
    assert Contact.objects.filter(pk=contact.pk, enterprise=enterprise_a).exists()
    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == entries + 1
    assert (entry.kind, entry.model, entry.object_id) == ("create", "park.contact", str(contact.pk))
    assert entry.username == "t-a-admin" and entry.user == people["a_admin"]
    assert entry.enterprise_id == enterprise_a.pk
    assert entry.before is None and entry.after["name"] == "值班室" and entry.after["phone"] == "110"


def test_creating_a_row_in_another_enterprise_is_refused_and_leaves_nothing(people, enterprise_b):
    contacts, entries = count(Contact), AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.save(people["a_admin"], Contact(enterprise=enterprise_b), {"name": "planted"})
    assert count(Contact) == contacts
    assert not Contact._base_manager.filter(name="planted").exists()
    assert AuditEntry.objects.count() == entries


def test_moving_a_row_into_another_enterprise_is_rolled_back(people, enterprise_a, enterprise_b):
    contact = Contact.objects.filter(enterprise=enterprise_a).first()
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.save(people["a_admin"], contact, {"enterprise": enterprise_b, "name": "moved"})
    contact.refresh_from_db()
    assert contact.enterprise_id == enterprise_a.pk and contact.name != "moved"
    assert AuditEntry.objects.count() == entries


def test_changing_another_enterprises_row_is_refused_before_writing(people, enterprise_b):
    contact = Contact.objects.filter(enterprise=enterprise_b).first()
    with pytest.raises(PermissionDenied):
        services.save(people["a_admin"], contact, {"name": "hijacked"})
    contact.refresh_from_db()
    assert contact.name != "hijacked"


def test_a_role_without_add_may_not_create(people, enterprise_a):
    for who in ("a_user", "regulator"):
        with pytest.raises(PermissionDenied):
            services.save(people[who], Contact(enterprise=enterprise_a), {"name": "x"})
    assert not Contact.objects.filter(name="x").exists()


def test_update_records_only_the_changed_fields(people, enterprise_a):
    contact = Contact.objects.filter(enterprise=enterprise_a).first()
    old_phone = contact.phone
    services.save(people["office"], contact, {"phone": "0421-0000000", "title": contact.title})
    entry = AuditEntry.objects.latest("id")
    assert entry.kind == "update" and entry.username == "t-office"
    assert entry.before == {"phone": old_phone}
    assert entry.after == {"phone": "0421-0000000"}


def test_invalid_values_are_refused_with_field_messages_and_nothing_written(people, enterprise_a):
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as info:
        services.save(people["office"], enterprise_a, {"uscc": "91440300708461136A"})
    assert "uscc" in info.value.message_dict
    enterprise_a.refresh_from_db()
    assert enterprise_a.uscc != "91440300708461136A"
    assert AuditEntry.objects.count() == entries


def test_delete_is_audited_with_the_last_values(people, enterprise_a):
    contact = Contact.objects.filter(enterprise=enterprise_a).first()
    pk, name = contact.pk, contact.name
    services.delete(people["a_admin"], contact)
    assert not Contact.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.latest("id")
    assert (entry.kind, entry.object_id, entry.after) == ("delete", str(pk), None)
    assert entry.before["name"] == name


def test_delete_outside_scope_is_refused(people, enterprise_b):
    contact = Contact.objects.filter(enterprise=enterprise_b).first()
    entries = AuditEntry.objects.count()
    for who in ("a_admin", "a_user", "staff", "regulator"):
        with pytest.raises(PermissionDenied):
            services.delete(people[who], contact)
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert AuditEntry.objects.count() == entries


def test_m2m_changes_are_saved_in_the_same_write(people, enterprise_a):
    from semipark.park.models import ChainItem

    items = list(ChainItem.objects.filter(code__in=["wafers", "recovered-ga"]))
    services.save(people["office"], enterprise_a, {}, m2m={"chain_items": items})
    assert set(Enterprise.objects.get(pk=enterprise_a.pk).chain_items.values_list("code", flat=True)) == {
        "wafers",
        "recovered-ga",
    }
