from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from semipark.core.pagination import Pages
from semipark.core.schemas import FieldErrors, Message

from .chain import chain_coverage
from .models import ChainItem, Contact, Enterprise, Facility, Plot
from .queries import current_park, enterprises_for, search_enterprises
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
from .services import save_enterprise

router = Router(tags=["park"])


@router.get("/", response=ParkOut)
def park(request):
    """The park: name, location, area and chemical-park recognition."""
    return current_park(request.user)


@router.get("/enterprises", response=list[EnterpriseOut])
@paginate(Pages)
def list_enterprises(request, filters: Query[EnterpriseFilter]):
    """The enterprise register, searchable by name or credit code and filterable by status and segment."""
    return search_enterprises(enterprises_for(request.user), **filters.dict(exclude_none=True))


@router.get("/enterprises/{int:enterprise_id}", response=EnterpriseOut)
def get_enterprise(request, enterprise_id: int):
    return get_object_or_404(enterprises_for(request.user), pk=enterprise_id)


@router.post("/enterprises", response={201: EnterpriseOut, 400: FieldErrors, 403: Message})
def create_enterprise(request, body: EnterpriseIn):
    """Register an enterprise (park office)."""
    data = body.dict()
    items = _chain_items(request.user, data.pop("chain_items"))
    enterprise = Enterprise(park=current_park(request.user))
    save_enterprise(request.user, enterprise, data, chain_items=items)
    return 201, enterprise


@router.patch("/enterprises/{int:enterprise_id}", response={200: EnterpriseOut, 400: FieldErrors, 403: Message})
def update_enterprise(request, enterprise_id: int, body: EnterpriseUpdate):
    """Change a register entry: the park office all of it, an enterprise admin its own description and address."""
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user, "change"), pk=enterprise_id)
    data = body.dict(exclude_unset=True)
    items = None
    if "chain_items" in data:
        items = _chain_items(request.user, data.pop("chain_items") or [])
    save_enterprise(request.user, enterprise, data, chain_items=items)
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


def _chain_items(user, ids: list[int]) -> list[ChainItem]:
    """The chain items with these ids; an unknown id is an error, not silently dropped."""
    items = list(ChainItem.objects.visible_to(user).filter(pk__in=ids))
    unknown = sorted(set(ids) - {item.pk for item in items})
    if unknown:
        raise ValidationError(
            {"chain_items": [_("Unknown chain item ids: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}]}
        )
    return items
