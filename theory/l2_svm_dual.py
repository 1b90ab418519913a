"""Question 3(d): the dual of the soft SVM with l2 penalty, stated once for the PDF and the tests.

The dual is

    max_{alpha in R^n}  LINEAR * sum_i alpha_i
                        + QUADRATIC * sum_{i,j} alpha_i alpha_j y_i y_j x_i^T x_j
                        + (RIDGE / C) * sum_i alpha_i^2
    s.t.  alpha_i >= 0 for all i,   sum_i alpha_i y_i = 0,

and a dual solution alpha gives the primal one through the stationarity conditions of 3(c):
w = WEIGHTS * sum_i alpha_i y_i x_i and xi_i = SLACK * alpha_i / C.
"""

from fractions import Fraction

from theory.tex import linear_combination

LINEAR = Fraction(1)
QUADRATIC = Fraction(-1, 2)
RIDGE = Fraction(-1, 2)
WEIGHTS = Fraction(1)
SLACK = Fraction(1)


def tex_macros() -> str:
    """LaTeX macros that print this dual objective and the primal recovery formulas (these take
    the symbol of the multipliers they are applied to)."""
    ridge = abs(RIDGE)
    denominator = f"{ridge.denominator}C" if ridge.denominator > 1 else "C"
    ridge_over_c = rf"\frac{{{ridge.numerator}}}{{{denominator}}}"
    objective = linear_combination(
        [
            (LINEAR, r"\sum_{i=1}^{n}\alpha_i"),
            (QUADRATIC, r"\sum_{i=1}^{n}\sum_{j=1}^{n}\alpha_i\alpha_j y_i y_j\,\vx_i^\top\vx_j"),
            ((RIDGE > 0) - (RIDGE < 0), rf"{ridge_over_c}\sum_{{i=1}}^{{n}}\alpha_i^2"),
        ],
        command=r"\frac",
    )
    # The recovery formulas take the multiplier's symbol: \DualWeights{\alpha^*} prints
    # sum_i alpha*_i y_i x_i.
    weights = linear_combination([(WEIGHTS, r"\sum_{i=1}^{n}#1_i y_i\vx_i")], command=r"\frac")
    slack = linear_combination([(SLACK, r"\frac{#1_i}{C}")], command=r"\frac")
    return "\n".join(
        [
            "% Written by theory/l2_svm_dual.py; edit the dual there.",
            rf"\newcommand{{\DualObjective}}{{{objective}}}",
            rf"\newcommand{{\DualWeights}}[1]{{{weights}}}",
            rf"\newcommand{{\DualSlack}}[1]{{{slack}}}",
            "",
        ]
    )
