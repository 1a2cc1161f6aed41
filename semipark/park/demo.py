"""The demo park: the facts of the municipal letter (data/park_facts.json) plus clearly marked demo values."""

import json
from decimal import Decimal
from importlib import resources

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from semipark.core.roles import Department, Role

from . import uscc
from .models import (
    ChainItem,
    ChainSegment,
    ChemicalParkGrade,
    Contact,
    Enterprise,
    EnterpriseProduct,
    EnterpriseStatus,
    Facility,
    Park,
    ParkPlan,
    Plot,
)

DEMO_PASSWORD = "demo"  # noqa: S105 - demo mode only, listed on the login page
DEMO_ACCOUNTS = [
    {"username": "office", "role": Role.OFFICE_ADMIN, "description": _("Park office admin")},
    {"username": "staff", "role": Role.OFFICE_STAFF, "description": _("Park office staff")},
    {
        "username": "tongmei",
        "role": Role.ENTERPRISE_ADMIN,
        "enterprise": "tongmei",
        "description": _("Enterprise admin of 通美晶体"),
    },
    {
        "username": "jinmei",
        "role": Role.ENTERPRISE_USER,
        "enterprise": "jinmei",
        "description": _("Enterprise user of 金美镓业"),
    },
    {
        "username": "boyu",
        "role": Role.ENTERPRISE_USER,
        "enterprise": "boyu",
        "description": _("Enterprise user of 博宇半导体"),
    },
    {
        "username": "regulator",
        "role": Role.REGULATOR,
        "department": Department.EMERGENCY,
        "description": _("Regulator, emergency management department"),
    },
]

SEGMENTS = [
    ("upstream", "上游原料", "Upstream raw materials"),
    ("vessels", "反应器皿与耗材", "Reaction vessels and consumables"),
    ("substrates", "核心衬底", "Core substrates"),
    ("recovery", "下游回收", "Downstream recovery"),
]

# code, segment, name, English name, made from
ITEMS = [
    ("gallium", "upstream", "高纯镓", "High-purity gallium", ["recovered-ga"]),
    ("arsenic", "upstream", "高纯砷", "High-purity arsenic", []),
    ("phosphorus", "upstream", "高纯磷", "High-purity phosphorus", []),
    ("quartz-sand", "upstream", "石英砂", "Quartz sand", []),
    ("pbn", "vessels", "PBN坩埚", "PBN crucibles", []),
    ("quartz-tube", "vessels", "石英管", "Quartz tubes", ["quartz-sand"]),
    ("rare-gas", "vessels", "高纯稀有气体(氪氙)", "High-purity rare gases (Kr, Xe)", []),
    ("helium", "vessels", "高纯氦气", "High-purity helium", []),
    (
        "wafers",
        "substrates",
        "砷化镓/磷化铟/锗衬底",
        "GaAs, InP and Ge substrates",
        ["gallium", "arsenic", "phosphorus", "pbn", "quartz-tube", "rare-gas", "helium"],
    ),
    ("recovered-ga", "recovery", "砷化镓回收镓", "Gallium recovered from GaAs scrap", ["wafers"]),
]

# code, full name (demo where the letter gives only the short name), short name, status, above size,
# registered capital (demo: the letter gives only the 3 billion total), items, product, capacity, unit, source
ENTERPRISES = [
    (
        "tongmei",
        "朝阳通美晶体科技有限公司",
        "通美晶体",
        EnterpriseStatus.PRODUCTION,
        True,
        1_000_000_000,
        ["wafers"],
        "砷化镓、锗、磷化铟衬底(折2英寸)",
        12_000_000,
        "片/年",
        True,
    ),
    (
        "jinmei",
        "朝阳金美镓业有限公司",
        "金美镓业",
        EnterpriseStatus.PRODUCTION,
        True,
        500_000_000,
        ["gallium"],
        "高纯半导体前驱材料",
        300,
        "吨/年",
        False,
    ),
    (
        "xinmei",
        "朝阳鑫美高纯半导体材料有限公司",
        "鑫美高纯砷",
        EnterpriseStatus.CONSTRUCTION,
        False,
        300_000_000,
        ["arsenic"],
        "高纯砷",
        100,
        "吨/年",
        True,
    ),
    (
        "boyu",
        "朝阳博宇半导体材料有限公司",
        "博宇半导体",
        EnterpriseStatus.PRODUCTION,
        True,
        400_000_000,
        ["pbn"],
        "PBN坩埚",
        20_000,
        "只/年",
        False,
    ),
    (
        "kaimei",
        "朝阳凯美石英科技有限公司",
        "凯美石英管",
        EnterpriseStatus.CONSTRUCTION,
        False,
        300_000_000,
        ["quartz-tube"],
        "大口径高品质石英管",
        2_500,
        "吨/年",
        False,
    ),
    (
        "tongweisu",
        "朝阳同位素高纯稀有气体有限公司",
        "同位素",
        EnterpriseStatus.CONSTRUCTION,
        False,
        200_000_000,
        ["rare-gas"],
        "氪氙气体",
        20,
        "吨/年",
        False,
    ),
    (
        "shuomei",
        "朝阳硕美砷化镓回收科技有限公司",
        "硕美(凯美)回收",
        EnterpriseStatus.CONSTRUCTION,
        False,
        300_000_000,
        ["recovered-ga"],
        "砷化镓回收",
        30,
        "吨/年",
        False,
    ),
]

NEGOTIATING = [
    ("quartzsand", "石英砂项目(在谈)", "石英砂项目", ["quartz-sand"]),
    ("phosphorus", "高纯磷项目(在谈)", "高纯磷项目", ["phosphorus"]),
    ("helium", "高纯氦气项目(在谈)", "高纯氦气项目", ["helium"]),
]

FACILITIES = [
    (Facility.Kind.ROAD, "园区道路(宽12-18米)", Decimal(2000), "延米", None, ""),
    (Facility.Kind.DRAINAGE, "雨污分流管网", Decimal(1500), "米", None, ""),
    (Facility.Kind.POWER, "66千伏新园变电站", Decimal(1), "座", None, "kVA"),
    (Facility.Kind.SEWAGE, "污水处理厂", Decimal(1), "座", Decimal(3000), "吨/日"),
    (Facility.Kind.GREENING, "道路两侧绿化亮化", None, "", None, ""),
    (Facility.Kind.RELOCATION, "园区内居民全部动迁", None, "", None, ""),
    (Facility.Kind.DIGITAL, "智慧监管平台", None, "", None, ""),
    (Facility.Kind.DIGITAL, "半导体工业互联网平台", None, "", None, ""),
]

KAZUO_DIVISION = "211324"  # 辽宁省朝阳市喀左县 administrative division code


def facts() -> dict:
    return json.loads(resources.files("semipark.park").joinpath("data/park_facts.json").read_text("utf-8"))


def demo_uscc(serial: int) -> str:
    """A credit code that passes GB 32100-2015 and GB 11714 checks; demo data, not a real registration."""
    body = f"MA{serial:06d}"
    values = [uscc.CHARSET.index(c) if c.isdigit() else ord(c) - 55 for c in body]
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    check = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    org = body + {10: "X", 11: "0"}.get(check, str(check))
    first17 = "91" + KAZUO_DIVISION + org
    return first17 + uscc.check_character(first17)


def load() -> Park:
    """Create the demo park once; a second call returns the existing park."""
    existing = Park.objects.filter(code="kazuo").first()
    if existing:
        return existing
    data = facts()["park"]
    park = Park.objects.create(
        code="kazuo",
        name=data["name"],
        province="辽宁省",
        city="朝阳市",
        county="喀左县",
        area_km2=Decimal(str(data["planned_area_km2"]["value"])),
        positioning="以发展信息半导体新材料及上下游产品为主导的现代化园区",
        management_office="朝阳喀左经济开发区信息半导体产业园管理办公室",
        chemical_park_document="辽工信〔2021〕215号",
        chemical_park_recognised="2021-12-01",
    )
    ChemicalParkGrade.objects.create(
        park=park,
        date="2021-12-01",
        event="化工园区认定(辽宁省第一批)",
        document="辽工信〔2021〕215号",
        note="日期为月份,具体日期为演示值",
    )
    ChemicalParkGrade.objects.create(park=park, date="2022-12-01", event="省多部门联合复检", grade="C")
    for title in data["plans"]:
        ParkPlan.objects.create(park=park, title=title, year=2021)

    segments = {
        code: ChainSegment.objects.create(park=park, code=code, name=name, name_en=en, order=i)
        for i, (code, name, en) in enumerate(SEGMENTS)
    }
    items = {
        code: ChainItem.objects.create(segment=segments[seg], code=code, name=name, name_en=en)
        for code, seg, name, en, _inputs in ITEMS
    }
    for code, _seg, _name, _en, inputs in ITEMS:
        items[code].inputs.set([items[i] for i in inputs])

    for serial, row in enumerate(ENTERPRISES, start=1):
        code, name, short, status, above, capital, item_codes, product, capacity, unit, product_demo = row
        enterprise = Enterprise.objects.create(
            park=park,
            code=code,
            name=name,
            short_name=short,
            status=status,
            above_size=above,
            registered_capital=Decimal(capital),
            uscc=demo_uscc(serial),
            demo_fields=["name", "uscc", "registered_capital", "founded", "address"],
            founded=f"{2016 + serial % 5}-06-01",
            address=f"喀左经济开发区信息半导体产业园 {serial} 号地块",
        )
        enterprise.chain_items.set([items[c] for c in item_codes])
        EnterpriseProduct.objects.create(
            enterprise=enterprise,
            chain_item=items[item_codes[0]],
            name=product,
            capacity=Decimal(capacity),
            unit=unit,
            is_demo=product_demo,
        )
        Contact.objects.create(
            enterprise=enterprise,
            name=f"{short}安全负责人",
            title="安全总监",
            phone=f"0421-48{serial:02d}0001",
            emergency=True,
        )
        Contact.objects.create(
            enterprise=enterprise, name=f"{short}联络员", title="综合办", phone=f"0421-48{serial:02d}0002"
        )
    for code, name, short, item_codes in NEGOTIATING:
        enterprise = Enterprise.objects.create(
            park=park, code=code, name=name, short_name=short, status=EnterpriseStatus.NEGOTIATING
        )
        enterprise.chain_items.set([items[c] for c in item_codes])

    for kind, name, quantity, unit, capacity, capacity_unit in FACILITIES:
        Facility.objects.create(
            park=park,
            kind=kind,
            name=name,
            quantity=quantity,
            unit=unit,
            capacity=capacity,
            capacity_unit=capacity_unit,
        )
    _load_plots(park)
    return park


def _load_plots(park: Park) -> None:
    """A schematic site plan: a 4 x 3 grid of plots along two roads, in metres from the south-west corner."""
    enterprises = list(Enterprise.objects.filter(park=park).exclude(status=EnterpriseStatus.NEGOTIATING))
    width, depth, road = 220, 160, 30
    n = 0
    for row in range(3):
        for col in range(4):
            x0, y0 = col * (width + road), row * (depth + road)
            enterprise = enterprises[n] if n < len(enterprises) else None
            Plot.objects.create(
                park=park,
                code=f"A-{row + 1}{col + 1}",
                enterprise=enterprise,
                area_m2=Decimal(width * depth),
                status=Plot.Status.OCCUPIED if enterprise else Plot.Status.AVAILABLE,
                geometry={
                    "type": "Polygon",
                    "coordinates": [[[x0, y0], [x0 + width, y0], [x0 + width, y0 + depth], [x0, y0 + depth], [x0, y0]]],
                },
            )
            n += 1
    east, north = 4 * width + 3 * road, 3 * depth + 2 * road
    mid_y, mid_x = depth + road / 2, 2 * width + road * 1.5
    park.site_plan = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kind": "road", "name": "纬一路"},
                "geometry": {"type": "LineString", "coordinates": [[0, mid_y], [east, mid_y]]},
            },
            {
                "type": "Feature",
                "properties": {"kind": "road", "name": "经一路"},
                "geometry": {"type": "LineString", "coordinates": [[mid_x, 0], [mid_x, north]]},
            },
        ],
    }
    park.save(update_fields=["site_plan"])


def create_accounts() -> None:
    """The demo accounts, one per role, all with the password ``demo``. Demo mode only."""
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        enterprise = Enterprise.objects.get(code=account["enterprise"]) if "enterprise" in account else None
        user, created = User.objects.get_or_create(
            username=account["username"],
            defaults={
                "role": account["role"],
                "enterprise": enterprise,
                "department": account.get("department", ""),
                "is_staff": account["role"] == Role.OFFICE_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
