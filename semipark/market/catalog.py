"""Catalog operations: search, saving products, attaching photos and data sheets, export-control flags."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from semipark.core import audit
from semipark.core import services as core_services
from semipark.core.scoping import ensure_may

from .matching import spec_filter
from .models import Product, ProductFile

MAX_FILE_BYTES = getattr(settings, "MARKET_MAX_FILE_BYTES", 10 * 1024 * 1024)
# Accepted uploads by kind: extension → leading bytes of the file (so a renamed file is refused).
FILE_TYPES = {
    ProductFile.Kind.PHOTO: {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG", ".webp": b"RIFF"},
    ProductFile.Kind.DATASHEET: {".pdf": b"%PDF"},
}


def search(queryset, text: str = "", category=None, fields=("name", "name_en", "description"), **limits):
    """Products (or listings) whose name, English name, description or specs contain ``text``, within ``limits``.

    ``limits`` are spec columns as a demand would state them (material, conduction, diameter_in, purity_n,
    epd_max, resistivity_min, ...); the same filter as matching, so search and matching agree.
    """
    if category:
        queryset = queryset.filter(category=category)
    if text := text.strip():
        queryset = queryset.annotate(specs_text=Cast("specs", TextField()))
        words = Q()
        for field in (*fields, "specs_text", "enterprise__short_name", "enterprise__name"):
            words |= Q(**{f"{field}__icontains": text})
        queryset = queryset.filter(words)
    return queryset.filter(spec_filter(limits))


def save_product(user, product: Product, fields: dict) -> Product:
    """Create or change a product of the user's own enterprise (validated specs, audited)."""
    if product._state.adding and "enterprise" not in fields and "enterprise_id" not in fields:
        if not user.enterprise_id:
            raise PermissionDenied(_("Only an enterprise may list products."))
        fields = {**fields, "enterprise_id": user.enterprise_id}
    return core_services.save(user, product, fields)


def attach_file(user, product: Product, kind: str, upload, title: str = "") -> ProductFile:
    """Store a photo or data sheet after checking its size and type."""
    if kind not in FILE_TYPES:
        raise ValidationError({"kind": [_("Choose photo or data sheet.")]})
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    signatures = FILE_TYPES[kind]
    if extension not in signatures:
        raise ValidationError(
            {"file": [_("Accepted file types: %(types)s.") % {"types": ", ".join(sorted(signatures))}]}
        )
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}]}
        )
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(signatures[extension]):
        raise ValidationError({"file": [_("The file content does not match its type %(ext)s.") % {"ext": extension}]})
    with transaction.atomic():
        ensure_may(user, product, "change")
        stored = ProductFile(product=product, kind=kind, title=title[:120], size=upload.size)
        stored.file.save(upload.name, upload, save=False)
        stored.full_clean()
        stored.save()
        audit.created(user, stored)
    return stored


def export_control(hs_code: str, name: str = ""):
    """The controlled item an HS code or name falls under, or None (also None until export-control data exists)."""
    try:
        from semipark.trace.exportcontrol import match
    except ImportError:
        return None
    if not hs_code and not name:
        return None
    return match(hs_code, name=name)


def controlled_item(obj):
    """The controlled item a product (by HS code and name) or an RFQ item (by description) falls under."""
    return export_control(getattr(obj, "hs_code", ""), getattr(obj, "name", "") or getattr(obj, "description", ""))
