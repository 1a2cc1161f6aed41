"""Private market objects of one enterprise for the isolation walk (see core/tests/test_isolation.py).

Each carries ``marker`` where no other enterprise may read it: an RFQ invited to a third enterprise only,
a quote on a third enterprise's RFQ, an order with a third enterprise, a draft listing and a notice.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from semipark.park.models import Enterprise

from .models import RFQ, Category, CategoryKind, Listing, Notice, Order, OrderLine, Product, Quote, QuoteLine, RFQItem


def make_private(enterprise, marker: str) -> list:
    third = Enterprise.objects.exclude(pk=enterprise.pk).exclude(code="tongmei").order_by("-id").first()
    category, _created = Category.objects.get_or_create(
        code="walk-metal", defaults={"name": "walk", "kind": CategoryKind.METAL}
    )
    product = Product.objects.create(
        enterprise=enterprise,
        category=category,
        name="walk product",
        unit="kg",
        specs={"element": "Ga", "purity": "6N"},
    )
    later = timezone.now() + timedelta(days=5)
    own_rfq = RFQ.objects.create(
        number=f"WALK-{enterprise.pk}-1",
        buyer=enterprise,
        title=f"rfq {marker}",
        note=marker,
        delivery_date=later.date(),
        closes_at=later,
    )
    item = RFQItem.objects.create(rfq=own_rfq, category=category, description=marker, quantity=1, unit="kg")
    own_rfq.invitations.create(supplier=third)
    their_rfq = RFQ.objects.create(
        number=f"WALK-{enterprise.pk}-2",
        buyer=third,
        title="third rfq",
        delivery_date=later.date(),
        closes_at=timezone.now() - timedelta(days=1),
        open_to_park=True,
    )
    their_item = RFQItem.objects.create(rfq=their_rfq, category=category, description="x", quantity=1, unit="kg")
    quote = Quote.objects.create(rfq=their_rfq, supplier=enterprise, notes=f"quote {marker}")
    line = QuoteLine.objects.create(
        quote=quote,
        item=their_item,
        product=product,
        price=Decimal("1.00"),
        quantity=1,
        lead_time_days=1,
        note=marker[:200],
    )
    order = Order.objects.create(
        number=f"WALK-{enterprise.pk}-PO",
        seller=enterprise,
        buyer=third,
        buyer_name=third.name,
        note=f"order {marker}",
        status_note=marker,
    )
    order_line = OrderLine.objects.create(order=order, product=product, quantity=1, unit="kg", price=Decimal(1))
    draft = Listing.objects.create(
        enterprise=enterprise,
        kind=Listing.Kind.DEMAND,
        status=Listing.Status.DRAFT,
        category=category,
        title=f"draft {marker}",
        note=marker,
    )
    notice = Notice.objects.create(enterprise=enterprise, kind="walk", text=f"notice {marker}")
    objects = [own_rfq, item, quote, line, order, order_line, draft, notice]
    for obj in objects:
        obj.refresh_from_db()  # as stored (decimal places), so the walk compares like with like
    return objects
