"""Export control of gallium and germanium items: the controlled-item list and destination rules as dated data.

``match`` and ``destination_rule`` are pure functions over ``data/export_control.json`` (each version and rule
carries its document and effective dates). The licence checks that use them live in ``licences.py``.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from semipark.core.statemachine import TransitionRefused


class LicenceRequired(TransitionRefused):
    """A controlled item would leave the Chinese customs territory without a licence covering it."""

    def __init__(self, message: str, *, item: "ControlledItem | None" = None, country: str = ""):
        super().__init__(message, state="", action="ship")
        self.item = item
        self.country = country


class DestinationProhibited(LicenceRequired):
    """A destination rule forbids the export outright: no licence can cover it."""


@dataclass(frozen=True)
class ControlledItem:
    code: str
    element: str  # "Ga" or "Ge"
    name: str
    name_en: str
    hs: tuple[str, ...]
    hs_aliases: tuple[str, ...]
    keywords: tuple[str, ...]
    version: str  # id of the list version it comes from
    document: str
    note: str = ""

    @property
    def label(self) -> str:
        return self.name if (get_language() or "zh").startswith("zh") else self.name_en

    def __str__(self):
        return f"{self.name} ({self.name_en})"


@dataclass(frozen=True)
class ListVersion:
    id: str
    document: str
    effective_from: date
    effective_to: date | None
    items: tuple[ControlledItem, ...]

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Suspension:
    start: date
    end: date | None
    document: str


@dataclass(frozen=True)
class DestinationRule:
    id: str
    country: str
    kind: str  # "prohibited" or "military_end_use"
    elements: frozenset | None  # None: every controlled item
    document: str
    summary: str
    effective_from: date
    effective_to: date | None
    suspensions: tuple[Suspension, ...]

    def in_force(self, on: date) -> bool:
        if on < self.effective_from or (self.effective_to is not None and on > self.effective_to):
            return False
        return not any(s.start <= on and (s.end is None or on <= s.end) for s in self.suspensions)

    def applies_to(self, item: ControlledItem) -> bool:
        return self.elements is None or item.element in self.elements


def today() -> date:
    """The date in the park's time zone; tests pass ``on`` instead of patching this."""
    return timezone.localdate()


def normalise_hs(code: str) -> str:
    return re.sub(r"\D", "", code or "")


def match(hs_code: str, name: str = "", on: date | None = None) -> ControlledItem | None:
    """The controlled item an HS code (or, failing that, a product name) falls under on date ``on``.

    An exact listed code (or alias) wins; otherwise the longest item keyword found in ``name``. None when the
    list in force on that date has no such item (or no list is in force yet).
    """
    version = version_on(on or today())
    if version is None:
        return None
    code = normalise_hs(hs_code)
    if code:
        for item in version.items:
            if code in item.hs or code in item.hs_aliases:
                return item
    text = (name or "").lower()
    if not text:
        return None
    best, best_len = None, 0
    for item in version.items:
        for keyword in item.keywords:
            if _contains(text, keyword.lower()) and len(keyword) > best_len:
                best, best_len = item, len(keyword)
    return best


def version_on(on: date) -> ListVersion | None:
    in_force = [v for v in _versions() if v.in_force(on)]
    return max(in_force, key=lambda v: v.effective_from) if in_force else None


def item_by_code(code: str, on: date | None = None) -> ControlledItem | None:
    version = version_on(on or today())
    return next((i for i in version.items if i.code == code), None) if version else None


def find_item(code: str) -> ControlledItem | None:
    """The item with ``code`` in the newest list version that has it, whatever the date (for stored licences)."""
    for version in sorted(_versions(), key=lambda v: v.effective_from, reverse=True):
        for item in version.items:
            if item.code == code:
                return item
    return None


def items(on: date | None = None) -> tuple[ControlledItem, ...]:
    version = version_on(on or today())
    return version.items if version else ()


def inside_customs_territory(country: str) -> bool:
    """Whether a destination (ISO 3166 alpha-2) is inside the Chinese customs territory (mainland only)."""
    return (country or "").strip().upper() in set(_data()["customs_territory"]["inside"])


def prohibiting_rule(item: ControlledItem, country: str, on: date | None = None) -> DestinationRule | None:
    """The destination rule in force on ``on`` that forbids exporting ``item`` to ``country``, if any."""
    on = on or today()
    country = (country or "").strip().upper()
    for rule in destination_rules():
        if rule.kind == "prohibited" and rule.country == country and rule.applies_to(item) and rule.in_force(on):
            return rule
    return None


def check_destination(item: ControlledItem, country: str, on: date | None = None) -> None:
    """Refuse with :class:`DestinationProhibited` when a rule forbids this export on that date."""
    rule = prohibiting_rule(item, country, on)
    if rule is not None:
        raise DestinationProhibited(
            _("Exporting %(item)s to %(country)s is not licensed under %(document)s (in force on %(date)s).")
            % {"item": item.label, "country": country.upper(), "document": rule.document, "date": on or today()},
            item=item,
            country=country,
        )


@cache
def destination_rules() -> tuple[DestinationRule, ...]:
    return tuple(
        DestinationRule(
            id=row["id"],
            country=row["country"],
            kind=row["kind"],
            elements=frozenset(row["elements"]) if row["elements"] is not None else None,
            document=row["document"],
            summary=row["summary"],
            effective_from=date.fromisoformat(row["effective_from"]),
            effective_to=_date_or_none(row["effective_to"]),
            suspensions=tuple(
                Suspension(date.fromisoformat(s["from"]), _date_or_none(s["to"]), s["document"])
                for s in row["suspensions"]
            ),
        )
        for row in _data()["destination_rules"]
    )


def sources() -> list[str]:
    return list(_data()["sources"])


def customs_territory_note() -> str:
    return _data()["customs_territory"]["note"]


def _contains(text: str, keyword: str) -> bool:
    # Latin keywords match whole words ("GaN" must not match "organic"); Chinese ones match as substrings.
    if keyword.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", text) is not None
    return keyword in text


def _date_or_none(value):
    return date.fromisoformat(value) if value else None


@cache
def _data() -> dict:
    return json.loads(resources.files("semipark.trace").joinpath("data/export_control.json").read_text("utf-8"))


@cache
def _versions() -> tuple[ListVersion, ...]:
    return tuple(
        ListVersion(
            id=row["id"],
            document=row["document"],
            effective_from=date.fromisoformat(row["effective_from"]),
            effective_to=_date_or_none(row["effective_to"]),
            items=tuple(
                ControlledItem(
                    code=item["code"],
                    element=item["element"],
                    name=item["name"],
                    name_en=item["name_en"],
                    hs=tuple(item["hs"]),
                    hs_aliases=tuple(item.get("hs_aliases", ())),
                    keywords=tuple(item["keywords"]),
                    version=row["id"],
                    document=row["document"],
                    note=item.get("alias_note", item.get("note", "")),
                )
                for item in row["items"]
            ),
        )
        for row in _data()["versions"]
    )
