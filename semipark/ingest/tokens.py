"""Device tokens for the HTTP ingest API: only the sha256 digest is stored, the raw token is shown once."""

import hashlib
import secrets

from semipark.supervision.models import Device

PREFIX = "spd_"


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_device_token(device: Device) -> str:
    """Give the device a new token (the previous one stops working) and return the raw token."""
    raw = PREFIX + secrets.token_urlsafe(32)
    device.token_prefix = raw[len(PREFIX) : len(PREFIX) + 8]
    device.token_digest = digest(raw)
    Device.objects.filter(pk=device.pk).update(token_prefix=device.token_prefix, token_digest=device.token_digest)
    return raw


def authenticate(raw: str) -> Device | None:
    """The active device owning this token, or None."""
    if not raw:
        return None
    return Device.objects.filter(token_digest=digest(raw), active=True).first()
