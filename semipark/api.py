"""The JSON API under /api/v1/: one NinjaAPI that mounts each app's router and maps errors to JSON."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from semipark.core import messages
from semipark.core.auth import API_AUTH
from semipark.core.statemachine import TransitionRefused

api = NinjaAPI(
    title="semipark API",
    version="1",
    urls_namespace="api",
    auth=API_AUTH,
    description="Park registry, supervision, industrial internet platform and park office workbench.",
)


def _field_errors(request, status: int, message: str, errors: dict):
    return api.create_response(request, {"message": message, "errors": errors}, status=status)


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ())]
        # Body errors are located as ("body", <parameter name>, field, ...), the others as (source, field, ...):
        # drop the source and the parameter name so the key is the field the user typed ("chain_items.0").
        loc = loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else loc[1:]
        key = ".".join(loc) or "__all__"
        errors.setdefault(key, []).append(err.get("msg", ""))
    return _field_errors(request, 422, str(messages.FIELDS_NOT_VALID), errors)


@api.exception_handler(ValidationError)
def on_model_error(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _field_errors(request, 400, str(messages.FIELDS_NOT_VALID), errors)


@api.exception_handler(TransitionRefused)
def on_transition_refused(request, exc):
    return api.create_response(request, {"message": str(exc), "state": exc.state, "action": exc.action}, status=409)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, {"message": str(exc) or str(messages.NOT_ALLOWED)}, status=403)


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request, exc):
    return api.create_response(request, {"message": str(messages.NOT_FOUND)}, status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    """Errors raised as HttpError (a page past the end, a refused CSRF check) in the same shape as the rest."""
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"message": str(messages.SIGN_IN)}, status=401)


def _mount():
    from semipark.core.api import router as core_router
    from semipark.ingest.api import router as ingest_router
    from semipark.market.api import router as market_router
    from semipark.park.api import router as park_router
    from semipark.supervision.api import router as supervision_router
    from semipark.trace.api import router as trace_router

    api.add_router("/", core_router)
    api.add_router("/park/", park_router)
    api.add_router("/supervision/", supervision_router)
    api.add_router("/ingest", ingest_router)
    api.add_router("/market/", market_router)
    api.add_router("/market/", trace_router)


_mount()
