"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), entity category (1), administrative division (6 digits),
organisation code (9, itself checked by GB 11714-1997), and a check character computed over the first 17.
"""

from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: I, O, S, V and Z are never used
_VALUE = {c: i for i, c in enumerate(CHARSET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28


class InvalidUSCC(ValueError):
    pass


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise(code: str | None) -> str:
    """Upper case without surrounding blanks (codes are often typed in lower case)."""
    return (code or "").strip().upper()


def validate(code: str) -> str:
    """Return the normalised code, or raise InvalidUSCC saying what is wrong."""
    code = normalise(code)
    if len(code) != 18:
        raise InvalidUSCC(_("it must be 18 characters long, not %(length)s") % {"length": len(code)})
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        raise InvalidUSCC(
            _("it contains characters a credit code never uses: %(chars)s (I, O, S, V and Z are never used)")
            % {"chars": " ".join(bad)}
        )
    if not code[2:8].isdigit():
        raise InvalidUSCC(_("characters 3 to 8 must be the 6-digit administrative division code"))
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidUSCC(
            _("the check character (the 18th) is %(given)s but should be %(expected)s; check for a typing error")
            % {"given": code[17], "expected": expected}
        )
    return code
