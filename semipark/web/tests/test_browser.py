"""The demo park through a real browser: each demo account, the language switch, the charts, isolation."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def demo_park():
    """The demo park and its accounts (password ``demo``), created as ``semipark demo`` creates them."""
    from semipark.park import demo

    park = demo.load()
    demo.create_accounts()
    return park


@pytest.fixture
def enterprise_ids(demo_park):
    from semipark.park.models import Enterprise

    return dict(Enterprise.objects.values_list("code", "pk"))


def _menu(page) -> list[str]:
    return page.locator("header.top nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


# username: (menu entries that must be there, menu entries that must not, enterprise code or None).
# Trade and lots are for the park office and the enterprises; regulators read the rest. MINE stands for the
# user's own company page, which only enterprise people have in their menu.
MINE = "mine"
ROLES = {
    "office": (["/", "/park/enterprises/", "/supervision/", "/audit/", "/market/", "/trace/"], [MINE], None),
    "staff": (["/", "/park/enterprises/", "/audit/", "/market/", "/trace/"], [MINE], None),
    "tongmei": (["/", MINE, "/park/enterprises/", "/market/", "/trace/"], ["/audit/"], "tongmei"),
    "jinmei": (["/", MINE, "/park/chain/", "/market/", "/trace/"], ["/audit/"], "jinmei"),
    "boyu": (["/", MINE, "/park/site-plan/", "/market/"], ["/audit/"], "boyu"),
    "regulator": (
        ["/", "/park/enterprises/", "/park/chain/", "/supervision/"],
        [MINE, "/audit/", "/market/", "/trace/"],
        None,
    ),
}


@pytest.mark.parametrize("username", ROLES)
def test_each_demo_account_sees_what_its_role_should(username, demo_park, enterprise_ids, page, sign_in, live_server):
    present, absent, own = ROLES[username]
    mine = f"/park/enterprises/{enterprise_ids[own]}/private/" if own else None
    present = [mine if p == MINE else p for p in present]

    sign_in(page, username, "demo")
    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert demo_park.name in page.locator("h1").inner_text()
    menu = _menu(page)
    assert set(present) <= set(menu), menu
    assert not set(absent) & set(menu), menu
    if MINE in absent:
        assert not [link for link in menu if link.endswith("/private/")], menu

    audit = page.goto(f"{live_server.url}/audit/")
    assert audit.status == (200 if username in {"office", "staff"} else 403)

    response = page.goto(f"{live_server.url}/park/my/")
    if own:
        assert page.url == f"{live_server.url}{mine}"
        assert response.status == 200
        active = page.locator("header.top nav a.active").get_attribute("href")
        assert active == mine, "the own company page highlights My company, not Enterprises"
    else:
        assert response.status == 404


def test_enterprise_list_shows_every_enterprise_to_the_office(demo_park, page, sign_in, live_server):
    from semipark.park.models import Enterprise

    sign_in(page, "office", "demo")
    page.goto(f"{live_server.url}/park/enterprises/")
    body = page.locator("main").inner_text()
    for short_name in Enterprise.objects.values_list("short_name", flat=True):
        assert short_name in body


def test_language_switch_from_chinese_to_english(demo_park, page, sign_in, live_server):
    sign_in(page, "office", "demo")
    page.goto(f"{live_server.url}/park/chain/")
    labels = page.locator("header.top nav a").all_inner_texts()
    assert all(CJK.search(label) for label in labels), labels

    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", "en")
    assert page.url == f"{live_server.url}/park/chain/"  # the switch keeps the user on the same page
    assert page.locator("html").get_attribute("lang") == "en"
    labels = page.locator("header.top nav a").all_inner_texts()
    assert {"Dashboard", "Enterprises", "Industrial chain", "Site plan", "Audit log"} <= set(labels), labels
    assert page.locator("h1").inner_text() == "Industrial chain"

    page.goto(f"{live_server.url}/")  # the choice sticks for the next pages
    assert page.locator("html").get_attribute("lang") == "en"


# Counts the distinct colours of the chart's canvas: a blank or single-colour canvas means nothing was drawn.
DISTINCT_COLOURS = """element => {
  const canvas = element.querySelector("canvas");
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  for (let i = 0; i < pixels.length; i += 4 * 7) {
    colours.add((pixels[i] << 24) | (pixels[i + 1] << 16) | (pixels[i + 2] << 8) | pixels[i + 3]);
    if (colours.size > 50) break;
  }
  return colours.size;
}"""


@pytest.mark.parametrize(
    ("path", "chart"), [("/park/chain/", "#chain-map"), ("/park/site-plan/", "#site-plan"), ("/", "#status-chart")]
)
def test_charts_draw(path, chart, demo_park, page, sign_in, live_server):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "office", "demo")
    page.goto(f"{live_server.url}{path}")
    element = page.locator(chart)
    assert element.bounding_box()["height"] > 150
    # ECharts animates in: wait until the canvas carries a drawing, not merely a background.
    page.wait_for_function(f"() => ({DISTINCT_COLOURS})(document.querySelector('{chart}')) > 10")
    assert element.evaluate(DISTINCT_COLOURS) > 10
    assert errors == []


def test_enterprise_user_cannot_open_another_enterprises_private_page(
    demo_park, enterprise_ids, page, sign_in, live_server
):
    private = f"{live_server.url}/park/enterprises/{enterprise_ids['tongmei']}/private/"

    sign_in(page, "jinmei", "demo")
    response = page.goto(private)
    assert response.status == 404
    assert "通美晶体安全负责人" not in page.content()
    assert page.goto(f"{live_server.url}/park/enterprises/{enterprise_ids['jinmei']}/private/").status == 200
    assert "金美镓业安全负责人" in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(page, "tongmei", "demo")
    response = page.goto(private)
    assert response.status == 200
    assert "通美晶体安全负责人" in page.locator("main").inner_text()
