"""Demo market: the catalog of the seven park enterprises, listings, RFQs and orders in different states.

Prices, lead times and specifications are demonstration values, typical of the trade but not quotations.
"""

from datetime import timedelta
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from django.utils import timezone

from semipark.core.roles import Role
from semipark.park.models import ChainItem, Enterprise

from . import orders, rfqs
from .listings import save_listing
from .models import Category, CategoryKind, Listing, Order, Product

# code, name, English name, kind, chain item
CATEGORIES = [
    ("gallium", "高纯镓", "High-purity gallium", CategoryKind.METAL, "gallium"),
    ("arsenic", "高纯砷", "High-purity arsenic", CategoryKind.METAL, "arsenic"),
    ("pbn", "PBN坩埚", "PBN crucibles", CategoryKind.VESSEL, "pbn"),
    ("quartz", "石英管与石英器皿", "Quartz tubes and ware", CategoryKind.VESSEL, "quartz-tube"),
    ("rare-gas", "高纯稀有气体", "High-purity rare gases", CategoryKind.GAS, "rare-gas"),
    ("wafers", "衬底与晶片", "Substrates and wafers", CategoryKind.SUBSTRATE, "wafers"),
    ("recovery", "回收服务", "Recovery services", CategoryKind.RECOVERY, "recovered-ga"),
    ("equipment", "设备", "Equipment", CategoryKind.EQUIPMENT, None),
]

# enterprise, category, name, English name, specs, unit, price, lead time, HS code
PRODUCTS = [
    (
        "jinmei",
        "gallium",
        "7N高纯镓",
        "7N high-purity gallium",
        {"element": "Ga", "purity": "7N", "form": "ingot", "impurity_limits_ppm": {"Cu": 0.01, "Fe": 0.01, "Zn": 0.01}},
        "kg",
        D("2400.00"),
        15,
        "8112929010",
    ),
    (
        "jinmei",
        "gallium",
        "6N高纯镓",
        "6N high-purity gallium",
        {"element": "Ga", "purity": "6N", "form": "ingot"},
        "kg",
        D("1900.00"),
        7,
        "8112929010",
    ),
    (
        "xinmei",
        "arsenic",
        "7N高纯砷",
        "7N high-purity arsenic",
        {"element": "As", "purity": "7N", "form": "lump"},
        "kg",
        D("1500.00"),
        20,
        "2804800000",
    ),
    (
        "boyu",
        "pbn",
        "PBN坩埚(4英寸VGF)",
        "PBN crucible for 4-inch VGF",
        {"material": "PBN", "shape": "crucible", "outer_diameter_mm": 110, "inner_diameter_mm": 104, "length_mm": 300},
        "pcs",
        D("8500.00"),
        30,
        "6903909000",
    ),
    (
        "kaimei",
        "quartz",
        "大口径石英管",
        "Large-diameter quartz tube",
        {"material": "quartz", "shape": "tube", "outer_diameter_mm": 180, "wall_mm": 5, "length_mm": 1200},
        "pcs",
        None,
        25,
        "7002310000",
    ),
    (
        "tongweisu",
        "rare-gas",
        "高纯氪气",
        "High-purity krypton",
        {"gas": "Kr", "purity": "5N", "package": "40 L cylinder"},
        "bottle",
        D("6800.00"),
        10,
        "2804290000",
    ),
    (
        "tongweisu",
        "rare-gas",
        "高纯氙气",
        "High-purity xenon",
        {"gas": "Xe", "purity": "5N", "package": "40 L cylinder"},
        "bottle",
        None,
        10,
        "2804290000",
    ),
    (
        "tongmei",
        "wafers",
        "4英寸半绝缘砷化镓衬底",
        "4-inch semi-insulating GaAs substrate",
        {
            "material": "GaAs",
            "diameter_in": 4,
            "conduction": "SI",
            "dopant": "C",
            "orientation": "(100)",
            "resistivity_ohm_cm": {"min": 1e7},
            "mobility_cm2_vs": {"min": 5000},
            "epd_cm2": {"max": 3000},
            "thickness_um": {"min": 600, "max": 650},
            "grade": "prime",
        },
        "pcs",
        D("420.00"),
        30,
        "3818009004",
    ),
    (
        "tongmei",
        "wafers",
        "3英寸N型磷化铟衬底",
        "3-inch n-type InP substrate",
        {
            "material": "InP",
            "diameter_in": 3,
            "conduction": "N",
            "dopant": "S",
            "orientation": "(100)",
            "carrier_cm3": {"min": 1e18, "max": 8e18},
            "epd_cm2": {"max": 5000},
            "thickness_um": {"min": 575, "max": 625},
        },
        "pcs",
        D("1600.00"),
        45,
        "3818009090",
    ),
    (
        "tongmei",
        "wafers",
        "4英寸锗衬底",
        "4-inch germanium substrate",
        {
            "material": "Ge",
            "diameter_in": 4,
            "conduction": "P",
            "dopant": "Ga",
            "orientation": "(100)",
            "off_cut_deg": 6,
            "epd_cm2": {"max": 500},
            "thickness_um": {"min": 165, "max": 185},
        },
        "pcs",
        D("380.00"),
        30,
        "8112921090",
    ),
    (
        "shuomei",
        "recovery",
        "砷化镓废料回收",
        "GaAs scrap recovery",
        {"feed": "scrap-GaAs", "recovered": "Ga", "recovery_rate_pct": 95, "min_batch_kg": 50},
        "kg",
        None,
        40,
        "",
    ),
]


def load(park) -> None:
    if Category.objects.exists():
        return
    items = {i.code: i for i in ChainItem.objects.filter(segment__park=park)}
    categories = {}
    for order, (code, name, name_en, kind, item) in enumerate(CATEGORIES):
        categories[code] = Category.objects.create(
            code=code, name=name, name_en=name_en, kind=kind, chain_item=items.get(item), order=order
        )
    firms = {e.code: e for e in Enterprise.objects.filter(park=park)}
    products = {}
    for code, cat, name, name_en, specs, unit, price, lead, hs in PRODUCTS:
        product = Product(
            enterprise=firms[code],
            category=categories[cat],
            name=name,
            name_en=name_en,
            specs=specs,
            unit=unit,
            price=price,
            lead_time_days=lead,
            hs_code=hs,
        )
        product.full_clean()
        product.save()
        products[name_en] = product
    people = {code: _member(firms[code]) for code in firms if code in dict.fromkeys(p[0] for p in PRODUCTS)}
    _listings(people, categories, products)
    _trade(people, products)


def _member(enterprise):
    """The enterprise's first member, or a demo member the market can act for."""
    User = get_user_model()
    user = User.objects.filter(enterprise=enterprise).order_by("id").first()
    if user is None:
        user = User(username=f"{enterprise.code}-market", role=Role.ENTERPRISE_USER, enterprise=enterprise)
        user.set_unusable_password()  # acts in the demo data only; nobody signs in as it
        user.save()
    return user


def _listings(people, categories, products) -> None:
    for name_en, quantity, price in [
        ("7N high-purity gallium", D(500), D("2350.00")),
        ("4-inch semi-insulating GaAs substrate", D(20000), D("410.00")),
        ("High-purity krypton", D(200), None),
    ]:
        product = products[name_en]
        save_listing(
            people[product.enterprise.code],
            Listing(),
            {
                "kind": Listing.Kind.OFFER,
                "product": product,
                "title": product.name,
                "quantity": quantity,
                "price": price,
                "lead_time_days": product.lead_time_days,
            },
        )
    save_listing(
        people["shuomei"],
        Listing(),
        {
            "kind": Listing.Kind.DEMAND,
            "category": categories["wafers"],
            "title": "求购砷化镓晶片边角料",
            "specs": {"material": "GaAs"},
            "quantity": D(2000),
            "unit": "pcs",
        },
    )
    save_listing(
        people["tongmei"],
        Listing(),
        {
            "kind": Listing.Kind.DEMAND,
            "category": categories["gallium"],
            "title": "求购6N以上高纯镓",
            "specs": {"element": "Ga", "purity": "6N"},
            "quantity": D(300),
            "unit": "kg",
        },
    )
    save_listing(
        people["tongmei"],
        Listing(),
        {
            "kind": Listing.Kind.DEMAND,
            "category": categories["rare-gas"],
            "title": "求购高纯氦气(园区暂无供应)",
            "specs": {"gas": "He", "purity": "6N"},
            "quantity": D(100),
            "unit": "bottle",
        },
    )


def _trade(people, products) -> None:
    """An awarded RFQ with an order to accept, an open RFQ, and orders in several states."""
    tongmei, jinmei = people["tongmei"], people["jinmei"]
    gallium = products["7N high-purity gallium"]
    now = timezone.now()
    rfq = rfqs.create_rfq(
        tongmei,
        {
            "title": "7N高纯镓季度采购",
            "delivery_date": (now + timedelta(days=30)).date(),
            "closes_at": now + timedelta(days=7),
        },
        [
            {
                "category": gallium.category,
                "description": "7N高纯镓锭",
                "specs": {"element": "Ga", "purity": "7N"},
                "quantity": D(200),
                "unit": "kg",
            }
        ],
        [jinmei.enterprise_id],
    )
    item = rfq.items.get()
    rfqs.submit_quote(
        jinmei,
        rfq,
        [{"item_id": item.pk, "product_id": gallium.pk, "price": D("2380.00"), "lead_time_days": 15}],
        (now + timedelta(days=30)).date(),
        "含税到厂价",
    )
    (order,) = rfqs.award(tongmei, rfq, [rfq.quotes.get().lines.get().pk])
    orders.transition(jinmei, order, "start_production")

    pbn = products["PBN crucible for 4-inch VGF"]
    rfqs.create_rfq(
        tongmei,
        {
            "title": "PBN坩埚补货",
            "delivery_date": (now + timedelta(days=45)).date(),
            "closes_at": now + timedelta(days=10),
        },
        [
            {
                "category": pbn.category,
                "description": "4英寸VGF用PBN坩埚",
                "specs": {"material": "PBN"},
                "quantity": D(40),
                "unit": "pcs",
            }
        ],
        None,
    )
    arsenic = products["7N high-purity arsenic"]
    direct = orders.create_order(
        people["xinmei"],
        {"buyer_id": tongmei.enterprise_id, "note": "年度框架协议"},
        [{"product_id": arsenic.pk, "quantity": D(50)}],
    )
    # Shipping needs lots, which the traceability demo registers after this one.
    orders.transition(people["xinmei"], direct, "start_production")
    krypton = products["High-purity krypton"]
    cancelled = orders.create_order(
        people["tongweisu"], {"buyer_id": tongmei.enterprise_id}, [{"product_id": krypton.pk, "quantity": D(5)}]
    )
    orders.transition(tongmei, cancelled, "cancel", "规格变更,改订氙气")
    wafers = products["4-inch semi-insulating GaAs substrate"]
    # An export of controlled GaAs wafers with no licence for the destination: shipping it is refused.
    orders.create_order(
        tongmei,
        {"buyer_name": "Example Devices Inc., San Jose", "destination_country": "US", "note": "待出口许可"},
        [{"product_id": wafers.pk, "quantity": D(300), "price": D("430.00")}],
    )
    Order.objects.filter(pk=order.pk).update(note="季度采购")
