"""Numerical companions of the four proofs in theory/solutions.pdf (theory questions 1-4).

Each test checks a claim of the written solution on random instances, in float64, and can fail:
where a check could pass vacuously, a companion test shows that it rejects a wrong answer.
"""

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog, minimize

from theory import l2_svm_dual, relu_max

# ---------------------------------------------------------------- question 1: multiclass SVM


def hinge_losses(W, X, y):
    """l_i(W) = max_j (w_j.x_i - w_{y_i}.x_i + 1(j != y_i)) for every example i."""
    scores = X @ W.T
    n, K = scores.shape
    rows = np.arange(n)
    terms = scores - scores[rows, y][:, None] + (np.arange(K)[None, :] != y[:, None])
    return terms.max(axis=1)


def score_gaps(W, X, y):
    """w_{y_i}.x_i - max_{j != y_i} w_j.x_i for every example i."""
    scores = X @ W.T
    rows = np.arange(len(y))
    true = scores[rows, y].copy()
    scores[rows, y] = -np.inf
    return true - scores.max(axis=1)


def misclassified(W, X, y):
    """True where y_i is not the unique maximiser of j -> w_j.x_i (ties count as errors)."""
    return score_gaps(W, X, y) <= 0


def separable_data(rng, n, d, K, min_gap=0.05):
    """n points with labels y_i = argmax_j w*_j.x_i, kept only where that argmax wins by at least
    ``min_gap`` (so the separating W* has a positive margin, as the assumption requires)."""
    W_star = rng.normal(size=(K, d))
    X = rng.normal(size=(4 * n, d))
    scores = np.sort(X @ W_star.T, axis=1)
    X = X[scores[:, -1] - scores[:, -2] >= min_gap][:n]
    assert len(X) == n
    return X, np.argmax(X @ W_star.T, axis=1), W_star


def hinge_lp(X, y, K):
    """The LP "minimise (1/n) sum_i t_i over (W, t) s.t. t_i >= w_j.x_i - w_{y_i}.x_i + 1(j != y_i)
    for all i, j" as (c, A_ub, b_ub); its optimal value is min f. Variables: vec(W) then t."""
    n, d = X.shape
    A, b = [], []
    for i in range(n):
        for j in range(K):
            row = np.zeros(K * d + n)
            row[j * d : (j + 1) * d] += X[i]
            row[y[i] * d : (y[i] + 1) * d] -= X[i]
            row[K * d + i] = -1.0
            A.append(row)
            b.append(-float(j != y[i]))
    c = np.concatenate([np.zeros(K * d), np.full(n, 1.0 / n)])
    return c, np.array(A), np.array(b)


def minimisers_of_f(X, y, K, rng, count=4, box=1e3):
    """The solver's minimiser of f and ``count`` more points of the optimal face: each minimises a
    random linear function of W over {f <= min f} (inside a box, to keep it bounded)."""
    n, d = X.shape
    c, A, b = hinge_lp(X, y, K)
    first = linprog(c, A_ub=A, b_ub=b, bounds=(None, None), method="highs")
    assert first.status == 0
    found = [first.x[: K * d].reshape(K, d)]
    A_face = np.vstack([A, c])
    b_face = np.append(b, first.fun + 1e-9)
    bounds = [(-box, box)] * (K * d) + [(None, None)] * n
    for _ in range(count):
        direction = np.concatenate([rng.normal(size=K * d), np.zeros(n)])
        other = linprog(direction, A_ub=A_face, b_ub=b_face, bounds=bounds, method="highs")
        assert other.status == 0
        found.append(other.x[: K * d].reshape(K, d))
    return first.fun, found


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(("n", "d", "K"), [(30, 2, 2), (40, 3, 3), (40, 5, 5)])
def test_every_minimiser_on_separable_data_has_zero_training_error(seed, n, d, K):
    rng = np.random.default_rng(seed)
    X, y, _ = separable_data(rng, n, d, K)
    min_f, minimisers = minimisers_of_f(X, y, K, rng)
    assert abs(min_f) < 1e-9
    for W in minimisers:
        assert hinge_losses(W, X, y).mean() < 1e-7
        assert not misclassified(W, X, y).any()
        assert (score_gaps(W, X, y) >= 1 - 1e-7).all()  # the margin of Theorem 1.5


@pytest.mark.parametrize("seed", range(3))
def test_rescaled_separator_has_zero_objective(seed):
    """Lemma 1.4 and Remark 1.6: c W* / gamma, gamma the smallest score gap of W*, has f = 0 for
    every c >= 1."""
    rng = np.random.default_rng(seed)
    X, y, W_star = separable_data(rng, 40, 3, 4)
    gamma = score_gaps(W_star, X, y).min()
    assert gamma > 0
    assert np.abs(hinge_losses(W_star / gamma, X, y)).max() < 1e-12
    assert np.abs(hinge_losses(3.7 * W_star / gamma, X, y)).max() < 1e-12
    assert hinge_losses(W_star / (2 * gamma), X, y).max() > 0  # the scaling is needed


@pytest.mark.parametrize("seed", range(5))
def test_hinge_objective_bounds_the_training_error(seed):
    """Lemma 1.3 at random W, with integer data so that ties occur."""
    rng = np.random.default_rng(seed)
    K, d, n = 4, 3, 200
    X = rng.integers(-2, 3, size=(n, d)).astype(float)
    y = rng.integers(0, K, size=n)
    weights = [rng.integers(-1, 2, size=(K, d)).astype(float) for _ in range(20)]
    for W in weights + [np.zeros((K, d))]:
        losses, wrong = hinge_losses(W, X, y), misclassified(W, X, y)
        assert (losses >= 0).all()
        assert (losses[wrong] >= 1).all()
        assert losses.mean() >= wrong.mean()
    assert misclassified(np.zeros((K, d)), X, y).all()  # ties at W = 0 count as errors


def strict_margin(X, y, K, box=1.0):
    """max gamma over W with entries in [-box, box] s.t. w_{y_i}.x_i - w_j.x_i >= gamma for all i
    and j != y_i (gamma <= 1): positive exactly when some W separates the data in the strict
    sense of Assumption 1.2."""
    n, d = X.shape
    A, b = [], []
    for i in range(n):
        for j in range(K):
            if j != y[i]:
                row = np.zeros(K * d + 1)
                row[j * d : (j + 1) * d] += X[i]
                row[y[i] * d : (y[i] + 1) * d] -= X[i]
                row[-1] = 1.0
                A.append(row)
                b.append(0.0)
    c = np.zeros(K * d + 1)
    c[-1] = -1.0
    bounds = [(-box, box)] * (K * d) + [(None, 1.0)]
    result = linprog(c, A_ub=np.array(A), b_ub=np.array(b), bounds=bounds, method="highs")
    assert result.status == 0
    return -result.fun


def test_weak_separability_is_not_enough():
    """The counterexample after Assumption 1.2: one point with two labels. No W separates it in the
    strict sense (W = 0 does in the weak one), and min f = 1 > 0."""
    X = np.array([[1.0, 2.0], [1.0, 2.0]])
    y = np.array([0, 1])
    assert strict_margin(X, y, 2) == pytest.approx(0.0, abs=1e-9)
    c, A, b = hinge_lp(X, y, 2)
    result = linprog(c, A_ub=A, b_ub=b, bounds=(None, None), method="highs")
    assert result.fun == pytest.approx(1.0)


def test_the_strict_margin_check_finds_a_separator():
    """The companion: on separable data the same check finds a positive margin."""
    X, y, _ = separable_data(np.random.default_rng(7), 40, 3, 4)
    assert strict_margin(X, y, 4) > 1e-3


# ---------------------------------------------------------------- question 2: max with ReLUs


def relu_network(x, W1=relu_max.W1, b1=relu_max.B1, W2=relu_max.W2, b2=relu_max.B2):
    """N(x) = W_2 h(W_1 x + b_1) + b_2 in float64, for a batch of inputs x of shape (m, 2)."""
    W1, b1, W2 = (np.array(a, dtype=np.float64) for a in (W1, b1, W2))
    return np.maximum(x @ W1.T + b1, 0.0) @ W2 + float(b2)


def test_network_shape_is_one_hidden_layer_of_four_neurons():
    assert np.array(relu_max.W1).shape == (4, 2)
    assert np.array(relu_max.B1).shape == (4,)
    assert np.array(relu_max.W2).shape == (4,)


def float_inputs(rng, m=20_000):
    """Random pairs over many scales, with ties, zeros, negatives and exact copies."""
    x = rng.normal(size=(m, 2)) * 10.0 ** rng.uniform(-6, 8, size=(m, 1))
    x[: m // 4, 1] = x[: m // 4, 0]  # ties
    x[m // 4 : m // 4 + 100] = 0.0
    x[m // 4 + 100 : m // 2] = -np.abs(x[m // 4 + 100 : m // 2])  # both negative
    x[m // 2 : m // 2 + 100, 0] = 0.0
    return x


def test_network_equals_max_in_floating_point():
    x = float_inputs(np.random.default_rng(0))
    expected = np.maximum(x[:, 0], x[:, 1])
    tolerance = 4 * np.finfo(np.float64).eps * np.abs(x).sum(axis=1)
    assert (np.abs(relu_network(x) - expected) <= tolerance).all()
    ties = x[:, 0] == x[:, 1]
    assert (relu_network(x[ties]) == expected[ties]).all()


def test_network_equals_max_exactly_on_rationals():
    rng = np.random.default_rng(1)
    h = lambda t: max(t, Fraction(0))  # noqa: E731
    for _ in range(2000):
        x1 = Fraction(int(rng.integers(-1000, 1001)), int(rng.integers(1, 50)))
        x2 = x1 if rng.random() < 0.3 else Fraction(int(rng.integers(-1000, 1001)), 7)
        rows = zip(relu_max.W1, relu_max.B1, strict=True)
        hidden = [h(w[0] * x1 + w[1] * x2 + b) for w, b in rows]
        out = sum(v * z for v, z in zip(relu_max.W2, hidden, strict=True)) + relu_max.B2
        assert out == max(x1, x2)


@pytest.mark.parametrize("entry", range(17))
def test_the_max_check_detects_a_changed_weight(entry):
    """Adding 1/2 to any single weight or bias makes the comparison with max fail."""
    params = [np.array(a, dtype=np.float64) for a in (relu_max.W1, relu_max.B1, relu_max.W2)]
    params.append(np.array([float(relu_max.B2)]))
    flat = np.concatenate([p.ravel() for p in params])
    flat[entry] += 0.5
    W1, b1, W2, b2 = np.split(flat, [8, 12, 16])
    x = float_inputs(np.random.default_rng(2), m=2000)
    out = relu_network(x, W1.reshape(4, 2), b1, W2, b2[0])
    assert not np.allclose(out, np.maximum(x[:, 0], x[:, 1]))


# ---------------------------------------------------------------- question 3: l2 soft SVM dual

SOLVER = {"method": "SLSQP", "options": {"ftol": 1e-12, "maxiter": 2000}}


def svm_data(seed, n=12, d=3):
    """Two overlapping Gaussian classes, both labels present, so some slacks are positive."""
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    X = rng.normal(size=(n, d)) + 0.7 * y[:, None]
    return X, y


def solve_primal(X, y, C, nonnegative_slack):
    """min (1/2)||w||^2 + (C/2) sum xi_i^2 s.t. y_i (w.x_i + b) >= 1 - xi_i (and xi >= 0)."""
    n, d = X.shape

    def objective(z):
        w, xi = z[:d], z[d + 1 :]
        return 0.5 * w @ w + 0.5 * C * xi @ xi, np.concatenate([w, [0.0], C * xi])

    margin_jac = np.hstack([y[:, None] * X, y[:, None], np.eye(n)])
    constraint = {
        "type": "ineq",
        "fun": lambda z: y * (X @ z[:d] + z[d]) - 1 + z[d + 1 :],
        "jac": lambda z: margin_jac,
    }
    bounds = [(None, None)] * (d + 1) + [(0 if nonnegative_slack else None, None)] * n
    start = np.concatenate([np.zeros(d + 1), np.ones(n)])
    result = minimize(objective, start, jac=True, constraints=[constraint], bounds=bounds, **SOLVER)
    assert result.success, result.message
    return result.fun, result.x[:d], result.x[d], result.x[d + 1 :]


def dual_value(alpha, X, y, C, linear=None, quadratic=None, ridge=None):
    """The dual objective with the coefficients of theory/l2_svm_dual.py (or others), and its
    gradient: LINEAR sum_i a_i + QUADRATIC a^T Q a + (RIDGE / C) sum_i a_i^2,
    Q_ij = y_i y_j x_i.x_j."""
    linear = float(l2_svm_dual.LINEAR if linear is None else linear)
    quadratic = float(l2_svm_dual.QUADRATIC if quadratic is None else quadratic)
    ridge = float(l2_svm_dual.RIDGE if ridge is None else ridge)
    Q = (y[:, None] * X) @ (y[:, None] * X).T
    value = linear * alpha.sum() + quadratic * alpha @ Q @ alpha + ridge / C * alpha @ alpha
    gradient = linear + 2 * quadratic * Q @ alpha + 2 * ridge / C * alpha
    return value, gradient


def solve_dual(X, y, C, **coefficients):
    """max the dual objective s.t. alpha >= 0 and sum_i alpha_i y_i = 0."""
    n = len(y)

    def negative(alpha):
        value, gradient = dual_value(alpha, X, y, C, **coefficients)
        return -value, -gradient

    constraint = {"type": "eq", "fun": lambda a: a @ y, "jac": lambda a: y}
    result = minimize(
        negative, np.zeros(n), jac=True, constraints=[constraint], bounds=[(0, None)] * n, **SOLVER
    )
    assert result.success, result.message
    return -result.fun, result.x


def primal_from_dual(alpha, X, y, C):
    """w = WEIGHTS sum_i alpha_i y_i x_i, xi_i = SLACK alpha_i / C, and b from an active
    constraint: b = y_k (1 - xi_k) - w.x_k for k with the largest alpha_k (> 0)."""
    w = float(l2_svm_dual.WEIGHTS) * X.T @ (alpha * y)
    xi = float(l2_svm_dual.SLACK) * alpha / C
    k = int(np.argmax(alpha))
    assert alpha[k] > 1e-6
    return w, y[k] * (1 - xi[k]) - w @ X[k], xi


@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
@pytest.mark.parametrize("seed", range(3))
def test_primal_with_and_without_nonnegative_slacks_and_dual_agree(seed, C):
    X, y = svm_data(seed)
    p_free, w, b, xi = solve_primal(X, y, C, nonnegative_slack=False)
    p_nonneg, *_ = solve_primal(X, y, C, nonnegative_slack=True)
    d_star, alpha = solve_dual(X, y, C)
    assert p_nonneg == pytest.approx(p_free, rel=1e-6)  # 3(a): same optimal value
    assert (xi >= -1e-7).all()  # 3(a): the free problem's minimiser has xi >= 0
    assert d_star == pytest.approx(p_free, rel=1e-6)  # strong duality with the derived dual
    assert (xi > 1e-3).any()  # the instance really uses its slacks

    w_dual, b_dual, xi_dual = primal_from_dual(alpha, X, y, C)
    np.testing.assert_allclose(w_dual, w, atol=1e-5)
    np.testing.assert_allclose(xi_dual, xi, atol=1e-5)
    assert b_dual == pytest.approx(b, abs=1e-5)
    # The recovered point is feasible and closes the duality gap, which certifies both optima.
    assert (y * (X @ w_dual + b_dual) >= 1 - xi_dual - 1e-5).all()
    assert 0.5 * w_dual @ w_dual + 0.5 * C * xi_dual @ xi_dual == pytest.approx(d_star, rel=1e-6)


@pytest.mark.parametrize(
    "wrong", [{"ridge": -1}, {"ridge": -0.25}, {"quadratic": -1}, {"linear": 2}], ids=str
)
def test_the_duality_check_rejects_a_wrong_dual(wrong):
    X, y = svm_data(0)
    p_star, *_ = solve_primal(X, y, 1.0, nonnegative_slack=False)
    d_wrong, _ = solve_dual(X, y, 1.0, **wrong)
    assert abs(d_wrong - p_star) > 1e-3 * p_star


# ---------------------------------------------------------------- question 4: softmax gradient


def softmax(w):
    """e^{w - max w} / sum_j e^{w_j - max w}, which equals softmax(w) and does not overflow."""
    e = np.exp(w - w.max())
    return e / e.sum()


def cross_entropy(w, y):
    """l_y(w) = -y.log softmax(w), from the definition (not the log-sum-exp form of the proof)."""
    return -(y @ np.log(softmax(w)))


def central_differences(function, w, step=1e-6):
    """The partial derivatives of ``function`` at w by central differences, one coordinate each."""
    columns = []
    for m in range(len(w)):
        e = np.zeros_like(w)
        e[m] = step
        columns.append((function(w + e) - function(w - e)) / (2 * step))
    return np.array(columns).T


def random_points(seed):
    """(w, d) pairs over dimensions 1 to 10 and entry scales up to 30."""
    rng = np.random.default_rng(seed)
    return [rng.normal(size=d) * scale for d in (1, 2, 3, 10) for scale in (0.1, 1.0, 30.0)]


@pytest.mark.parametrize("seed", range(3))
def test_gradient_is_softmax_minus_y_for_every_one_hot_y(seed):
    for w in random_points(seed):
        for y in np.eye(len(w)):
            numeric = central_differences(lambda v, y=y: cross_entropy(v, y), w)
            np.testing.assert_allclose(softmax(w) - y, numeric, rtol=0, atol=1e-7)


@pytest.mark.parametrize("seed", range(3))
def test_softmax_jacobian(seed):
    """ds_k / dw_m = s_k (1(k = m) - s_m), the second route of the proof."""
    for w in random_points(seed):
        s = softmax(w)
        np.testing.assert_allclose(
            np.diag(s) - np.outer(s, s), central_differences(softmax, w), rtol=0, atol=1e-8
        )


def test_gradient_formula_holds_for_probability_vectors():
    """The remark: only sum_k y_k = 1 is used."""
    rng = np.random.default_rng(3)
    for w in random_points(4):
        y = rng.dirichlet(np.ones(len(w)))
        numeric = central_differences(lambda v, y=y: cross_entropy(v, y), w)
        np.testing.assert_allclose(softmax(w) - y, numeric, rtol=0, atol=1e-7)


@pytest.mark.parametrize(
    "wrong",
    [lambda s, y: s + y, lambda s, y: y - s, lambda s, y: s - np.roll(y, 1), lambda s, y: -y],
    ids=["s+y", "y-s", "s-shifted-y", "-y"],
)
def test_the_gradient_check_rejects_wrong_gradients(wrong):
    w = np.random.default_rng(5).normal(size=4)
    y = np.eye(4)[2]
    numeric = central_differences(lambda v: cross_entropy(v, y), w)
    assert not np.allclose(wrong(softmax(w), y), numeric, rtol=0, atol=1e-7)


# ---------------------------------------------------------------- the PDF prints what is tested


def parse_fraction(text):
    """``-\\tfrac{1}{2}`` or ``\\frac{1}{2}`` or ``-1`` as a Fraction."""
    match = re.fullmatch(r"\s*(-?)\s*(?:\\t?frac\{(\d+)\}\{(\d+)\}|(\d+))\s*", text)
    assert match, text
    sign, numerator, denominator, integer = match.groups()
    value = Fraction(int(integer)) if integer else Fraction(int(numerator), int(denominator))
    return -value if sign else value


def macro_body(tex, name):
    """The body of ``\\newcommand{\\name}{...}`` on one line."""
    match = re.search(rf"\\newcommand{{\\{name}}}{{(.*)}}$", tex, re.MULTILINE)
    assert match, name
    return match.group(1)


def parse_pmatrix(body):
    inner = re.fullmatch(r"\\begin\{pmatrix\}(.*)\\end\{pmatrix\}", body).group(1)
    return [[parse_fraction(x) for x in row.split("&")] for row in inner.split(r"\\")]


def test_the_pdf_prints_the_tested_relu_weights():
    tex = relu_max.tex_macros()
    assert parse_pmatrix(macro_body(tex, "ReluMaxWOne")) == [list(r) for r in relu_max.W1]
    assert parse_pmatrix(macro_body(tex, "ReluMaxBOne")) == [[b] for b in relu_max.B1]
    assert parse_pmatrix(macro_body(tex, "ReluMaxWTwo")) == [list(relu_max.W2)]
    assert parse_fraction(macro_body(tex, "ReluMaxBTwo")) == relu_max.B2


def test_the_pdf_prints_the_tested_recovery_at_the_dual_solution():
    """The recovery formulas carry the tested coefficients, and question 3 applies them to the
    dual solution alpha*, not to a generic alpha."""
    tex = l2_svm_dual.tex_macros()
    for name, symbol, coefficient in (
        ("DualWeights", r"\sum_{i=1}^{n}#1_i y_i\vx_i", l2_svm_dual.WEIGHTS),
        ("DualSlack", r"\frac{#1_i}{C}", l2_svm_dual.SLACK),
    ):
        match = re.search(rf"\\newcommand{{\\{name}}}\[1\]{{(.*)}}$", tex, re.MULTILINE)
        assert match, name
        assert match.group(1).endswith(symbol)
        prefix = match.group(1).removesuffix(symbol)
        value = {"": 1, "-": -1}[prefix] if prefix in ("", "-") else parse_fraction(prefix)
        assert value == coefficient
    source = (Path(l2_svm_dual.__file__).parent / "q3_soft_svm_l2.tex").read_text()
    uses = re.findall(r"\\Dual(?:Weights|Slack)\{([^}]*)\}", source)
    assert uses == [r"\alpha^*", r"\alpha^*"]


def test_the_pdf_prints_the_tested_dual():
    """Read the coefficient of each term of the printed dual objective back from the LaTeX."""
    body = macro_body(l2_svm_dual.tex_macros(), "DualObjective")
    coefficients = {}
    for term in re.split(r" (?=[+-] )", body):
        match = re.fullmatch(r"([+-]?) ?(?:\\frac\{(\d+)\}\{(\d*)(C?)\})?(\\sum.*)", term)
        assert match, term
        sign, numerator, denominator, over_c, rest = match.groups()
        value = Fraction(int(numerator or 1), int(denominator or 1)) * (-1 if sign == "-" else 1)
        kind = "quadratic" if r"\alpha_j" in rest else "ridge" if "^2" in rest else "linear"
        assert (kind == "ridge") == (over_c == "C"), term
        coefficients[kind] = value
    assert coefficients == {
        "linear": l2_svm_dual.LINEAR,
        "quadratic": l2_svm_dual.QUADRATIC,
        "ridge": l2_svm_dual.RIDGE,
    }
