"""Coverage of the industrial chain: which items the park's enterprises already make, and which are gaps."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .models import SETTLED_STATUSES, ChainItem, ChainSegment, Enterprise, EnterpriseStatus

COVERED = "covered"
NEGOTIATING = "negotiating"
GAP = "gap"
COVERAGE_LABELS = {COVERED: _("Covered"), NEGOTIATING: _("Under negotiation"), GAP: _("Gap")}


@dataclass
class ItemCoverage:
    item: ChainItem
    coverage: str
    enterprises: list[Enterprise]


def coverage_of(statuses: set[str]) -> str:
    """A chain item is covered by a settled enterprise, pending while only negotiations exist, else a gap."""
    if statuses & {str(s) for s in SETTLED_STATUSES}:
        return COVERED
    if EnterpriseStatus.NEGOTIATING in statuses:
        return NEGOTIATING
    return GAP


def chain_coverage(park) -> tuple[list[ChainSegment], list[ItemCoverage]]:
    segments = list(ChainSegment.objects.filter(park=park))
    items = (
        ChainItem.objects.filter(segment__park=park)
        .select_related("segment")
        .prefetch_related(
            "inputs",
            Prefetch("enterprises", queryset=Enterprise.objects.exclude(status=EnterpriseStatus.LEFT)),
        )
    )
    result = []
    for item in items:
        enterprises = list(item.enterprises.all())
        result.append(ItemCoverage(item, coverage_of({e.status for e in enterprises}), enterprises))
    return segments, result


COVERAGE_COLOURS = {COVERED: "#2f9e44", NEGOTIATING: "#f08c00", GAP: "#c92a2a"}


def chain_graph(segments, coverage: list[ItemCoverage]) -> dict:
    """ECharts graph data: items in columns by segment, enterprises beside the items they make."""
    column = {s.pk: i for i, s in enumerate(segments)}
    rows: dict[int, int] = {}
    nodes, links = [], []
    categories = [{"name": str(COVERAGE_LABELS[k]), "itemStyle": {"color": c}} for k, c in COVERAGE_COLOURS.items()]
    category_index = {k: i for i, k in enumerate(COVERAGE_COLOURS)}
    seen_enterprises = set()
    for c in coverage:
        col = column.get(c.item.segment_id, 0)
        row = rows.get(col, 0)
        rows[col] = row + 1
        x, y = col * 300, row * 120
        nodes.append(
            {
                "id": f"i{c.item.pk}",
                "name": c.item.label,
                "x": x,
                "y": y,
                "symbolSize": 46,
                "category": category_index[c.coverage],
                "value": str(COVERAGE_LABELS[c.coverage]),
            }
        )
        links.extend({"source": f"i{src.pk}", "target": f"i{c.item.pk}"} for src in c.item.inputs.all())
        for n, e in enumerate(c.enterprises):
            eid = f"e{e.pk}"
            if eid not in seen_enterprises:
                seen_enterprises.add(eid)
                nodes.append(
                    {
                        "id": eid,
                        "name": e.short_name,
                        "x": x + 110,
                        "y": y - 30 + n * 30,
                        "symbol": "rect",
                        "symbolSize": [14, 14],
                        "itemStyle": {"color": "#0b5cad"},
                        "label": {"position": "right"},
                    }
                )
            links.append({"source": eid, "target": f"i{c.item.pk}", "lineStyle": {"type": "dashed"}})
    for segment in segments:
        nodes.append(
            {
                "id": f"s{segment.pk}",
                "name": segment.label,
                "x": column[segment.pk] * 300,
                "y": -110,
                "symbol": "roundRect",
                "symbolSize": [120, 30],
                "itemStyle": {"color": "#e4e7eb"},
                "label": {"position": "inside", "fontWeight": "bold"},
            }
        )
    return {"nodes": nodes, "links": links, "categories": categories}
