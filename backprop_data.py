"""MNIST from ``mnist.pkl.gz``, in the course's list-of-tuples form and as matrices.

The file is a gzip'd pickle of ``(training, validation, test)``, each ``(x, y)`` with ``x`` float32
of shape (n, 784) and ``y`` integer labels. :func:`load` keeps the course's semantics exactly:
it seeds numpy's global generator with 8 and draws the subsets with ``np.random.choice`` without
replacement, so a network built right after it starts from the same weights every time.
:func:`load_matrices` returns the same subsets as column matrices for the vectorised code.
"""

import functools
import gzip
import pickle
from pathlib import Path
from typing import NamedTuple

import numpy as np

DATA_PATH = Path(__file__).resolve().with_name("mnist.pkl.gz")
TRAIN_POOL = 50_000
VALIDATION_POOL = 10_000
TEST_POOL = 10_000
NUM_PIXELS = 784
NUM_CLASSES = 10


class Matrices(NamedTuple):
    """A data set with one example per column.

    x: (784, n) float pixels, labels: (n,) int in 0..9, one_hot: (10, n) float.
    """

    x: np.ndarray
    labels: np.ndarray
    one_hot: np.ndarray

    def __len__(self):
        return self.labels.shape[0]


def vectorized_result(j):
    """The one-hot column (10, 1) for digit ``j``."""
    e = np.zeros((NUM_CLASSES, 1))
    e[j] = 1.0
    return e


def one_hot(labels, num_classes=NUM_CLASSES):
    """(n,) integer labels -> (num_classes, n) one-hot columns."""
    return np.eye(num_classes)[:, labels]


def read_mnist(path=DATA_PATH):
    """Return the pickle's ``(training, validation, test)`` parts, each ``(x (n, 784), labels)``.

    Raises FileNotFoundError when the file is missing and ValueError when it is not a readable
    MNIST pickle; both messages name the path. The parts are read once per path and process
    (decompressing takes a second); callers copy what they take and never change them.
    """
    return read_mnist_file(Path(path).resolve())


@functools.lru_cache(maxsize=2)
def read_mnist_file(path):
    if not path.is_file():
        raise FileNotFoundError(
            f"MNIST data file not found: looked for {path}. "
            "The repository ships mnist.pkl.gz next to backprop_data.py; restore it from git."
        )
    try:
        with gzip.open(path, "rb") as f:
            parts = pickle.load(f, encoding="iso-8859-1")
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError) as e:
        raise ValueError(f"{path} is not a readable gzip'd MNIST pickle ({e})") from e
    expected = (TRAIN_POOL, VALIDATION_POOL, TEST_POOL)
    if not (isinstance(parts, tuple) and len(parts) == 3):
        raise ValueError(f"{path} should hold (training, validation, test); found {type(parts)}")
    for name, (x, y), n in zip(("training", "validation", "test"), parts, expected, strict=True):
        if np.shape(x) != (n, NUM_PIXELS) or np.shape(y) != (n,):
            raise ValueError(
                f"{path}: {name} part has shapes {np.shape(x)} and {np.shape(y)}, "
                f"expected ({n}, {NUM_PIXELS}) and ({n},)"
            )
    return parts


def check_int(name, value, lowest=1, highest=None):
    """Raise ValueError, naming ``name``, unless ``value`` is an integer in lowest..highest."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < lowest or (highest is not None and value > highest):
        bounds = f"at least {lowest}" if highest is None else f"between {lowest} and {highest}"
        raise ValueError(f"{name} must be {bounds}, got {value}")


def sample_indices(train_size, test_size):
    """Seed numpy's global generator with 8 and draw the course's subsets, in its order."""
    check_int("train_size", train_size, highest=TRAIN_POOL)
    check_int("test_size", test_size, highest=TEST_POOL)
    np.random.seed(8)
    train_idx = np.random.choice(TRAIN_POOL, train_size, replace=False)
    test_idx = np.random.choice(TEST_POOL, test_size, replace=False)
    return train_idx, test_idx


def load_matrices(train_size, test_size, path=DATA_PATH):
    """The subsets of :func:`load` as ``(train, test)`` :class:`Matrices`.

    Like :func:`load`, this seeds numpy's global generator with 8.
    """
    train_idx, test_idx = sample_indices(train_size, test_size)
    (train_x, train_y), _, (test_x, test_y) = read_mnist(path)
    train = matrices(train_x[train_idx], train_y[train_idx])
    test = matrices(test_x[test_idx], test_y[test_idx])
    return train, test


def load_validation(path=DATA_PATH):
    """The 10,000 validation images (MNIST training images 50,000..59,999) as :class:`Matrices`.

    The course never uses them; they are for choosing settings without looking at the test set.
    """
    _, (x, y), _ = read_mnist(path)
    return matrices(x.copy(), y)


def matrices(rows, labels):
    """(n, 784) rows and (n,) labels -> :class:`Matrices` with one example per column."""
    labels = np.asarray(labels, dtype=np.int64)
    return Matrices(np.asfortranarray(rows.T), labels, one_hot(labels))


def load(train_size, test_size, path=DATA_PATH):
    """The course's loader: ``(training_data, test_data)`` as lists of tuples.

    training_data: ``train_size`` pairs ``(x (784, 1) float32, y (10, 1) one-hot)``.
    test_data: ``test_size`` pairs ``(x (784, 1) float32, label int)``.
    The subsets are drawn after ``np.random.seed(8)``, so they are the same on every call.
    """
    train_idx, test_idx = sample_indices(train_size, test_size)
    (train_x, train_y), _, (test_x, test_y) = read_mnist(path)
    train_rows, test_rows = train_x[train_idx], test_x[test_idx]  # copies: the parts stay intact
    training_data = [
        (row.reshape(NUM_PIXELS, 1), vectorized_result(label))
        for row, label in zip(train_rows, train_y[train_idx], strict=True)
    ]
    test_data = [
        (row.reshape(NUM_PIXELS, 1), int(label))
        for row, label in zip(test_rows, test_y[test_idx], strict=True)
    ]
    return training_data, test_data


def to_matrices(data, num_classes=NUM_CLASSES):
    """Turn the course's list of ``(x, y)`` tuples into :class:`Matrices`.

    ``x`` is a (k_0, 1) column; ``y`` a (num_classes, 1) one-hot column (training form) or an
    integer label (test form). A :class:`Matrices` is returned unchanged.
    """
    if isinstance(data, Matrices):
        return data
    if len(data) == 0:
        raise ValueError("data is empty")
    x = np.hstack([x for x, _ in data])
    if np.ndim(data[0][1]) == 0:
        labels = np.array([y for _, y in data], dtype=np.int64)
        return Matrices(np.asfortranarray(x), labels, one_hot(labels, num_classes))
    y = np.hstack([y for _, y in data])
    return Matrices(np.asfortranarray(x), y.argmax(axis=0), y)
