"""Numerical companions of the four proofs in theory/solutions.pdf (theory questions 1-4).

Each test checks the conclusion of one proof on random instances, in float64, against a reference
that does not use the proof: a linear-programming solver (question 1), max and exact rational
arithmetic (question 2), a constrained solver on the primal problems (question 3) and central
finite differences (question 4). The network of question 2 and the dual of question 3 are the ones
the PDF prints (theory/relu_max.py, theory/l2_svm_dual.py).
"""

from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import linprog, minimize
from scipy.special import log_softmax, softmax

from theory import l2_svm_dual, relu_max

# ---------------------------------------------------------------- question 1: multiclass SVM


def margin_rows(X, y, K):
    """For each pair (i, j != y_i), the row r = (e_j - e_{y_i}) (x) x_i, so that r.vec(W) =
    w_j.x_i - w_{y_i}.x_i, and its i."""
    pairs = [(i, j) for i in range(len(y)) for j in range(K) if j != y[i]]
    rows = [np.kron(np.eye(K)[j] - np.eye(K)[y[i]], X[i]) for i, j in pairs]
    return np.array(rows), np.array([i for i, _ in pairs])


def hinge_lp(X, y, K):
    """min f as the LP: minimise (1/n) sum_i t_i over (vec(W), t) s.t. t_i >= 0 (the term j = y_i)
    and t_i >= w_j.x_i - w_{y_i}.x_i + 1 for j != y_i. Returns (c, A_ub, b_ub)."""
    n, d = X.shape
    rows, example = margin_rows(X, y, K)
    A = np.block([[rows, -np.eye(n)[example]], [np.zeros((n, K * d)), -np.eye(n)]])
    b = np.concatenate([-np.ones(len(rows)), np.zeros(n)])
    return np.concatenate([np.zeros(K * d), np.full(n, 1.0 / n)]), A, b


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(("n", "d", "K"), [(30, 2, 2), (40, 3, 3), (40, 5, 5)])
def test_every_minimiser_on_separable_data_has_zero_training_error(seed, n, d, K):
    """n points labelled y_i = argmax_j w*_j.x_i, where the argmax wins by at least 0.05: the
    solver's minimiser of f, and points of the optimal face that minimise random linear functions
    over it (in a box), put every true score w_{y_i}.x_i at least 1 above the others (so f = 0)."""
    rng = np.random.default_rng(seed)
    W_star, X = rng.normal(size=(K, d)), rng.normal(size=(4 * n, d))
    top = np.sort(X @ W_star.T, axis=1)
    X = X[top[:, -1] - top[:, -2] >= 0.05][:n]
    assert len(X) == n
    y = np.argmax(X @ W_star.T, axis=1)
    c, A, b = hinge_lp(X, y, K)
    best = linprog(c, A_ub=A, b_ub=b, bounds=(None, None), method="highs")
    assert best.status == 0 and abs(best.fun) < 1e-9
    minimisers = [best.x[: K * d]]
    face = {"A_ub": np.vstack([A, c]), "b_ub": np.append(b, best.fun + 1e-9)}
    bounds = [(-1e3, 1e3)] * (K * d) + [(None, None)] * n
    for _ in range(4):
        direction = np.concatenate([rng.normal(size=K * d), np.zeros(n)])
        other = linprog(direction, **face, bounds=bounds, method="highs")
        assert other.status == 0
        minimisers.append(other.x[: K * d])
    for w in minimisers:
        scores = X @ w.reshape(K, d).T
        others = np.where(np.arange(K) == y[:, None], -np.inf, scores)  # a tie is an error
        assert (scores[np.arange(n), y] - others.max(axis=1) >= 1 - 1e-7).all()


def test_weak_separability_is_not_enough():
    """The example of question 1: one point with two labels. W = 0 puts both labels among the
    maximisers, but no W separates it strictly (the best margin gamma, over a box, is 0), and
    min f = 1 > 0."""
    X, y, K = np.array([[1.0, 2.0], [1.0, 2.0]]), np.array([0, 1]), 2
    rows, _ = margin_rows(X, y, K)
    # maximise gamma s.t. w_j.x_i - w_{y_i}.x_i + gamma <= 0, W in [-1, 1]^{K d}, gamma <= 1
    A = np.hstack([rows, np.ones((len(rows), 1))])
    c = np.append(np.zeros(K * X.shape[1]), -1.0)
    bounds = [(-1, 1)] * (K * X.shape[1]) + [(None, 1)]
    strict = linprog(c, A_ub=A, b_ub=np.zeros(len(rows)), bounds=bounds, method="highs")
    assert strict.status == 0 and -strict.fun == pytest.approx(0.0, abs=1e-9)
    c, A, b = hinge_lp(X, y, K)
    assert linprog(c, A_ub=A, b_ub=b, bounds=(None, None), method="highs").fun == pytest.approx(1)


# ---------------------------------------------------------------- question 2: max with ReLUs


def test_network_equals_max_exactly_on_rationals():
    """In exact arithmetic, on pairs with ties, zeros and negative entries: the identity itself,
    not its rounding in floating point."""
    rng = np.random.default_rng(1)
    for _ in range(2000):
        x1 = Fraction(int(rng.integers(-1000, 1001)), int(rng.integers(1, 50)))
        x2 = x1 if rng.random() < 0.3 else Fraction(int(rng.integers(-1000, 1001)), 7)
        rows = zip(relu_max.W1, relu_max.B1, strict=True)
        hidden = [max(w1 * x1 + w2 * x2 + b, 0) for (w1, w2), b in rows]
        out = sum(v * z for v, z in zip(relu_max.W2, hidden, strict=True)) + relu_max.B2
        assert out == max(x1, x2)


# ---------------------------------------------------------------- question 3: l2 soft SVM dual

SOLVER = {"method": "SLSQP", "options": {"ftol": 1e-12, "maxiter": 2000}}


def solve_primal(X, y, C, nonnegative_slack):
    """min (1/2)||w||^2 + (C/2) sum xi_i^2 s.t. y_i (w.x_i + b) >= 1 - xi_i (and xi >= 0)."""
    n, d = X.shape

    def objective(z):
        w, xi = z[:d], z[d + 1 :]
        return 0.5 * w @ w + 0.5 * C * xi @ xi, np.concatenate([w, [0.0], C * xi])

    constraint = {"type": "ineq", "fun": lambda z: y * (X @ z[:d] + z[d]) - 1 + z[d + 1 :]}
    constraint["jac"] = lambda z: np.hstack([y[:, None] * X, y[:, None], np.eye(n)])
    bounds = [(None, None)] * (d + 1) + [(0 if nonnegative_slack else None, None)] * n
    start = np.concatenate([np.zeros(d + 1), np.ones(n)])
    result = minimize(objective, start, jac=True, constraints=[constraint], bounds=bounds, **SOLVER)
    assert result.success, result.message
    return result.fun, result.x[d + 1 :]


def solve_dual(X, y, C):
    """max over alpha >= 0 with sum_i alpha_i y_i = 0 of the printed dual objective,
    LINEAR sum_i a_i + QUADRATIC a^T Q a + RIDGE sum_i a_i^2 / C with Q_ij = y_i y_j x_i.x_j."""
    linear, quadratic, ridge = (
        float(q) for q in (l2_svm_dual.LINEAR, l2_svm_dual.QUADRATIC, l2_svm_dual.RIDGE)
    )
    Q = (y[:, None] * X) @ (y[:, None] * X).T

    def negative(a):
        value = linear * a.sum() + quadratic * a @ Q @ a + ridge / C * a @ a
        return -value, -(linear + 2 * quadratic * Q @ a + 2 * ridge / C * a)

    constraint = {"type": "eq", "fun": lambda a: a @ y, "jac": lambda a: y}
    bounds = [(0, None)] * len(y)
    result = minimize(negative, 0 * y, jac=True, constraints=[constraint], bounds=bounds, **SOLVER)
    assert result.success, result.message
    return -result.fun


@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
@pytest.mark.parametrize("seed", range(3))
def test_primal_with_and_without_nonnegative_slacks_and_dual_agree(seed, C):
    """Two overlapping Gaussian classes, so that the optimum uses its slacks."""
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(12) % 2 == 0, 1.0, -1.0)
    X = rng.normal(size=(12, 3)) + 0.7 * y[:, None]
    p_free, xi = solve_primal(X, y, C, nonnegative_slack=False)
    p_nonneg, _ = solve_primal(X, y, C, nonnegative_slack=True)
    assert (xi > 1e-3).any()
    assert p_nonneg == pytest.approx(p_free, rel=1e-6)  # 3(a)
    assert solve_dual(X, y, C) == pytest.approx(p_free, rel=1e-6)  # 3(d), by strong duality


# ---------------------------------------------------------------- question 4: softmax gradient


@pytest.mark.parametrize("seed", range(3))
def test_gradient_is_softmax_minus_y_for_every_one_hot_y(seed):
    """Against central differences of l_y(w) = -y.log softmax(w), in dimensions 1 to 10 and at
    entry scales up to 30."""
    rng = np.random.default_rng(seed)
    step = 1e-6
    for w in (rng.normal(size=d) * scale for d in (1, 2, 3, 10) for scale in (0.1, 1.0, 30.0)):
        for y in np.eye(len(w)):
            loss = lambda v, y=y: -(y @ log_softmax(v))  # noqa: E731
            numeric = [(loss(w + e) - loss(w - e)) / (2 * step) for e in step * np.eye(len(w))]
            np.testing.assert_allclose(softmax(w) - y, numeric, rtol=0, atol=1e-7)
