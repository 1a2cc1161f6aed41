"""Fixtures every app's tests share: the demo park, people in each role, and clients signed in as them."""

import os

import pytest

os.environ.setdefault("SEMIPARK_DATA_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))


def pytest_configure(config):
    from django.conf import settings

    # PBKDF2 costs about a second per password on a busy machine and every test makes seven people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
def no_failed_sign_ins():
    """Failed sign-ins are counted in the cache: start and leave the test with none counted."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_as(people):
    """``client_as("a_user")``: a Django test client signed in as that person."""
    from django.test import Client

    def make(who):
        client = Client()
        client.force_login(people[who])
        return client

    return make


CHROMIUM = os.environ.get("SEMIPARK_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright (no browser download: the system's own)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (./run test installs it).")
    # Playwright runs an event loop in this thread; Django's ORM calls in the test body are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    """``sign_in(page, username, password)``: log in through the real login form."""

    def do(page, username, password="correct horse battery"):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)

    return do


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's sync API leaves an event loop marked running in the main thread, after
    which Django's sync test client cannot call async views (the live event stream)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
