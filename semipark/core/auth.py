"""Authentication for the API: the browser session, or a personal bearer token."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from . import throttle
from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class LockedOut(Exception):
    pass


def check_password(request, username: str, password: str):
    """The user for these credentials, or None; raises LockedOut after too many failures."""
    ip = throttle.client_ip(request)
    if throttle.locked_out(username, ip):
        raise LockedOut(_("Too many failed sign-in attempts. Try again later."))
    user = authenticate(request, username=username, password=password)
    if user is None:
        throttle.failed(username, ip)
        return None
    throttle.succeeded(username, ip)
    return user


# The token first: the session check demands a CSRF token on writes and would refuse a bearer-token POST
# before the token were looked at. A request without a bearer header falls through to the session.
API_AUTH = [TokenAuth(), SessionAuth()]
