"""The live console in a real Chromium: points drawn, an alarm arrives without reload, acknowledged from the list."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = "() => window.semiparkConsoleChart.getOption().series.find(s => s.name === 'points').data"


def open_console(page, live_server, sign_in, username):
    sign_in(page, username)
    page.goto(f"{live_server.url}/supervision/")
    page.wait_for_selector("#live-status[data-state=live]")


def test_alarm_appears_live_and_is_acknowledged_from_the_list(
    browser, page, live_server, sign_in, people, plant, raise_alarm, settings
):
    # Short streams: the browser reconnects with Last-Event-ID several times during the test and loses nothing.
    settings.SUPERVISION_STREAM_SECONDS = 3
    other = browser.new_context(locale="zh-CN").new_page()
    open_console(page, live_server, sign_in, "t-a-user")
    open_console(other, live_server, sign_in, "t-b-user")
    points = page.evaluate(POINTS)
    assert [p["id"] for p in points] == [plant["a_sensor"].pk]
    assert page.locator("[data-testid=no-alarms]").is_visible()

    alarm = raise_alarm(plant["a_sensor"])

    row = page.locator(f"#alarm-rows tr[data-alarm='{alarm.pk}']")
    row.wait_for()
    page.wait_for_function(f"() => ({POINTS})()[0].itemStyle.color === '#c92a2a'")
    row.locator("input[name=note]").fill("on site")
    row.locator("[data-testid=acknowledge]").click()
    page.locator(f"#alarm-rows tr[data-alarm='{alarm.pk}'][data-state=acknowledged]").wait_for()
    alarm.refresh_from_db()
    assert (alarm.state, alarm.note) == ("acknowledged", "on site")

    # Enterprise B's console, open all along, never shows A's alarm or point.
    assert other.locator("#alarm-rows tr[data-alarm]").count() == 0
    assert plant["a_sensor"].pk not in [p["id"] for p in other.evaluate(POINTS)]
    other.reload()
    other.wait_for_selector("#live-status[data-state=live]")
    assert other.locator("#alarm-rows tr[data-alarm]").count() == 0
    other.context.close()


def test_trend_draws_rollups_and_setpoints(page, live_server, sign_in, people, plant, add_rollups):
    add_rollups(plant["a_sensor"], "m", range(1, 61))
    sign_in(page, "t-a-user")
    page.goto(f"{live_server.url}/supervision/sensors/{plant['a_sensor'].pk}/")
    page.wait_for_function("() => document.getElementById('trend').dataset.points === '60'")
    assert int(page.locator("#trend").get_attribute("data-setpoints")) == 2
