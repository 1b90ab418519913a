"""Question 3(d): the objective of the dual of the soft SVM with l2 penalty,

    LINEAR * sum_i alpha_i + QUADRATIC * sum_{i,j} alpha_i alpha_j y_i y_j x_i^T x_j
        + RIDGE * sum_i alpha_i^2 / C,

maximised over alpha >= 0 with sum_i alpha_i y_i = 0. The PDF prints it (``tex_macros``) and
tests/test_theory.py solves it, so the printed dual is the tested one.
"""

from fractions import Fraction

from theory.tex import signed_sum

LINEAR = Fraction(1)
QUADRATIC = Fraction(-1, 2)
RIDGE = Fraction(-1, 2)


def tex_macros() -> str:
    """The LaTeX macro \\DualObjective: the objective above."""
    objective = signed_sum(
        [
            (LINEAR, r"\sum_{i=1}^n\alpha_i"),
            (QUADRATIC, r"\sum_{i=1}^n\sum_{j=1}^n\alpha_i\alpha_jy_iy_j\,\vx_i^\top\vx_j"),
            (RIDGE, r"\sum_{i=1}^n\frac{\alpha_i^2}{C}"),
        ]
    )
    return "\n".join(
        [
            "% Written by theory/l2_svm_dual.py; edit the dual there.",
            rf"\newcommand{{\DualObjective}}{{{objective}}}",
            "",
        ]
    )
