"""Signing in, the failed-attempt lockout, signing out and changing the password in the web UI."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

PASSWORD = "correct horse battery"


pytestmark = pytest.mark.usefixtures("no_failed_sign_ins")


def sign_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_sign_in_and_out(people):
    client = Client()
    response = sign_in(client, "t-a-user", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    # Signing out is a POST (a link or an image tag cannot sign anyone out).
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/")["Location"].startswith("/login/")


def test_wrong_password_says_so(people):
    response = sign_in(Client(), "t-a-user", "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "correct" in response.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_lockout_after_repeated_failures_with_a_clear_message(people):
    client = Client()
    for _ in range(3):
        assert sign_in(client, "t-b-user", "wrong").status_code == 200
    response = sign_in(client, "t-b-user", PASSWORD)
    assert response.status_code == 200, "the right password is refused while locked out"
    assert "登录失败次数过多" in response.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").post("/login/", {"username": "t-b-user", "password": PASSWORD})
    assert "Too many failed sign-in attempts. Try again later." in english.content.decode()
    cache.clear()
    assert sign_in(Client(), "t-b-user", PASSWORD).status_code == 302


@override_settings(LOGIN_MAX_FAILURES=3)
def test_success_resets_the_count_for_the_user(people):
    client = Client()
    for _ in range(2):
        sign_in(client, "t-a-admin", "wrong")
    assert sign_in(client, "t-a-admin", PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(2):
        sign_in(client, "t-a-admin", "wrong")
    assert sign_in(client, "t-a-admin", PASSWORD).status_code == 302


def test_inactive_user_cannot_sign_in(people):
    people["a_user"].is_active = False
    people["a_user"].save()
    assert sign_in(Client(), "t-a-user", PASSWORD).status_code == 200


def test_password_change(people, client_as):
    client = client_as("a_user")
    assert client.get("/account/password/").status_code == 200
    weak = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    wrong_old = client.post(
        "/account/password/",
        {"old_password": "nope", "new_password1": "gallium arsenide 2024", "new_password2": "gallium arsenide 2024"},
    )
    assert wrong_old.context["form"].errors["old_password"]
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "gallium arsenide 2024", "new_password2": "gallium arsenide 2024"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200, "the session survives its own password change"
    assert sign_in(Client(), "t-a-user", PASSWORD).status_code == 200
    assert sign_in(Client(), "t-a-user", "gallium arsenide 2024").status_code == 302


def test_anonymous_pages_redirect_to_login(db):
    for url in ("/", "/account/", "/audit/", "/park/", "/park/enterprises/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url


@pytest.mark.parametrize("who", ["a_admin", "a_user", "regulator"])
def test_audit_log_page_is_for_the_office(client_as, who):
    assert client_as(who).get("/audit/").status_code == 403


def test_audit_log_page_filters(client_as, enterprise_a):
    client_as("office").patch(
        f"/api/v1/park/enterprises/{enterprise_a.pk}", {"address": "二号路"}, content_type="application/json"
    )
    page = client_as("staff").get("/audit/", {"model": "park.enterprise", "kind": "update"})
    assert [e.after for e in page.context["page"]] == [{"address": "二号路"}]
    assert not list(client_as("staff").get("/audit/", {"username": "nobody"}).context["page"])


@override_settings(LOGIN_MAX_FAILURES=2)
def test_guessing_many_accounts_from_one_address_is_stopped(people):
    client = Client()
    names = ["t-office", "t-staff", "t-a-admin", "t-a-user", "t-b-admin", "t-b-user", "t-regulator", "nobody"]
    for name in names:  # one failure each: no single account reaches its limit, the address reaches 2 x 4
        sign_in(client, name, "guess")
    response = sign_in(client, "t-office", PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["__all__"][0].code == "locked_out"


def test_audit_log_page_filters_by_enterprise(client_as, enterprise_a, enterprise_b):
    for enterprise, address in ((enterprise_a, "三号路"), (enterprise_b, "四号路")):
        client_as("office").patch(
            f"/api/v1/park/enterprises/{enterprise.pk}", {"address": address}, content_type="application/json"
        )
    page = client_as("office").get("/audit/", {"enterprise": enterprise_b.pk, "kind": "update"})
    assert [e.after for e in page.context["page"]] == [{"address": "四号路"}]
    assert client_as("office").get("/audit/", {"enterprise": "x"}).status_code == 200
