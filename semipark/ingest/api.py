"""``POST /api/v1/ingest``: a device sends its readings over HTTP with its own token, same payload as MQTT."""

import logging

from django.db import DatabaseError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import HttpBearer

from .pipeline import Message, Pipeline
from .tokens import authenticate

log = logging.getLogger(__name__)

router = Router(tags=["ingest"])

_pipeline: Pipeline | None = None


def pipeline() -> Pipeline:
    """One pipeline per process, so the sensor map and the alarm engine's state are shared by requests."""
    global _pipeline
    if _pipeline is None:
        _pipeline = Pipeline()
    return _pipeline


class DeviceToken(HttpBearer):
    def authenticate(self, request, token):
        device = authenticate(token)
        if device is not None:
            request.device = device
        return device


class RefusedOut(Schema):
    item: int | None
    key: str | None
    reason: str
    detail: str


class IngestOut(Schema):
    accepted: int
    refused: list[RefusedOut]


class ErrorOut(Schema):
    message: str


@router.post("", auth=DeviceToken(), response={200: IngestOut, 400: IngestOut, 503: ErrorOut}, url_name="ingest")
def ingest(request):
    """Store the readings in the body (one object or a list of {ts, values}) for the device owning the token.

    Keys are looked up among this device's own sensors only. The answer counts the accepted values and lists
    every refused item with its reason; refused items are also kept as dead letters. 400 when nothing at all
    could be read from the body.
    """
    message = Message(payload=request.body, transport="http", device_id=request.device.id)
    try:
        (outcome,) = pipeline().process([message])
    except DatabaseError:
        log.exception("HTTP ingest failed on the database")
        return 503, {"message": _("The database is unavailable; send the readings again later.")}
    body = {"accepted": outcome.accepted, "refused": [r.as_dict() for r in outcome.refused]}
    whole_message_refused = outcome.refused and outcome.refused[0].item is None
    return (400 if whole_message_refused else 200), body
