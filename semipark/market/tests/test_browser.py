"""The RFQ → quote → award → order → accepted flow through the pages, in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import lot_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser, sign_in, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, username)
    return page


def test_rfq_to_accepted_order_in_the_browser(browser, page, live_server, sign_in, market, people, boyu_user):
    # 通美 issues an RFQ for high-purity gallium; matching invites 金美.
    sign_in(page, people["a_admin"].username)
    page.goto(f"{live_server.url}/market/rfqs/")
    form = page.locator("#new-rfq")
    form.locator("input[name=title]").fill("高纯镓浏览器询价")
    form.locator("select[name=category]").select_option(label="高纯镓")
    form.locator("input[name=description]").fill("6N高纯镓")
    form.locator("fieldset[data-kind=metal] [name=spec_element]").fill("Ga")
    form.locator("fieldset[data-kind=metal] [name=spec_purity]").fill("6N")
    form.locator("input[name=quantity]").fill("80")
    form.locator("input[name=unit]").fill("kg")
    soon = timezone.localtime() + timedelta(days=3)
    form.locator("input[name=delivery_date]").fill(f"{soon + timedelta(days=20):%Y-%m-%d}")
    form.locator("input[name=closes_at]").fill(f"{soon:%Y-%m-%dT%H:%M}")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/market/rfqs/*/")
    rfq_url = page.url
    assert "金美镓业" in page.content()  # invited
    assert page.locator("#sealed").is_visible()

    # 金美 quotes.
    jinmei = signed_in(browser, sign_in, people["b_user"].username)
    jinmei.goto(rfq_url)
    quote = jinmei.locator("#quote-form")
    quote.locator("input[name^=price_]").fill("2399")
    quote.locator("input[name^=lead_]").fill("10")
    quote.locator("button:not([name=decline])").click()
    jinmei.wait_for_selector("text=2399")

    # 博宇 cannot open the RFQ at all.
    boyu = signed_in(browser, sign_in, boyu_user.username)
    assert boyu.goto(rfq_url).status == 404

    # 通美 compares and awards; the order opens.
    page.goto(rfq_url)
    table = page.locator("#comparison")
    assert "2399" in table.inner_text()
    table.locator("input[type=radio]").first.check()
    page.locator("form[action$='/award/'] button[type=submit]").click()
    page.wait_for_url("**/market/orders/*/")
    order_url = page.url
    assert page.locator("#order-status").get_attribute("data-status") == "confirmed"

    # 金美 starts production and ships a gallium lot.
    jinmei.goto(order_url)
    jinmei.click("button[value=start_production]")
    jinmei.wait_for_selector("#order-status[data-status=in_production]")
    lot = lot_of(people["b_user"], people["b_user"].enterprise, quantity=80)
    jinmei.reload()
    jinmei.fill(f"input[name=lot_{lot.pk}]", "80")
    jinmei.locator("#ship-form button[type=submit]").click()
    jinmei.wait_for_selector("#order-status[data-status=shipped]")

    # 通美 confirms delivery and accepts.
    page.goto(order_url)
    page.click("button[value=confirm_delivery]")
    page.wait_for_selector("#order-status[data-status=delivered]")
    page.click("button[value=accept]")
    page.wait_for_selector("#order-status[data-status=accepted]")
