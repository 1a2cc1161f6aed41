"""Lot identifiers in the industrial-internet identifier style and their printable QR labels."""

import io
import secrets

import segno
from django.conf import settings
from django.utils import timezone


def identifier(enterprise_code: str, lot_code: str) -> str:
    """``<prefix>/<enterprise code>/<lot>``; the prefix is the park's identifier prefix (settings)."""
    return f"{settings.IDENTIFIER_PREFIX}/{enterprise_code}/{lot_code}"


def next_lot_code(enterprise, day=None, also_taken=frozenset()) -> str:
    """A fresh lot number for ``enterprise``: date and a running count (``20261128-003``).

    ``also_taken`` holds codes given to lots built but not yet saved in the same operation.
    """
    from .models import Lot

    stem = f"{(day or timezone.localdate()):%Y%m%d}-"
    taken = set(Lot.objects.filter(enterprise=enterprise, code__startswith=stem).values_list("code", flat=True))
    taken |= set(also_taken)
    n = len(taken) + 1
    while f"{stem}{n:03d}" in taken:
        n += 1
    return f"{stem}{n:03d}"


def next_shipment_number() -> str:
    return f"SH-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3).upper()}"


def qr_svg(text: str, scale: int = 4) -> str:
    """The QR code of ``text`` as inline SVG markup (error correction M, fit for printed labels)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def qr_png(text: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
