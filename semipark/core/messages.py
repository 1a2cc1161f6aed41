"""Messages of the API's error answers, kept in core so core's catalogue translates them."""

from django.utils.translation import gettext_lazy as _

FIELDS_NOT_VALID = _("Some fields are not valid.")
NOT_ALLOWED = _("Not allowed.")
NOT_FOUND = _("Not found.")
SIGN_IN = _("Sign in or send a bearer token.")
