"""What the homework asks a student to write, checked through the course's per-example calls on
any backprop_network.py (``python -m pytest --network=PATH``; without the option, on ours):
backprop, loss_derivative_wr_output_activations, relu, relu_derivative, and that with them the
course's loop learns. Each failure is one line that says what is wrong and where."""

import importlib.util
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import course_epochs
from scipy.special import log_softmax, softmax

STEP, TOLERANCE = 1e-6, 1e-5  # the differences' step h; the largest relative error allowed
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SIZES = [[5, 4, 3], [6, 5, 4, 3], [8, 3, 7, 5, 10]]
DERIVATIVE = "loss_derivative_wr_output_activations"


def fail(message):
    pytest.fail(message, pytrace=False)


def run(what, call):
    """call(), or a one-line failure naming ``what`` and the exception it raised."""
    try:
        return call()
    except Exception as e:
        lines = str(e).strip().splitlines()
        fail(f"{what} raised {type(e).__name__}" + (f": {lines[0]}" if lines else ""))


@pytest.fixture(scope="module")
def course(request):
    """The module under test: the file named by --network, imported as in its own folder (under
    its own name, that folder first on sys.path); without --network, our backprop_network."""
    path = request.config.getoption("network")
    if path is None:
        return importlib.import_module("backprop_network")
    path = Path(path).expanduser().resolve()
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = sys.modules[path.stem] = importlib.util.module_from_spec(spec)
    run(f"importing {path.name}", lambda: spec.loader.exec_module(module))
    return module


def pre_activations(weights, biases, x):
    """[v_1, ..., v_L] for inputs x (k_0, m): v_l = W_l z_{l-1} + b_l, z_l = relu(v_l), z_0 = x."""
    vs = [weights[0] @ x + biases[0]]
    for w, b in zip(weights[1:], biases[1:]):
        vs.append(w @ np.maximum(vs[-1], 0) + b)
    return vs


def loss(weights, biases, x, y):
    """l = -y . log softmax(v_L)."""
    return -float(np.sum(y * log_softmax(pre_activations(weights, biases, x)[-1], axis=0)))


def random_example(sizes, rng):
    """W_l ~ N(0, 1/k_{l-1}), b_l ~ N(0, 1/4), x ~ N(0, 1) and a one-hot y, drawn again until
    every hidden |v_l| exceeds 0.01, so that no step h of the differences crosses a ReLU's kink."""
    while True:
        weights = [rng.normal(0, 1 / np.sqrt(m), (k, m)) for m, k in zip(sizes[:-1], sizes[1:])]
        biases = [rng.normal(0, 0.5, (k, 1)) for k in sizes[1:]]
        x = rng.normal(size=(sizes[0], 1))
        if all(np.abs(v).min() > 0.01 for v in pre_activations(weights, biases, x)[:-1]):
            return weights, biases, x, np.eye(sizes[-1])[:, [rng.integers(sizes[-1])]]


def finite_differences(p, example):
    """(l(theta + h) - l(theta - h)) / 2h for every entry theta of p, one of example's arrays."""
    g = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        saved = p[i]
        p[i] = saved + STEP
        up = loss(*example)
        p[i] = saved - STEP
        g[i] = (up - loss(*example)) / (2 * STEP)
        p[i] = saved
    return g


@pytest.mark.parametrize("sizes", SIZES, ids=lambda s: "-".join(map(str, s)))
def test_backprop_matches_finite_differences(course, sizes):
    """backprop(x, y) for one example, x (k_0, 1) and one-hot y (k_L, 1), returns (db, dw) with
    db[l-1] shaped as b_l and dw[l-1] as W_l, each within a relative error of 1e-5 of the central
    differences of l = -y . log softmax(v_L) (float64, h = 1e-6)."""
    weights, biases, x, y = example = random_example(sizes, np.random.default_rng(len(sizes)))
    net = run(f"Network({sizes})", lambda: course.Network(sizes))
    net.weights, net.biases = [w.copy() for w in weights], [b.copy() for b in biases]
    result = run(f"backprop for sizes {sizes}", lambda: net.backprop(x, y))
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        fail(f"backprop returned {type(result).__name__}, not a pair (db, dw)")
    db, dw = map(list, result)
    if len(db) != len(weights) or len(dw) != len(weights):
        fail(f"backprop returned {len(db)} and {len(dw)} gradients for {len(weights)} layers")
    wrong = []
    for i in range(len(weights)):
        layer = str(i + 1).translate(SUBSCRIPTS)
        for name, g, p in (("b", db[i], biases[i]), ("W", dw[i], weights[i])):
            if np.shape(g) != p.shape:
                fail(f"d{name.lower()}[{i}] has shape {np.shape(g)}, not {p.shape} (sizes {sizes})")
            g, n = np.asarray(g, dtype=float), finite_differences(p, example)
            error = np.linalg.norm(g - n) / max(np.linalg.norm(g) + np.linalg.norm(n), 1e-300)
            if not error < TOLERANCE:
                wrong.append(f"dℓ/d{name}{layer} (relative error {error:.2g})")
    if wrong:
        fail(f"backprop for sizes {sizes} differs from finite differences in " + ", ".join(wrong))


def test_loss_derivative_is_softmax_minus_y(course):
    """loss_derivative_wr_output_activations(v, y) = softmax(v) - y (theory question 4), for a
    column v of 10 outputs: a method of Network, as in the course's file, or a module function."""
    v, y = np.random.default_rng(0).normal(0, 3, (10, 1)), np.eye(10)[:, [3]]
    expected = softmax(v, axis=0) - y
    net = run("Network([5, 4, 10])", lambda: course.Network([5, 4, 10]))
    f = getattr(net, DERIVATIVE, None) or getattr(course, DERIVATIVE, None)
    if f is None:
        fail(f"neither Network nor the module defines {DERIVATIVE}")
    got = run(f"{DERIVATIVE}(v, y)", lambda: f(v, y))
    if np.shape(got) != v.shape:
        fail(f"{DERIVATIVE}(v, y) has shape {np.shape(got)} instead of {v.shape}")
    difference = np.abs(np.asarray(got, dtype=float) - expected).max()
    if not difference < 1e-9:
        fail(f"{DERIVATIVE}(v, y) differs from softmax(v) - y by up to {difference:.2g}")


@pytest.mark.parametrize("name", ["relu", "relu_derivative"])
def test_relu_and_its_derivative_are_elementwise(course, name):
    """relu(z) = max(z, 0) and relu_derivative(z) = 1 where z > 0, 0 where z < 0, module
    functions, on a column z; z = 0 is left out (any value in [0, 1] is a subgradient there)."""
    z = np.array([[-3.0], [-0.5], [-1e-3], [1e-3], [0.25], [2.0], [7.5]])
    expected = np.maximum(z, 0) if name == "relu" else (z > 0) * 1.0
    got = run(f"{name}(z)", lambda: getattr(course, name)(z.copy()))
    if np.shape(got) != z.shape:
        fail(f"{name}(z) has shape {np.shape(got)} for z of shape {z.shape}")
    if not np.array_equal(np.asarray(got, dtype=float), expected):
        fail(f"{name}(z) = {np.ravel(got).tolist()}, not {expected.ravel().tolist()}")


def test_the_course_loop_learns_with_this_backprop(course, mnist_parts):
    """Network([784, 40, 10]) drawn after the course's np.random.seed(8), 3 epochs of the course's
    loop around this backprop on the first 10,000 training images (lr 0.1), then more than 70% of
    the 10,000 test images right: a correct backprop gets 83.7%, and 77-83% with other seeds."""
    (train_x, train_y), _, (test_x, test_y) = mnist_parts
    training = [(train_x[i].reshape(784, 1), np.eye(10)[:, [train_y[i]]]) for i in range(10000)]
    np.random.seed(8)
    net = run("Network([784, 40, 10])", lambda: course.Network([784, 40, 10]))
    epochs = course_epochs(net, training, 3, random.Random(0).shuffle)
    run("training with backprop", lambda: list(epochs))
    v_L = pre_activations(net.weights, net.biases, test_x.T)[-1]
    accuracy = float(np.mean(v_L.argmax(axis=0) == test_y))
    if not accuracy > 0.7:
        fail(f"3 epochs of the course's loop reach {accuracy:.1%} test accuracy, not above 70%")
