"""MNIST from ``mnist.pkl.gz``, in the course's list-of-tuples form and as matrices.

The file is a gzip'd pickle of ``(training, validation, test)``, each ``(x, y)`` with ``x`` float32
of shape (n, 784) and ``y`` integer labels. :func:`load` keeps the course's semantics exactly:
it seeds numpy's global generator with 8 and draws the subsets with ``np.random.choice`` without
replacement, so a network built right after it starts from the same weights every time.
:func:`load_matrices` returns the same subsets as one pair of matrices each, the form that
``Network`` trains on fastest.
"""

import functools
import gzip
import pickle
from pathlib import Path

import numpy as np

DATA_PATH = Path(__file__).resolve().with_name("mnist.pkl.gz")
TRAIN_POOL = 50_000
VALIDATION_POOL = 10_000
TEST_POOL = 10_000
NUM_PIXELS = 784
NUM_CLASSES = 10


def load(train_size, test_size, path=DATA_PATH):
    """The course's loader: ``(training_data, test_data)`` as lists of tuples.

    training_data: ``train_size`` pairs ``(x (784, 1) float32, y (10, 1) one-hot)``.
    test_data: ``test_size`` pairs ``(x (784, 1) float32, label int)``.
    The subsets are drawn after ``np.random.seed(8)``, so they are the same on every call.
    """
    (train_x, train_y), (test_x, test_y) = subsets(train_size, test_size, path)
    training_data = [
        (x.reshape(NUM_PIXELS, 1), vectorized_result(label))
        for x, label in zip(train_x, train_y, strict=True)
    ]
    test_data = [
        (x.reshape(NUM_PIXELS, 1), int(label)) for x, label in zip(test_x, test_y, strict=True)
    ]
    return training_data, test_data


def load_matrices(train_size, test_size, path=DATA_PATH):
    """The subsets of :func:`load`, one example per column:
    ``((x (784, n) float32, y (10, n) one-hot), (x (784, m) float32, labels (m,) int))``.

    Like :func:`load`, this seeds numpy's global generator with 8.
    """
    (train_x, train_y), (test_x, test_y) = subsets(train_size, test_size, path)
    return (train_x.T, one_hot(train_y)), (test_x.T, test_y)


def vectorized_result(j):
    """The one-hot column (10, 1) for digit ``j``."""
    e = np.zeros((NUM_CLASSES, 1))
    e[j] = 1.0
    return e


def one_hot(labels):
    """(n,) integer labels -> (10, n) one-hot columns."""
    return np.eye(NUM_CLASSES)[:, labels]


def subsets(train_size, test_size, path=DATA_PATH):
    """Seed numpy's global generator with 8 and draw the course's subsets, in its order:
    ``((x (train_size, 784), labels), (x (test_size, 784), labels))``, copies of the file's."""
    for name, size, pool in (
        ("train_size", train_size, TRAIN_POOL),
        ("test_size", test_size, TEST_POOL),
    ):
        if (
            isinstance(size, bool)
            or not isinstance(size, int | np.integer)
            or not 1 <= size <= pool
        ):
            raise ValueError(f"{name} must be an integer between 1 and {pool}, got {size!r}")
    (train_x, train_y), _, (test_x, test_y) = read_mnist(path)
    np.random.seed(8)
    train_idx = np.random.choice(TRAIN_POOL, train_size, replace=False)
    test_idx = np.random.choice(TEST_POOL, test_size, replace=False)
    return (train_x[train_idx], train_y[train_idx]), (test_x[test_idx], test_y[test_idx])


def read_mnist(path=DATA_PATH):
    """The pickle's ``(training, validation, test)`` parts, each ``(x (n, 784), labels (n,))``.

    Raises FileNotFoundError when the file is missing and ValueError when it is not a readable
    MNIST pickle; both messages name the path. The parts are read once per path and process
    (decompressing takes a second); callers copy what they take and never change them.
    """
    return _read_mnist(Path(path).resolve())


@functools.lru_cache(maxsize=2)
def _read_mnist(path):
    if not path.is_file():
        raise FileNotFoundError(
            f"MNIST data file not found: looked for {path} "
            "(the repository ships mnist.pkl.gz beside backprop_data.py; restore it from git)"
        )
    try:
        with gzip.open(path, "rb") as f:
            parts = pickle.load(f, encoding="iso-8859-1")
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError) as e:
        raise ValueError(f"{path} is not a readable gzip'd MNIST pickle ({e})") from e
    if not (isinstance(parts, tuple) and len(parts) == 3):
        raise ValueError(f"{path} should hold (training, validation, test); found {type(parts)}")
    pools = (TRAIN_POOL, VALIDATION_POOL, TEST_POOL)
    for name, part, n in zip(("training", "validation", "test"), parts, pools, strict=True):
        shapes = [np.shape(a) for a in part] if isinstance(part, tuple | list) else [type(part)]
        if shapes != [(n, NUM_PIXELS), (n,)]:
            raise ValueError(
                f"{path}: the {name} part has shapes {shapes}, expected ({n}, {NUM_PIXELS}) "
                f"and ({n},)"
            )
    return parts
