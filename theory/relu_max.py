"""Question 2: a one-hidden-layer ReLU network with four hidden neurons that computes
max{x_1, x_2}, stated once for the PDF and the tests.

With h(t) = max{t, 0} applied entrywise, the network is

    N(x) = W_2 h(W_1 x + b_1) + b_2,   W_1 in R^{4x2}, b_1 in R^4, W_2 in R^{1x4}, b_2 in R.

The weights below give N(x) = (1/2)[h(s) - h(-s)] + (1/2)[h(d) + h(-d)] with s = x_1 + x_2 and
d = x_1 - x_2, which equals s/2 + |d|/2 = max{x_1, x_2} for every x in R^2. They are exact
rationals so that a test can also evaluate the network in exact arithmetic.
"""

from fractions import Fraction

from theory.tex import fraction, linear_combination

W1 = (
    (Fraction(1), Fraction(1)),
    (Fraction(-1), Fraction(-1)),
    (Fraction(1), Fraction(-1)),
    (Fraction(-1), Fraction(1)),
)
B1 = (Fraction(0), Fraction(0), Fraction(0), Fraction(0))
W2 = (Fraction(1, 2), Fraction(-1, 2), Fraction(1, 2), Fraction(1, 2))
B2 = Fraction(0)


def _pmatrix(rows) -> str:
    body = r" \\ ".join(" & ".join(fraction(q) for q in row) for row in rows)
    return rf"\begin{{pmatrix}} {body} \end{{pmatrix}}"


def _pre_activation(k: int) -> str:
    """(W_1 x + b_1)_k as TeX, e.g. ``-x_1 + x_2``."""
    return linear_combination([(W1[k][0], "x_1"), (W1[k][1], "x_2"), (B1[k], "")])


def tex_macros() -> str:
    """LaTeX macros that print these weights: the matrices and the network written out."""
    network = linear_combination(
        [(W2[k], rf"h({_pre_activation(k)})") for k in range(len(W2))] + [(B2, "")]
    )
    return "\n".join(
        [
            "% Written by theory/relu_max.py; edit the weights there.",
            rf"\newcommand{{\ReluMaxWOne}}{{{_pmatrix(W1)}}}",
            rf"\newcommand{{\ReluMaxBOne}}{{{_pmatrix((b,) for b in B1)}}}",
            rf"\newcommand{{\ReluMaxWTwo}}{{{_pmatrix([W2])}}}",
            rf"\newcommand{{\ReluMaxBTwo}}{{{fraction(B2)}}}",
            rf"\newcommand{{\ReluMaxNetwork}}{{{network}}}",
            "",
        ]
    )
