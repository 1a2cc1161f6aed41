from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from semipark.core import services
from semipark.core.pagination import Pages
from semipark.core.schemas import FieldErrors, Message

from .chain import chain_coverage
from .models import ChainItem, Contact, Enterprise, Facility, Park, Plot
from .schemas import (
    ChainOut,
    ContactOut,
    EnterpriseFilter,
    EnterpriseIn,
    EnterpriseOut,
    EnterpriseUpdate,
    FacilityOut,
    ParkOut,
    PlotOut,
)

router = Router(tags=["park"])

ENTERPRISE_ORDERS = {"id", "-id", "name", "-name", "registered_capital", "-registered_capital", "status", "-status"}


def current_park(user) -> Park:
    return get_object_or_404(Park.objects.visible_to(user).order_by("id")[:1])


def enterprises_for(user, action="view"):
    return Enterprise.objects.visible_to(user, action).prefetch_related("chain_items__segment", "products")


@router.get("/", response=ParkOut)
def park(request):
    """The park: name, location, area and chemical-park recognition."""
    return current_park(request.user)


@router.get("/enterprises", response=list[EnterpriseOut])
@paginate(Pages)
def list_enterprises(request, filters: Query[EnterpriseFilter]):
    """The enterprise register, searchable by name or credit code and filterable by status and segment."""
    rows = enterprises_for(request.user)
    if filters.q:
        rows = rows.filter(Q(name__icontains=filters.q) | Q(short_name__icontains=filters.q) | Q(uscc=filters.q))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.segment:
        rows = rows.filter(chain_items__segment__code=filters.segment).distinct()
    return rows.order_by(filters.order if filters.order in ENTERPRISE_ORDERS else "id")


@router.get("/enterprises/{int:enterprise_id}", response=EnterpriseOut)
def get_enterprise(request, enterprise_id: int):
    return get_object_or_404(enterprises_for(request.user), pk=enterprise_id)


@router.post("/enterprises", response={201: EnterpriseOut, 400: FieldErrors, 403: Message})
def create_enterprise(request, body: EnterpriseIn):
    """Register an enterprise (park office)."""
    data = body.dict()
    items = list(ChainItem.objects.filter(pk__in=data.pop("chain_items")))
    enterprise = Enterprise(park=current_park(request.user))
    services.save(request.user, enterprise, data, m2m={"chain_items": items})
    return 201, enterprise


@router.patch("/enterprises/{int:enterprise_id}", response={200: EnterpriseOut, 400: FieldErrors})
def update_enterprise(request, enterprise_id: int, body: EnterpriseUpdate):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user, "change"), pk=enterprise_id)
    data = body.dict(exclude_unset=True)
    m2m = {}
    if "chain_items" in data:
        m2m["chain_items"] = list(ChainItem.objects.filter(pk__in=data.pop("chain_items") or []))
    services.save(request.user, enterprise, data, m2m=m2m)
    return enterprise


@router.get("/enterprises/{int:enterprise_id}/contacts", response=list[ContactOut])
def enterprise_contacts(request, enterprise_id: int):
    """Contacts of an enterprise (its own staff, the park office and regulators)."""
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user, "view_private"), pk=enterprise_id)
    return Contact.objects.visible_to(request.user).filter(enterprise=enterprise)


@router.get("/chain", response=ChainOut)
def chain(request):
    """Chain segments and items, each item with what it is made from and whether the park covers it."""
    segments, items = chain_coverage(current_park(request.user))
    return {
        "segments": segments,
        "items": [
            {
                "id": c.item.pk,
                "code": c.item.code,
                "name": c.item.name,
                "name_en": c.item.name_en,
                "segment": c.item.segment.code,
                "inputs": [i.pk for i in c.item.inputs.all()],
                "coverage": c.coverage,
                "enterprises": [e.pk for e in c.enterprises],
            }
            for c in items
        ],
    }


@router.get("/facilities", response=list[FacilityOut])
def facilities(request):
    return Facility.objects.visible_to(request.user)


@router.get("/plots", response=list[PlotOut])
def plots(request):
    return Plot.objects.visible_to(request.user)
