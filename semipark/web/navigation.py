"""The main menu: one list, filtered by role, so every page shows the same navigation."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from semipark.trace.apps import MENU_LABEL as TRACE_LABEL


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    office: bool = True
    enterprise: bool = True
    regulator: bool = True
    own_enterprise: bool = False  # the URL takes the user's own enterprise id


MENU = [
    Entry(_("Dashboard"), "web:home"),
    Entry(_("My company"), "park:enterprise-private", office=False, regulator=False, own_enterprise=True),
    Entry(_("Park"), "park:overview"),
    Entry(_("Enterprises"), "park:enterprise-list"),
    Entry(_("Industrial chain"), "park:chain"),
    Entry(_("Site plan"), "park:site-plan"),
    Entry(_("Infrastructure"), "park:facilities"),
    Entry(_("Supervision"), "supervision:console"),
    Entry(_("Marketplace"), "market:home", regulator=False),
    Entry(TRACE_LABEL, "trace:home", regulator=False),
    Entry(_("Audit log"), "web:audit", enterprise=False, regulator=False),
]


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for entry in MENU:
        if user.is_office and not entry.office:
            continue
        if user.is_enterprise_member and not entry.enterprise:
            continue
        if user.is_regulator and not entry.regulator:
            continue
        if entry.own_enterprise and not user.enterprise_id:
            continue
        try:
            url = reverse(entry.url_name, args=[user.enterprise_id] if entry.own_enterprise else None)
        except NoReverseMatch:  # the app providing it is not built yet
            continue
        items.append({"label": entry.label, "url": url, "active": False})
    # The deepest entry containing the current page is the active one (/park/chain/ is not "Park").
    matches = [i for i in items if current_path == i["url"] or (i["url"] != "/" and current_path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items
