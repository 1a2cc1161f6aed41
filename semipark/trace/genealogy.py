"""Backward and forward traces over lot links, with one recursive query, cut to what the user may see.

Who sees what: the park office sees whole traces. An enterprise sees its own lots and the lots it shipped to
or received from another enterprise directly; a trace stops at those counterpart lots (what lies beyond is
cut, not shown anonymously, so a trace reveals nothing of another enterprise's processing or suppliers).
"""

from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from .models import Lot, LotLink

BACKWARD = "backward"
FORWARD = "forward"
MAX_DEPTH = 50
# What a trace shows of each lot; loading only these keeps large traces fast.
NODE_FIELDS = (
    *("code", "identifier", "enterprise_id", "material", "quantity", "available", "unit", "unit_mass_kg"),
    *("hs_code", "description", "note", "made_on", "enterprise__code", "enterprise__name", "enterprise__short_name"),
)

# Walks the link table from one lot; UNION (not UNION ALL) keeps each (link, depth) once, so diamonds from
# merges do not multiply the rows. Both directions use a composite index holding the other end.
_WALK = """
WITH RECURSIVE walk(id, parent_id, child_id, quantity, shipment_id, transformation_id, depth) AS (
    SELECT l.id, l.parent_id, l.child_id, l.quantity, l.shipment_id, l.transformation_id, 1
    FROM {table} l WHERE l.{start} = %s
    UNION
    SELECT l.id, l.parent_id, l.child_id, l.quantity, l.shipment_id, l.transformation_id, w.depth + 1
    FROM {table} l JOIN walk w ON l.{start} = w.{next}
    WHERE w.depth < %s
)
SELECT id, parent_id, child_id, quantity, shipment_id, transformation_id, MIN(depth)
FROM walk GROUP BY id, parent_id, child_id, quantity, shipment_id, transformation_id
"""


@dataclass(frozen=True)
class Edge:
    id: int
    parent: int
    child: int
    quantity: Decimal
    shipment: int | None
    transformation: int | None
    depth: int


@dataclass
class Trace:
    root: Lot
    direction: str
    nodes: dict[int, Lot] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    depth: dict[int, int] = field(default_factory=dict)  # lot id -> signed distance (backward negative)


def walk(lot_id: int, direction: str, depth: int = 10) -> list[Edge]:
    """Every link within ``depth`` steps before (backward) or after (forward) the lot, unscoped."""
    start, nxt = ("child_id", "parent_id") if direction == BACKWARD else ("parent_id", "child_id")
    sql = _WALK.format(table=LotLink._meta.db_table, start=start, next=nxt)
    with connection.cursor() as cursor:
        cursor.execute(sql, [lot_id, max(1, min(depth, MAX_DEPTH))])
        return [Edge(r[0], r[1], r[2], Decimal(str(r[3])), r[4], r[5], r[6]) for r in cursor.fetchall()]


def trace(user, root: Lot, direction: str, depth: int = 10) -> Trace:
    """The lots before or after ``root`` (or both) that ``user`` may see and reach through lots they may see."""
    directions = [BACKWARD, FORWARD] if direction == "both" else [direction]
    edges: dict[int, Edge] = {}
    for d in directions:
        for edge in walk(root.pk, d, depth):
            edges.setdefault(edge.id, edge)
    ids = {root.pk} | {e.parent for e in edges.values()} | {e.child for e in edges.values()}
    owners = dict(Lot.visible_among(user, ids).values_list("pk", "enterprise_id"))
    own = set(owners) if user.is_office else {pk for pk, firm in owners.items() if firm == user.enterprise_id}
    # An enterprise follows only links that touch one of its own lots: it sees whom it traded with, not what
    # they did with the material before or after.
    shown = [e for e in edges.values() if e.parent in owners and e.child in owners and {e.parent, e.child} & own]
    kept, distance = _reachable(root.pk, shown)
    lots = Lot.objects.select_related("enterprise").only(*NODE_FIELDS).in_bulk(distance.keys())
    return Trace(root=root, direction=direction, nodes=lots, edges=kept, depth=distance)


def _reachable(root: int, edges: list[Edge]) -> tuple[list[Edge], dict[int, int]]:
    """The edges connected to the root through shown edges, and each lot's signed distance from the root."""
    parents, children = {}, {}
    for e in edges:
        children.setdefault(e.parent, []).append(e)
        parents.setdefault(e.child, []).append(e)
    distance = {root: 0}
    kept: dict[int, Edge] = {}
    for step, index, far in ((-1, parents, "parent"), (1, children, "child")):
        queue = deque([root])
        while queue:
            here = queue.popleft()
            if distance[here] * step < 0:
                continue  # walk each side away from the root only
            for e in index.get(here, ()):
                kept[e.id] = e
                other = getattr(e, far)
                if other not in distance:
                    distance[other] = distance[here] + step
                    queue.append(other)
    return list(kept.values()), distance
