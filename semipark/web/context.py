from django.conf import settings

from .navigation import menu_for


def site(request):
    """Navigation and demo-mode flags for every page."""
    user = getattr(request, "user", None)
    return {
        "DEMO": settings.DEMO,
        "nav": menu_for(user, request.path) if user is not None and user.is_authenticated else [],
    }
