"""Walk every URL of the site and the API as each person of enterprise A against enterprise B's objects.

Each app offers ``<app>.testing.make_private(enterprise, marker)``, returning objects of that enterprise
whose private fields carry ``marker``. A leak is the marker in any response to someone of enterprise A;
a write is any change to those objects. Both fail the test, as does any server error.
"""

import re
from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from semipark.core.audit import snapshot

MARKER = "SECRET-B-9f2c41"
SKIP_PREFIXES = ("admin/", "i18n/", "static/", "media/", "api/v1/docs", "api/v1/openapi.json")
SKIP_NAMES = {"logout"}  # signs the walker out; covered by its own test
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def private_objects(enterprise):
    objects = []
    for config in apps.get_app_configs():
        if config.name.startswith("semipark.") and find_spec(f"{config.name}.testing"):
            module = import_module(f"{config.name}.testing")
            if hasattr(module, "make_private"):
                objects.extend(module.make_private(enterprise, MARKER))
    return objects


def routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern) and not route.startswith(SKIP_PREFIXES) and entry.name not in SKIP_NAMES:
            if "^" in route or "(?P" in route:
                continue  # regex routes are Django admin's only
            yield route


def fill(route: str, ids: list[int], codes: list[str]) -> list[str]:
    """Every way to fill the route's parameters with the other enterprise's ids (or codes for str)."""
    urls = ["/" + route]
    for match in PARAM.finditer(route):
        values = [str(i) for i in ids] if match.group("conv") in (None, "int") else codes
        urls = [u.replace(match.group(0), v, 1) for u in urls for v in values]
    return urls


@pytest.fixture
def other_enterprise_objects(people, enterprise_b):
    return private_objects(enterprise_b)


@pytest.mark.parametrize("who", ["a_admin", "a_user"])
def test_no_route_leaks_or_changes_another_enterprises_objects(who, client_as, other_enterprise_objects, enterprise_b):
    client = client_as(who)
    before = {(type(o), o.pk): snapshot(o) for o in other_enterprise_objects}
    ids = sorted({o.pk for o in other_enterprise_objects if isinstance(o.pk, int)})
    codes = [enterprise_b.code]
    query = f"?enterprise={enterprise_b.pk}&enterprise_id={enterprise_b.pk}&owner={enterprise_b.pk}"
    problems = []
    answered = 0
    for route in routes():
        for url in fill(route, ids, codes):
            for method in ("get", "post", "patch", "put", "delete"):
                target = url + (query if method == "get" else "")
                response = (
                    getattr(client, method)(target, content_type="application/json")
                    if method != "get"
                    else client.get(target)
                )
                if response.status_code >= 500:
                    problems.append(f"{method.upper()} {target}: {response.status_code}")
                answered += method == "get" and response.status_code == 200
                body = b"".join(response.streaming_content) if response.streaming else response.content
                if MARKER.encode() in body:
                    problems.append(f"{method.upper()} {target}: leaks enterprise B's data")
    for obj in other_enterprise_objects:
        fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
        if fresh is None:
            problems.append(f"{obj._meta.label} {obj.pk} was deleted")
        elif snapshot(fresh) != before[(type(obj), obj.pk)]:
            problems.append(f"{obj._meta.label} {obj.pk} was changed")
    assert not problems, "\n".join(problems)
    assert answered >= 10, "the walk must reach real pages, not redirects"


def test_walk_covers_every_app(other_enterprise_objects):
    """The walk is only as good as its objects: every app with private data must contribute some."""
    labels = {o._meta.app_label for o in other_enterprise_objects}
    assert "park" in labels
    for config in apps.get_app_configs():
        if config.name.startswith("semipark.") and find_spec(f"{config.name}.testing"):
            assert config.label in labels, f"{config.label}.testing made no private objects"


@pytest.mark.parametrize("who", ["a_admin", "a_user", "b_user", "regulator", "staff", "office"])
def test_every_page_answers_every_role_without_error(who, client_as, other_enterprise_objects):
    client = client_as(who)
    problems = []
    for route in routes():
        if "<" in route:
            continue
        response = client.get("/" + route)
        if response.status_code >= 500:
            problems.append(f"GET /{route}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_anonymous_gets_nothing(client, other_enterprise_objects):
    ids = sorted({o.pk for o in other_enterprise_objects})
    for route in routes():
        if route in ("login/", "api/v1/auth/token", "api/v1/ingest"):
            continue
        for url in fill(route, ids, ["jinmei"]):
            response = client.get(url)
            assert response.status_code in (302, 401, 403, 404, 405), f"GET {url}: {response.status_code}"
            if response.status_code == 302:
                assert "/login/" in response["Location"], url
