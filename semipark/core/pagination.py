from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase


class Pages(PaginationBase):
    """Page-number pagination: ``?page=1&page_size=50`` (at most 500), with the total count."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=500)

    class Output(Schema):
        items: list
        count: int
        page: int
        pages: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        count = queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset)
        pages = max(1, -(-count // pagination.page_size))
        if pagination.page > pages:
            raise HttpError(
                404, _("Page %(page)s does not exist; there are %(pages)s.") % {"page": pagination.page, "pages": pages}
            )
        start = (pagination.page - 1) * pagination.page_size
        return {
            "items": queryset[start : start + pagination.page_size],
            "count": count,
            "page": pagination.page,
            "pages": pages,
        }
