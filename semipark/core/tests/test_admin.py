"""Django admin: only park office admins get in, and what they change there is in the audit log."""

import pytest
from django.test import Client

from semipark.core.models import AuditEntry
from semipark.core.roles import Role
from semipark.park.models import Contact, Enterprise


@pytest.fixture
def office_admin(people):
    people["office"].is_staff = True
    people["office"].save()
    return people["office"]


@pytest.mark.parametrize("who", ["staff", "a_admin", "a_user", "regulator"])
def test_admin_refuses_everyone_but_office_admins(client_as, people, who):
    for url in ("/admin/", "/admin/park/enterprise/", "/admin/core/user/"):
        response = client_as(who).get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), (who, url)


def test_staff_flag_alone_does_not_open_the_admin(client_as, people):
    people["a_admin"].is_staff = True
    people["a_admin"].save()
    assert client_as("a_admin").get("/admin/").status_code == 302


def test_anonymous_is_sent_to_the_admin_login(client):
    assert client.get("/admin/park/enterprise/")["Location"].startswith("/admin/login/")


def test_office_admin_gets_in_and_sees_the_park_models(office_admin):
    client = Client()
    client.force_login(office_admin)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "/admin/park/enterprise/" in index.content.decode() and "/admin/core/user/" in index.content.decode()
    page = client.get("/admin/park/enterprise/")
    assert page.status_code == 200 and "通美晶体" in page.content.decode()
    assert client.get("/admin/core/auditentry/").status_code == 200


def test_changes_in_the_admin_are_audited(office_admin, enterprise_b):
    client = Client()
    client.force_login(office_admin)
    contact = Contact.objects.filter(enterprise=enterprise_b).first()
    response = client.post(
        f"/admin/park/contact/{contact.pk}/change/",
        {
            "enterprise": enterprise_b.pk,
            "name": contact.name,
            "title": contact.title,
            "phone": "0421-9999999",
            **({"emergency": "on"} if contact.emergency else {}),
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(model="park.contact", object_id=str(contact.pk)).latest("id")
    assert entry.kind == "update" and entry.username == "t-office" and entry.after == {"phone": "0421-9999999"}
    assert entry.message

    response = client.post("/admin/park/contact/add/", {"enterprise": enterprise_b.pk, "name": "后台新增"})
    assert response.status_code == 302
    created = Contact.objects.get(name="后台新增")
    assert AuditEntry.objects.filter(kind="create", object_id=str(created.pk), model="park.contact").exists()

    response = client.post(f"/admin/park/contact/{created.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Contact.objects.filter(pk=created.pk).exists()
    deleted = AuditEntry.objects.get(kind="delete", object_id=str(created.pk), model="park.contact")
    assert deleted.before["name"] == "后台新增"


def test_user_changes_are_audited_without_the_password_hash(office_admin, enterprise_a):
    client = Client()
    client.force_login(office_admin)
    response = client.post(
        "/admin/core/user/add/",
        {
            "username": "new-person",
            "usable_password": "true",
            "password1": "gallium arsenide 2024",
            "password2": "gallium arsenide 2024",
            "role": Role.ENTERPRISE_USER,
            "enterprise": enterprise_a.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.filter(model="core.user", kind="create").latest("id")
    assert entry.after["username"] == "new-person" and "password" not in entry.after


def test_the_audit_log_cannot_be_edited_in_the_admin(office_admin, enterprise_a):
    client = Client()
    client.force_login(office_admin)
    entry = AuditEntry.objects.create(kind="update", model="x", object_id="1", object_repr="x")
    assert client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code == 200  # read-only view
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert Enterprise.objects.filter(pk=enterprise_a.pk).exists()
