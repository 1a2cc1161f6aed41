"""Amounts the way park users read them: 万元 and 亿元 in Chinese, millions and billions in English."""

from decimal import Decimal

import pytest
from django.utils import translation

from semipark.web.templatetags.semipark import is_demo, yuan


@pytest.mark.parametrize(
    ("amount", "chinese", "english"),
    [
        (3_000_000_000, "30 亿元", "¥3 billion"),
        (100_000_000, "1 亿元", "¥100 million"),
        (99_999_999, "1 亿元", "¥100 million"),  # the unit follows the rounding to two places
        (999_999_999, "10 亿元", "¥1 billion"),
        (25_000_000, "2500 万元", "¥25 million"),
        (2_500_000, "250 万元", "¥2.5 million"),
        (12_345_678, "1234.57 万元", "¥12.35 million"),
        (10_000, "1 万元", "¥10,000"),
        (9_999, "1 万元", "¥9,999"),
        (9_949, "9949 元", "¥9,949"),
        (Decimal("1234.5"), "1234.5 元", "¥1,234.5"),
        (0, "0 元", "¥0"),
        (-50_000_000, "-5000 万元", "¥-50 million"),
    ],
)
def test_yuan(amount, chinese, english):
    with translation.override("zh-hans"):
        assert yuan(amount) == chinese
    with translation.override("en"):
        assert yuan(amount) == english


@pytest.mark.parametrize("value", [None, "", "abc"])
def test_yuan_of_nothing_is_a_dash(value):
    assert yuan(value) == "—"


def test_is_demo():
    class Row:
        demo_fields = ["registered_capital"]

    assert is_demo(Row(), "registered_capital") and not is_demo(Row(), "name") and not is_demo(object(), "name")
