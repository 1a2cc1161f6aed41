"""Rate limiting of failed sign-ins, shared by the login page and the token endpoint."""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str) -> list[str]:
    return [f"login-fail:user:{username.lower()}", f"login-fail:ip:{ip}"]


def locked_out(username: str, ip: str) -> bool:
    return any((cache.get(k) or 0) >= settings.LOGIN_MAX_FAILURES for k in _keys(username, ip))


def failed(username: str, ip: str) -> None:
    for key in _keys(username, ip):
        cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def succeeded(username: str, ip: str) -> None:
    cache.delete(_keys(username, ip)[0])


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
