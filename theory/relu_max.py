"""Question 2: a network N(x) = W_2 h(W_1 x + b_1) + b_2, with h(t) = max{t, 0} entrywise and
four hidden neurons, that computes max{x_1, x_2}.

The PDF prints these weights (``tex_macros``) and tests/test_theory.py evaluates them, so the
printed network is the tested one. They are exact rationals so that a test can also evaluate the
network in exact arithmetic.
"""

from fractions import Fraction

from theory.tex import number

W1 = tuple((Fraction(a), Fraction(b)) for a, b in ((1, 1), (-1, -1), (1, -1), (-1, 1)))
B1 = (Fraction(0),) * 4
W2 = (Fraction(1, 2), Fraction(-1, 2), Fraction(1, 2), Fraction(1, 2))
B2 = Fraction(0)


def _pmatrix(rows) -> str:
    body = r" \\ ".join(" & ".join(number(q, r"\tfrac") for q in row) for row in rows)
    return rf"\begin{{pmatrix}} {body} \end{{pmatrix}}"


def tex_macros() -> str:
    """The LaTeX macros \\ReluMaxWOne, \\ReluMaxBOne, \\ReluMaxWTwo, \\ReluMaxBTwo: the weights."""
    return "\n".join(
        [
            "% Written by theory/relu_max.py; edit the weights there.",
            rf"\newcommand{{\ReluMaxWOne}}{{{_pmatrix(W1)}}}",
            rf"\newcommand{{\ReluMaxBOne}}{{{_pmatrix((b,) for b in B1)}}}",
            rf"\newcommand{{\ReluMaxWTwo}}{{{_pmatrix([W2])}}}",
            rf"\newcommand{{\ReluMaxBTwo}}{{{number(B2)}}}",
            "",
        ]
    )
