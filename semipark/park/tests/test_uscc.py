"""GB 32100-2015 unified social credit codes: real published codes pass, every kind of mistake is named."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from semipark.park import uscc
from semipark.park.demo import demo_uscc
from semipark.park.models import validate_uscc

# Codes printed on the public business licences of well-known companies; each check character was
# recomputed by hand from the GB 32100-2015 weights (3^i mod 31) before being written here.
REAL_CODES = [
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100799655058B",  # 阿里巴巴(中国)有限公司
    "914403001922038216",  # 华为技术有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000802100433B",  # 北京百度网讯科技有限公司
]


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in the source language."""
    with translation.override("en"):
        yield


def _gb11714_check(org8: str) -> str:
    """GB 11714-1997 check digit of the organisation code embedded in characters 9 to 17."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in org8]
    check = 11 - sum(v * w for v, w in zip(values, [3, 7, 9, 10, 5, 8, 4, 2], strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    assert uscc.validate(code) == code
    assert uscc.check_character(code[:17]) == code[17]
    # The embedded organisation code is consistent too, so these are genuine codes, not lucky strings.
    assert _gb11714_check(code[8:16]) == code[16]


def test_weights_are_powers_of_three_mod_31():
    assert uscc._WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def test_check_character_of_zero_remainder_is_zero():
    # A body whose weighted sum is a multiple of 31 gets "0" (31 - 0 wraps to 0), not an out-of-range index.
    assert uscc.check_character("0" * 17) == "0"


def test_lower_case_and_blanks_are_normalised():
    assert uscc.validate("  91440300708461136t ") == "91440300708461136T"


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_wrong_check_character_is_refused_with_the_expected_one(code):
    for wrong in uscc.CHARSET:
        if wrong == code[17]:
            continue
        with pytest.raises(uscc.InvalidUSCC) as info:
            uscc.validate(code[:17] + wrong)
        assert f"should be {code[17]}" in str(info.value)
        assert f"is {wrong}" in str(info.value)


def test_single_typing_error_is_detected():
    code = REAL_CODES[0]
    for position in range(17):
        for replacement in "0123456789ABCDEF":
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            if position in range(2, 8) and not replacement.isdigit():
                continue  # refused for the division code, tested below
            with pytest.raises(uscc.InvalidUSCC):
                uscc.validate(typo)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "18 characters long, not 0"),
        ("91440300708461136", "18 characters long, not 17"),
        ("91440300708461136TT", "18 characters long, not 19"),
        ("91440300708461136I", "never uses: I"),
        ("9144030070846113OS", "never uses: O S"),
        ("91440300-08461136T", "never uses: -"),
        ("914A0300708461136T", "6-digit administrative division code"),
    ],
)
def test_wrong_length_and_characters_say_what_is_wrong(code, message):
    with pytest.raises(uscc.InvalidUSCC) as info:
        uscc.validate(code)
    assert message in str(info.value)


def test_model_validator_wraps_the_reason():
    with pytest.raises(ValidationError) as info:
        validate_uscc("91440300708461136A")
    text = " ".join(info.value.messages)
    assert "Invalid unified social credit code" in text and "should be T" in text


def test_demo_codes_are_valid_and_distinct():
    codes = [demo_uscc(n) for n in range(1, 20)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert uscc.validate(code) == code
        assert _gb11714_check(code[8:16]) == code[16]


def test_messages_are_chinese_by_default():
    with translation.override("zh-hans"), pytest.raises(uscc.InvalidUSCC) as info:
        uscc.validate("91440300708461136A")
    assert str(info.value) == "校验码(第 18 位)为 A,应为 T,请检查是否输入有误"
