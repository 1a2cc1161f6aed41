"""The API's own behaviour: tokens, who am I, JSON errors, pagination."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from semipark.core.models import ApiToken
from semipark.core.roles import Role

PASSWORD = "correct horse battery"


pytestmark = pytest.mark.usefixtures("no_failed_sign_ins")


@pytest.fixture
def client_as(client_as):
    """The messages below are checked in English; Chinese, the default, has its own test."""

    def make(who):
        client = client_as(who)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def english():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def post_json(client, url, body):
    return client.post(url, body, content_type="application/json")


def bearer(raw):
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")


def test_token_issued_for_correct_password(people):
    response = post_json(english(), "/api/v1/auth/token", {"username": "t-a-user", "password": PASSWORD, "name": "erp"})
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("sp_") and len(body["token"]) > 40
    token = ApiToken.objects.get(user=people["a_user"])
    assert token.name == "erp" and token.digest == ApiToken.hash(body["token"])
    assert body["token"] not in (token.digest, token.prefix)  # only the hash is stored
    me = bearer(body["token"]).get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "t-a-user"


def test_wrong_password_is_401_json(people):
    response = post_json(english(), "/api/v1/auth/token", {"username": "t-a-user", "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {"message": "Wrong user name or password."}
    assert not ApiToken.objects.exists()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_token_endpoint_locks_out_after_repeated_failures(people):
    client = english()
    for _ in range(3):
        assert post_json(client, "/api/v1/auth/token", {"username": "t-b-user", "password": "x"}).status_code == 401
    locked = post_json(client, "/api/v1/auth/token", {"username": "t-b-user", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.json()["message"]
    assert not ApiToken.objects.exists()


def test_expired_token_fails(people):
    token, raw = ApiToken.issue(people["a_user"], "old")
    assert bearer(raw).get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = bearer(raw).get("/api/v1/me")
    assert response.status_code == 401 and "message" in response.json()


def test_revoked_token_fails(people):
    token, raw = ApiToken.issue(people["a_user"], "gone")
    token.delete()
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_token_of_deactivated_user_fails(people):
    _token, raw = ApiToken.issue(people["b_user"], "t")
    people["b_user"].is_active = False
    people["b_user"].save()
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_garbage_token_fails(people):
    assert bearer("sp_not-a-token").get("/api/v1/park/enterprises").status_code == 401


def test_web_page_issues_and_revokes_tokens(client_as, people):
    client = client_as("a_admin")
    response = client.post("/account/tokens/", {"name": "scada"}, follow=True)
    raw = response.context["new_token"]
    assert raw and raw in response.content.decode()
    assert bearer(raw).get("/api/v1/me").json()["username"] == "t-a-admin"
    token = ApiToken.objects.get(user=people["a_admin"])
    # Another person cannot revoke it; its owner can.
    assert client_as("a_user").post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    client.post(f"/account/tokens/{token.pk}/revoke/")
    assert bearer(raw).get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    ("who", "role", "department", "enterprise"),
    [
        ("office", Role.OFFICE_ADMIN, "", None),
        ("staff", Role.OFFICE_STAFF, "", None),
        ("a_admin", Role.ENTERPRISE_ADMIN, "", "tongmei"),
        ("a_user", Role.ENTERPRISE_USER, "", "tongmei"),
        ("b_user", Role.ENTERPRISE_USER, "", "jinmei"),
        ("regulator", Role.REGULATOR, "emergency", None),
    ],
)
def test_me_for_every_role(client_as, people, who, role, department, enterprise):
    body = client_as(who).get("/api/v1/me").json()
    assert body["id"] == people[who].pk and body["username"] == people[who].username
    assert body["role"] == role and body["role_label"] and body["department"] == department
    if enterprise is None:
        assert body["enterprise"] is None
    else:
        assert body["enterprise"]["id"] == people[who].enterprise_id
        assert body["enterprise"]["short_name"] == people[who].enterprise.short_name


@pytest.mark.parametrize("url", ["/api/v1/me", "/api/v1/park/enterprises", "/api/v1/audit", "/api/v1/park/chain"])
def test_anonymous_is_401_json(db, url):
    response = english().get(url)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"message": "Sign in or send a bearer token."}


def test_schema_errors_are_422_with_a_message_per_field(client_as):
    response = post_json(
        client_as("office"),
        "/api/v1/park/enterprises",
        {"name": "x", "code": "BAD CODE", "chain_items": ["a"], "registered_capital": -1},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Some fields are not valid."
    assert set(body["errors"]) == {"name", "short_name", "code", "chain_items.0", "registered_capital"}
    assert all(isinstance(m, list) and m and all(m) for m in body["errors"].values())


def test_query_errors_are_422_too(client_as):
    response = client_as("office").get("/api/v1/park/enterprises?page=abc&page_size=9999")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"page", "page_size"}


def test_model_validation_errors_are_400_with_a_message_per_field(client_as, enterprise_b):
    response = client_as("office").patch(
        f"/api/v1/park/enterprises/{enterprise_b.pk}",
        {"uscc": "91440300708461136A", "name": "朝阳通美晶体科技有限公司"},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "should be T" in errors["uscc"][0]
    assert errors["name"]  # already the name of enterprise A
    enterprise_b.refresh_from_db()
    assert enterprise_b.uscc != "91440300708461136A" and enterprise_b.name == "朝阳金美镓业有限公司"


def test_pagination_counts_pages_and_refuses_a_page_beyond_the_end(client_as):
    client = client_as("office")
    first = client.get("/api/v1/park/enterprises?page_size=4").json()
    assert (first["count"], first["page"], first["pages"], len(first["items"])) == (10, 1, 3, 4)
    last = client.get("/api/v1/park/enterprises?page_size=4&page=3").json()
    assert len(last["items"]) == 2
    pages = [client.get(f"/api/v1/park/enterprises?page_size=4&page={p}").json() for p in (1, 2, 3)]
    ids = [e["id"] for page in pages for e in page["items"]]
    assert len(ids) == len(set(ids)) == 10
    beyond = client.get("/api/v1/park/enterprises?page_size=4&page=4")
    assert beyond.status_code == 404
    assert beyond.json() == {"message": "Page 4 does not exist; there are 3."}


def test_audit_log_api_is_for_the_office_and_filters(client_as, enterprise_a):
    client_as("office").patch(
        f"/api/v1/park/enterprises/{enterprise_a.pk}", {"address": "一号路"}, content_type="application/json"
    )
    body = client_as("staff").get(f"/api/v1/audit?model=park.enterprise&object_id={enterprise_a.pk}").json()
    assert body["count"] == 1
    entry = body["items"][0]
    assert entry["kind"] == "update" and entry["username"] == "t-office" and entry["after"] == {"address": "一号路"}
    assert client_as("staff").get("/api/v1/audit?username=nobody").json()["count"] == 0
    for who in ("a_admin", "regulator"):
        assert client_as(who).get("/api/v1/audit").json()["count"] == 0


def test_messages_are_chinese_by_default(people, client, enterprise_b):
    response = post_json(client, "/api/v1/auth/token", {"username": "t-a-user", "password": "nope"})
    assert response.json() == {"message": "用户名或密码错误。"}
    assert client.get("/api/v1/me").json() == {"message": "请先登录,或在请求中携带 Bearer 令牌。"}
    client.force_login(people["office"])
    assert client.get("/api/v1/park/enterprises?page=99").json() == {"message": "第 99 页不存在,共 1 页。"}
    bad = client.patch(
        f"/api/v1/park/enterprises/{enterprise_b.pk}", {"uscc": "91440300708461136A"}, content_type="application/json"
    )
    assert bad.json()["message"] == "部分字段无效。"
    assert "校验码(第 18 位)为 A,应为 T" in bad.json()["errors"]["uscc"][0]
