"""The register pages: the office creates and edits enterprises, enterprise admins keep their own details."""

import pytest
from django.urls import reverse

from semipark.core.models import AuditEntry
from semipark.park.models import Contact, Enterprise, EnterpriseStatus

NEW = {
    "name": "朝阳测试高纯材料有限公司",
    "short_name": "测试材料",
    "code": "testmat",
    "uscc": "91440300708461136t",
    "registered_capital": "25000000",
    "founded": "2024-03-01",
    "status": "registered",
    "address": "园区 9 号地块",
    "description": "",
}


def test_office_creates_an_enterprise_through_the_form(client_as, park):
    client = client_as("office")
    assert client.get(reverse("park:enterprise-create")).status_code == 200
    response = client.post(reverse("park:enterprise-create"), NEW)
    created = Enterprise.objects.get(code="testmat")
    assert response.status_code == 302 and response["Location"] == reverse("park:enterprise-detail", args=[created.pk])
    assert created.uscc == "91440300708461136T" and created.park == park
    assert AuditEntry.objects.filter(kind="create", model="park.enterprise", object_id=str(created.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "2,500" in page or "2500" in page  # 2 500 万元 in Chinese


def test_bad_credit_code_is_shown_on_the_form_and_nothing_saved(client_as, park):
    response = client_as("office").post(reverse("park:enterprise-create"), {**NEW, "uscc": "91440300708461136A"})
    assert response.status_code == 200
    assert "91440300708461136A" in response.content.decode()
    assert "T" in response.context["form"].errors["uscc"][0]
    assert not Enterprise.objects.filter(code="testmat").exists()


def test_office_edits_status_and_capital(client_as, enterprise_b):
    client = client_as("staff")
    form = client.get(reverse("park:enterprise-edit", args=[enterprise_b.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "chain_items"}
    data["founded"] = enterprise_b.founded.isoformat()
    data.update(status="trial", registered_capital="600000000")
    data["chain_items"] = [i.pk for i in enterprise_b.chain_items.all()]
    response = client.post(reverse("park:enterprise-edit", args=[enterprise_b.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    enterprise_b.refresh_from_db()
    assert enterprise_b.status == EnterpriseStatus.TRIAL and enterprise_b.registered_capital == 600000000
    entry = AuditEntry.objects.filter(kind="update", object_id=str(enterprise_b.pk)).latest("id")
    assert entry.before["status"] == "production" and entry.after["status"] == "trial"


def test_enterprise_admin_edits_only_description_and_address(client_as, enterprise_a):
    client = client_as("a_admin")
    url = reverse("park:enterprise-edit", args=[enterprise_a.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == {"description", "address"}
    capital, status = enterprise_a.registered_capital, enterprise_a.status
    response = client.post(
        url, {"description": "衬底龙头", "address": "新地址", "status": "left", "registered_capital": "1"}
    )
    assert response.status_code == 302
    enterprise_a.refresh_from_db()
    assert (enterprise_a.description, enterprise_a.address) == ("衬底龙头", "新地址")
    assert (enterprise_a.registered_capital, enterprise_a.status) == (capital, status)


@pytest.mark.parametrize("who", ["a_admin", "a_user", "regulator"])
def test_others_cannot_open_the_edit_page_of_enterprise_b(client_as, enterprise_b, who):
    url = reverse("park:enterprise-edit", args=[enterprise_b.pk])
    assert client_as(who).get(url).status_code == 404
    assert client_as(who).post(url, {"description": "x", "address": "y"}).status_code == 404
    enterprise_b.refresh_from_db()
    assert enterprise_b.description != "x"


@pytest.mark.parametrize("who", ["a_admin", "a_user", "regulator"])
def test_only_the_office_sees_create_and_import(client_as, who):
    client = client_as(who)
    assert client.get(reverse("park:enterprise-create")).status_code == 404
    assert client.get(reverse("park:enterprise-import")).status_code == 404
    page = client.get(reverse("park:enterprise-list")).content.decode()
    assert reverse("park:enterprise-import") not in page and reverse("park:enterprise-create") not in page


def test_office_list_links_to_import_and_create(client_as):
    page = client_as("staff").get(reverse("park:enterprise-list")).content.decode()
    assert reverse("park:enterprise-import") in page and reverse("park:enterprise-create") in page


def test_list_search_filters_and_sorts(client_as):
    client = client_as("a_user")
    page = client.get(reverse("park:enterprise-list"), {"status": "negotiating"})
    assert {e.code for e in page.context["page"]} == {"quartzsand", "phosphorus", "helium"}
    page = client.get(reverse("park:enterprise-list"), {"q": "博宇"})
    assert [e.code for e in page.context["page"]] == ["boyu"]
    page = client.get(reverse("park:enterprise-list"), {"segment": "vessels", "order": "-registered_capital"})
    assert [e.code for e in page.context["page"]] == ["boyu", "kaimei", "tongweisu", "helium"]


def test_enterprise_admin_manages_own_contacts(client_as, enterprise_a):
    client = client_as("a_admin")
    response = client.post(
        reverse("park:contact-create", args=[enterprise_a.pk]), {"name": "夜班长", "phone": "0421-1", "emergency": "on"}
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="夜班长")
    assert contact.enterprise == enterprise_a and contact.emergency
    response = client.post(reverse("park:contact-edit", args=[contact.pk]), {"name": "夜班长", "phone": "0421-2"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "0421-2" and not contact.emergency
    assert client.post(reverse("park:contact-delete", args=[contact.pk])).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()
    entries = AuditEntry.objects.filter(model="park.contact", object_id=str(contact.pk))
    kinds = list(entries.values_list("kind", flat=True))
    assert sorted(kinds) == ["create", "delete", "update"]


def test_enterprise_user_reads_contacts_but_does_not_change_them(client_as, enterprise_a):
    client = client_as("a_user")
    contact = Contact.objects.filter(enterprise=enterprise_a).first()
    page = client.get(reverse("park:enterprise-private", args=[enterprise_a.pk])).content.decode()
    assert contact.name in page and reverse("park:contact-edit", args=[contact.pk]) not in page
    assert client.get(reverse("park:contact-create", args=[enterprise_a.pk])).status_code == 404
    assert client.post(reverse("park:contact-edit", args=[contact.pk]), {"name": "x"}).status_code == 404
    assert client.post(reverse("park:contact-delete", args=[contact.pk])).status_code == 404


def test_enterprise_admin_cannot_touch_another_enterprises_contacts(client_as, enterprise_b):
    client = client_as("a_admin")
    contact = Contact.objects.filter(enterprise=enterprise_b).first()
    assert client.post(reverse("park:contact-create", args=[enterprise_b.pk]), {"name": "x"}).status_code == 404
    assert client.post(reverse("park:contact-edit", args=[contact.pk]), {"name": "x"}).status_code == 404
    assert client.post(reverse("park:contact-delete", args=[contact.pk])).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exclude(name="x").exists()
    assert not Contact.objects.filter(name="x").exists()


def test_office_manages_any_enterprises_contacts(client_as, enterprise_b):
    client = client_as("office")
    response = client.post(reverse("park:contact-create", args=[enterprise_b.pk]), {"name": "园区联络"})
    assert response.status_code == 302
    assert Contact.objects.filter(enterprise=enterprise_b, name="园区联络").exists()


def test_contact_delete_needs_post(client_as, enterprise_a):
    contact = Contact.objects.filter(enterprise=enterprise_a).first()
    assert client_as("a_admin").get(reverse("park:contact-delete", args=[contact.pk])).status_code == 405
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_park_page_shows_facts_grades_and_plans(client_as):
    page = client_as("regulator").get(reverse("park:overview")).content.decode()
    assert "朝阳喀左经济开发区信息半导体产业园" in page
    assert "辽工信〔2021〕215号" in page and "化工园区认定" in page
    assert "2021年12月" in page and "2022年12月" in page  # localised year-month
    assert "<strong>C — 一般安全风险</strong>" in page
    for title in ("总体规划", "产业发展规划", "国土空间发展规划", "产业园应急预案", "环评报告"):
        assert title in page


def test_park_page_in_english(client_as):
    client = client_as("a_user")
    page = client.get(reverse("park:overview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Chemical park recognition and grades" in page and "Plans on file" in page
    assert "December 2021" in page


def test_dashboard_shows_grade_status_chart_and_capital(client_as):
    page = client_as("office").get("/").content.decode()
    assert 'data-testid="park-grade">C<' in page
    assert 'id="status-chart"' in page
    assert "30 亿元" in page
    assert client_as("office").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode().count("¥3 billion") == 1


def test_navigation_marks_one_entry_active(client_as):
    nav = client_as("office").get(reverse("park:chain")).context["nav"]
    assert [i["url"] for i in nav if i["active"]] == [reverse("park:chain")]


def test_chain_names_follow_the_language(client_as):
    client = client_as("a_user")
    chinese = client.get(reverse("park:chain")).content.decode()
    english = client.get(reverse("park:chain"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "上游原料" in chinese and "高纯镓" in chinese
    assert "Upstream raw materials" in english and "High-purity gallium" in english
    assert "上游原料" not in english and "高纯镓" not in english


def test_read_only_pages_refuse_writes(client_as, enterprise_a):
    client = client_as("a_admin")
    for url in (reverse("park:enterprise-private", args=[enterprise_a.pk]), reverse("park:overview")):
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405
        assert client.get(url).status_code == 200
