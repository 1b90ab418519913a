"""Small LaTeX writers: exact rationals and signed sums for question 2's weights and question 3's
dual."""

from fractions import Fraction


def number(q: Fraction, frac: str = r"\frac") -> str:
    """An exact rational as TeX: ``3``, ``-2``, ``\\frac{1}{2}``, ``-\\frac{3}{4}``."""
    sign = "-" if q < 0 else ""
    q = abs(q)
    if q.denominator == 1:
        return f"{sign}{q.numerator}"
    return f"{sign}{frac}{{{q.numerator}}}{{{q.denominator}}}"


def signed_sum(terms: list[tuple[Fraction, str]]) -> str:
    """The sum of ``coefficient * body`` as TeX, for non-empty bodies: ``\\sum a - \\frac{1}{2}\\sum
    b``. A coefficient of +-1 prints as its sign only, zero terms are dropped."""
    out = ""
    for q, body in terms:
        if q != 0:
            coefficient = "" if abs(q) == 1 else number(abs(q))
            out += ("-" if q < 0 else "+" if out else "") + coefficient + body
    return out or "0"
