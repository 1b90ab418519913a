"""Small LaTeX writers shared by the fragment generators: exact rationals as TeX, signed sums of
terms, and escaping of free text."""

from collections.abc import Iterable
from fractions import Fraction


def fraction(q: Fraction | int, command: str = r"\tfrac") -> str:
    """An exact rational as TeX: ``3``, ``-2``, ``\\tfrac{1}{2}``, ``-\\tfrac{3}{4}``."""
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    sign = "-" if q < 0 else ""
    return f"{sign}{command}{{{abs(q.numerator)}}}{{{q.denominator}}}"


def linear_combination(
    terms: Iterable[tuple[Fraction | int, str]], command: str = r"\tfrac"
) -> str:
    """The sum of ``coefficient * symbol`` over ``terms`` as TeX.

    An empty symbol stands for the constant 1. Zero terms are dropped, a coefficient of +-1 prints
    as its sign only, and an all-zero sum prints as ``0``. Fractions use ``command``.
    """
    out = ""
    for coefficient, symbol in terms:
        q = Fraction(coefficient)
        if q == 0:
            continue
        sign = "-" if q < 0 else "+"
        magnitude = abs(q)
        if not symbol:
            body = fraction(magnitude, command)
        elif magnitude == 1:
            body = symbol
        else:
            body = f"{fraction(magnitude, command)}{symbol}"
        if out:
            out += f" {sign} {body}"
        else:
            out = body if sign == "+" else f"-{body}"
    return out or "0"


_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BREAK_AFTER = set("-_/.,=:")


def text(value: object) -> str:
    """``str(value)`` escaped for LaTeX text mode, with a permitted line break after each of
    ``- _ / . , = :`` so that long identifiers (platform strings, paths) wrap, not overflow."""
    out = []
    for char in str(value):
        out.append(_TEXT_ESCAPES.get(char, char))
        if char in _BREAK_AFTER:
            out.append(r"\allowbreak{}")
    return "".join(out)
