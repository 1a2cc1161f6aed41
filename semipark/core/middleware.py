"""Request-scoped context: one id per request groups the audit entries it wrote."""

import uuid
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("semipark_request_id", default="")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.set(request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            response["X-Request-Id"] = request_id.get()
            return response
        finally:
            request_id.reset(token)
