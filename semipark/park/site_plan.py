"""Site-plan data for the ECharts drawing: plots coloured by enterprise status, and the roads."""

from .models import Park, Plot

STATUS_COLOURS = {
    "production": "#b2f2bb",
    "trial": "#d8f5a2",
    "construction": "#ffec99",
    "registered": "#a5d8ff",
    "negotiating": "#ffd8a8",
    "left": "#e9ecef",
}
EMPTY_COLOURS = {Plot.Status.AVAILABLE: "#f8f9fa", Plot.Status.RESERVED: "#e5dbff", Plot.Status.OCCUPIED: "#dee2e6"}


def site_plan_data(user, park: Park) -> dict:
    plots = []
    for plot in Plot.objects.visible_to(user).filter(park=park).select_related("enterprise"):
        enterprise = plot.enterprise
        ring = plot.geometry.get("coordinates", [[]])[0]
        plots.append(
            {
                "id": plot.pk,
                "code": plot.code,
                "label": enterprise.short_name if enterprise else str(plot.get_status_display()),
                "status": str(enterprise.get_status_display()) if enterprise else str(plot.get_status_display()),
                "colour": STATUS_COLOURS.get(enterprise.status, "#dee2e6")
                if enterprise
                else EMPTY_COLOURS[plot.status],
                "coordinates": ring,
            }
        )
    roads = [
        {"name": f["properties"].get("name", ""), "coordinates": f["geometry"]["coordinates"]}
        for f in (park.site_plan or {}).get("features", [])
        if f.get("geometry", {}).get("type") == "LineString"
    ]
    return {"plots": plots, "roads": roads}
