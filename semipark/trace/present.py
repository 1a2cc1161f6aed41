"""What a user is shown of lots, traces and licences: one place shared by the API and the pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import exportcontrol
from .genealogy import Trace
from .models import ExportLicence, Lot


def is_own(user, lot: Lot) -> bool:
    """Whether ``user`` sees the lot's private details (quantities, note): its enterprise and the park office."""
    return user.is_office or (user.enterprise_id is not None and lot.enterprise_id == user.enterprise_id)


def lot_dict(user, lot: Lot) -> dict:
    info = lot.material_info
    data = {
        "id": lot.pk,
        "identifier": lot.identifier,
        "code": lot.code,
        "enterprise_id": lot.enterprise_id,
        "enterprise": str(lot.enterprise),
        "material": lot.material,
        "material_label": info.label if info else lot.material,
        "unit": lot.unit,
        "own": is_own(user, lot),
    }
    if data["own"]:
        data |= {
            "quantity": lot.quantity,
            "available": lot.available,
            "unit_mass_kg": lot.unit_mass_kg,
            "gallium_kg": round(lot.gallium_kg(), 4),
            "hs_code": lot.hs_code,
            "description": lot.description,
            "note": lot.note,
            "made_on": lot.made_on,
        }
    return data


def trace_dict(user, trace: Trace) -> dict:
    own = {pk for pk, lot in trace.nodes.items() if is_own(user, lot)}
    return {
        "root": trace.root.pk,
        "direction": trace.direction,
        "nodes": [lot_dict(user, lot) | {"depth": trace.depth[pk]} for pk, lot in trace.nodes.items()],
        "edges": [
            {
                "parent": e.parent,
                "child": e.child,
                # A link between two lots of other enterprises is shown without their quantity.
                "quantity": e.quantity if user.is_office or {e.parent, e.child} & own else None,
                "kind": "shipment" if e.shipment else "transformation",
            }
            for e in trace.edges
        ],
    }


def chart(user, trace: Trace) -> dict:
    """ECharts graph data: columns by distance from the root, one colour per enterprise."""
    data = trace_dict(user, trace)
    firms = sorted({n["enterprise"] for n in data["nodes"]})
    columns: dict[int, int] = {}
    nodes = []
    for node in sorted(data["nodes"], key=lambda n: (n["depth"], n["enterprise"], n["id"])):
        row = columns.get(node["depth"], 0)
        columns[node["depth"]] = row + 1
        amount = f"{node['available']} / {node['quantity']} {node['unit']}" if node["own"] else ""
        nodes.append(
            {
                "id": str(node["id"]),
                "name": node["identifier"],
                "x": node["depth"] * 220,
                "y": row * 90,
                "category": firms.index(node["enterprise"]),
                "symbolSize": 46 if node["id"] == data["root"] else 32,
                "value": f"{node['enterprise']} · {node['material_label']} {amount}".strip(),
                "url": reverse("trace:lot-detail", args=[node["id"]]),
                "label": {"formatter": f"{node['material_label']}\n{node['code']}"},
            }
        )
    links = [
        {
            "source": str(e["parent"]),
            "target": str(e["child"]),
            "value": str(e["quantity"]) if e["quantity"] is not None else "",
            "lineStyle": {"type": "dashed" if e["kind"] == "shipment" else "solid"},
        }
        for e in data["edges"]
    ]
    return {"nodes": nodes, "links": links, "categories": [{"name": f} for f in firms]}


def licence_dict(licence: ExportLicence) -> dict:
    item = licence.item_info
    drawn = licence.drawn
    return {
        "id": licence.pk,
        "enterprise_id": licence.enterprise_id,
        "number": licence.number,
        "item": licence.item,
        "item_label": item.label if item else licence.item,
        "quantity": licence.quantity,
        "unit": licence.unit,
        "drawn": drawn,
        "remaining": licence.quantity - drawn,
        "destination_country": licence.destination_country,
        "end_user": licence.end_user,
        "valid_from": licence.valid_from,
        "valid_to": licence.valid_to,
        "note": licence.note,
    }


def item_dict(item: exportcontrol.ControlledItem) -> dict:
    return {
        "code": item.code,
        "element": item.element,
        "name": item.name,
        "name_en": item.name_en,
        "hs": list(item.hs),
        "hs_aliases": list(item.hs_aliases),
        "version": item.version,
        "document": item.document,
        "note": item.note,
    }


def rule_dict(rule: exportcontrol.DestinationRule, on) -> dict:
    return {
        "id": rule.id,
        "country": rule.country,
        "kind": rule.kind,
        "elements": sorted(rule.elements) if rule.elements is not None else None,
        "document": rule.document,
        "summary": rule.summary,
        "effective_from": rule.effective_from,
        "effective_to": rule.effective_to,
        "suspensions": [{"from": s.start, "to": s.end, "document": s.document} for s in rule.suspensions],
        "in_force": rule.in_force(on),
        "kind_label": _("Prohibited") if rule.kind == "prohibited" else _("Military end use"),
    }
