import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trace_graph_is_drawn_on_a_canvas(page, live_server, sign_in, make_user, park):
    from semipark.core.roles import Role
    from semipark.park.models import Enterprise
    from semipark.trace import demo

    office = make_user("b-office", Role.OFFICE_ADMIN)
    lots = demo.chain(office)
    make_user("b-tongmei", Role.ENTERPRISE_USER, Enterprise.objects.get(code="tongmei"))
    sign_in(page, "b-tongmei")
    page.goto(f"{live_server.url}/trace/lots/{lots['wafers'].pk}/graph/?direction=backward")
    graph = page.locator("[data-testid=trace-graph]")
    graph.locator("canvas").wait_for()
    assert (
        int(graph.get_attribute("data-drawn")) >= 5
    )  # wafers, crystal, received Ga and As, jinmei's and xinmei's lots
    # Something was painted: the canvas is not blank.
    painted = page.evaluate(
        """() => {
            const c = document.querySelector('[data-testid=trace-graph] canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
            return n;
        }"""
    )
    assert painted > 1000
    assert lots["gallium"].identifier in page.content()  # jinmei's lot is a direct counterpart: shown
    assert lots["returned"].identifier not in page.content()
