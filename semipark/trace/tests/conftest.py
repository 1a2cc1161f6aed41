import pytest

from semipark.park.models import Enterprise


@pytest.fixture
def firms(park):
    return {e.code: e for e in Enterprise.objects.all()}


@pytest.fixture
def chain(people):
    """The demo lot chain, built through the services as the park office."""
    from semipark.trace import demo

    return demo.chain(people["office"])


@pytest.fixture(autouse=True)
def english():
    """Service messages are checked in the source language (pages and API answer in the request's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
