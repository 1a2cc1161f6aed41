"""Publishing supply offers and demand requests; a published demand notifies the suppliers it matches."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from semipark.core import services as core_services

from . import notices
from .matching import matches_for
from .models import Listing

NOTIFY_TOP = 10


def save_listing(user, listing: Listing, fields: dict) -> Listing:
    """Create or change a listing of the user's enterprise; an offer for a product inherits its specs."""
    fields = dict(fields)
    if listing._state.adding:
        if not user.enterprise_id:
            raise PermissionDenied(_("Only an enterprise may publish listings."))
        fields.setdefault("enterprise_id", user.enterprise_id)
    product = fields.get("product") or listing.product
    if product is not None:
        fields.setdefault("category", product.category)
        if not fields.get("specs"):
            fields["specs"] = dict(product.specs)
        fields.setdefault("unit", product.unit)
    was_open = not listing._state.adding and listing.status == Listing.Status.OPEN
    with transaction.atomic():
        core_services.save(user, listing, fields)
        if listing.kind == Listing.Kind.DEMAND and listing.status == Listing.Status.OPEN and not was_open:
            notices.demand_matched(listing, [offer.enterprise_id for offer in matches_for(listing, NOTIFY_TOP)])
    return listing
