"""MNIST from ``mnist.pkl.gz`` (beside this file), in the course's list-of-tuples form and as
matrices; then part (d)'s random distortions of the digits.

The file is a gzip'd pickle of ``(training, validation, test)``, each ``(x, labels)`` with x
float32 of shape (n, 784): 50,000, 10,000 and 10,000 images. ``load`` keeps the course's draws
exactly: it seeds numpy's global generator with 8 and draws the subsets with ``np.random.choice``
without replacement, so a network built right after it starts from the same weights every time.
"""

import gzip
import pickle
from pathlib import Path

import numpy as np

DATA_PATH = Path(__file__).resolve().with_name("mnist.pkl.gz")


def read_mnist(path=DATA_PATH):
    """The pickle's (training, validation, test) parts, each (x (n, 784), labels (n,))."""
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"{path} not found: the course's MNIST file belongs beside the code"
        )
    with gzip.open(path, "rb") as f:
        return pickle.load(f, encoding="iso-8859-1")


def draw(train_size, test_size, path=DATA_PATH):
    """The course's subsets as rows: train_x (train_size, 784), train_labels, test_x, labels."""
    (train_x, train_y), _, (test_x, test_y) = read_mnist(path)
    np.random.seed(8)
    train = np.random.choice(50000, train_size, replace=False)
    test = np.random.choice(10000, test_size, replace=False)
    return train_x[train], train_y[train], test_x[test], test_y[test]


def load(train_size, test_size, path=DATA_PATH):
    """The course's loader: (training_data, test_data) as lists of tuples,
    training (x (784, 1), y (10, 1) one-hot) and test (x (784, 1), label int)."""
    train_x, train_y, test_x, test_y = draw(train_size, test_size, path)
    training_data = [(x.reshape(784, 1), vectorized_result(y)) for x, y in zip(train_x, train_y)]
    test_data = [(x.reshape(784, 1), int(y)) for x, y in zip(test_x, test_y)]
    return training_data, test_data


def load_matrices(train_size, test_size, path=DATA_PATH):
    """The subsets of ``load``, one example per column:
    ((x (784, n), y (10, n) one-hot), (x (784, m), labels (m,)))."""
    train_x, train_y, test_x, test_y = draw(train_size, test_size, path)
    return (train_x.T, np.eye(10)[:, train_y]), (test_x.T, test_y)


def validation_matrices(path=DATA_PATH):
    """The 10,000 validation images that ``load`` never uses: (x (784, 10000), labels)."""
    _, (x, labels), _ = read_mnist(path)
    return x.T, labels


def vectorized_result(j):
    """The one-hot column (10, 1) for digit j."""
    e = np.zeros((10, 1))
    e[j] = 1.0
    return e


# Part (d)'s distortions. Each takes x (784, m), one 28x28 image per column (row-major pixels),
# and a numpy generator, and returns new images (784, m) of the same digits, moved a little: a
# classifier of digits should not care, so training on them multiplies the data for free.
SIDE = 28


def random_shifts(x, generator, max_shift=2):
    """Move each image by whole pixels, dx and dy uniform in -max_shift..max_shift, zero fill."""
    m = x.shape[1]
    pad = ((0, 0), (max_shift, max_shift), (max_shift, max_shift))
    padded = np.pad(x.T.reshape(m, SIDE, SIDE), pad)
    dy, dx = generator.integers(0, 2 * max_shift + 1, (2, m))
    rows = dy[:, None] + np.arange(SIDE)
    cols = dx[:, None] + np.arange(SIDE)
    moved = padded[np.arange(m)[:, None, None], rows[:, :, None], cols[:, None, :]]
    return moved.reshape(m, SIDE * SIDE).T


def random_affine(x, generator, max_rotation=10.0, max_scale=0.1, max_shear=0.1, max_shift=2.0):
    """Rotate (degrees), scale, shear and shift each image by uniform random amounts.

    Each output pixel p (centred coordinates) reads the input at A^-1 (p - t) by bilinear
    interpolation, with A = rotation @ shear @ scale drawn per image; outside reads are 0.
    """
    m = x.shape[1]
    angle, scale, shear, ty, tx = (generator.random((5, m)) * 2.0 - 1.0) * np.array(
        [[np.deg2rad(max_rotation)], [max_scale], [max_shear], [max_shift], [max_shift]]
    )
    scale = 1.0 + scale
    cos, sin = np.cos(angle), np.sin(angle)
    # A = R(angle) [[1, shear], [0, 1]] diag(scale, scale); invert the 2x2 in closed form
    a11, a12 = cos * scale, (cos * shear - sin) * scale
    a21, a22 = sin * scale, (sin * shear + cos) * scale
    det = a11 * a22 - a12 * a21
    centre = (SIDE - 1) / 2.0
    grid_r, grid_c = np.meshgrid(np.arange(SIDE) - centre, np.arange(SIDE) - centre, indexing="ij")
    pr = grid_r.ravel()[None, :] - ty[:, None]
    pc = grid_c.ravel()[None, :] - tx[:, None]
    src_r = (a22[:, None] * pr - a12[:, None] * pc) / det[:, None] + centre
    src_c = (-a21[:, None] * pr + a11[:, None] * pc) / det[:, None] + centre
    return bilinear(x, src_r, src_c).T


def bilinear(x, rows, cols):
    """Sample images x (784, m) at fractional (rows, cols) (m, n); 0 outside the image."""
    m = x.shape[1]
    padded = np.pad(x.T.reshape(m, SIDE, SIDE), ((0, 0), (1, 2), (1, 2))).reshape(m, -1)
    width = SIDE + 3
    rows = np.clip(rows, -1.0, SIDE) + 1.0
    cols = np.clip(cols, -1.0, SIDE) + 1.0
    r0 = np.floor(rows).astype(np.intp)
    c0 = np.floor(cols).astype(np.intp)
    fr = (rows - r0).astype(x.dtype)
    fc = (cols - c0).astype(x.dtype)
    corner = r0 * width + c0
    take = np.take_along_axis
    top = take(padded, corner, 1) * (1 - fc) + take(padded, corner + 1, 1) * fc
    bottom = take(padded, corner + width, 1) * (1 - fc) + take(padded, corner + width + 1, 1) * fc
    return top * (1 - fr) + bottom * fr
