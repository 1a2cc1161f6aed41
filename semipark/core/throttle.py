"""Rate limiting of failed sign-ins, shared by the login page and the token endpoint.

A user name is locked after LOGIN_MAX_FAILURES failures; an address after IP_FACTOR times as many, across all
user names, so one person's typos lock only their own account while guessing many accounts from one machine
is still stopped. Both locks last LOGIN_LOCKOUT_SECONDS from the first failure.
"""

from django.conf import settings
from django.core.cache import cache

IP_FACTOR = 4


def _user_key(username: str) -> str:
    return f"login-fail:user:{username.lower()}"


def _ip_key(ip: str) -> str:
    return f"login-fail:ip:{ip}"


def locked_out(username: str, ip: str) -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    return (cache.get(_user_key(username)) or 0) >= limit or (cache.get(_ip_key(ip)) or 0) >= limit * IP_FACTOR


def failed(username: str, ip: str) -> None:
    for key in (_user_key(username), _ip_key(ip)):
        cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def succeeded(username: str, ip: str) -> None:
    cache.delete(_user_key(username))


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
