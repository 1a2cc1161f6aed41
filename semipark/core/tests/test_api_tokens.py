"""Bearer tokens work for writes without CSRF; the browser session still needs the CSRF token."""

import pytest
from django.test import Client

from semipark.park.demo import demo_uscc

pytestmark = pytest.mark.django_db

NEW_ENTERPRISE = {"name": "朝阳测试材料有限公司", "short_name": "测试材料", "code": "testmat", "uscc": demo_uscc(99)}


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_token_from_password_then_a_write_with_it(people, csrf_client):
    issued = csrf_client.post(
        "/api/v1/auth/token",
        {"username": "t-office", "password": "correct horse battery", "name": "integration"},
        content_type="application/json",
    )
    assert issued.status_code == 201
    bearer = {"Authorization": f"Bearer {issued.json()['token']}"}

    me = csrf_client.get("/api/v1/me", headers=bearer)
    assert me.json()["username"] == "t-office"
    created = csrf_client.post(
        "/api/v1/park/enterprises", NEW_ENTERPRISE, content_type="application/json", headers=bearer
    )
    assert created.status_code == 201, created.content
    assert created.json()["code"] == "testmat"


def test_session_write_without_csrf_token_is_refused_as_json(people, csrf_client):
    csrf_client.force_login(people["office"])
    refused = csrf_client.post("/api/v1/park/enterprises", NEW_ENTERPRISE, content_type="application/json")
    assert refused.status_code == 403
    assert "message" in refused.json()


def test_page_past_the_end_is_a_json_message(client_as):
    response = client_as("office").get("/api/v1/park/enterprises?page=99")
    assert response.status_code == 404
    assert "99" in response.json()["message"]
