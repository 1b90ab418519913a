"""The loader draws the course's subsets in the course's forms; part (d)'s distortions move the
digits as they say."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import backprop_data as data
from backprop_network import Network

pytestmark = pytest.mark.filterwarnings("error")


def test_load_draws_the_course_subsets(mnist_parts):
    """seed 8, then choice(50000, n) and choice(10000, m), both without replacement, so that a
    network built next starts as the course's; the lists hold x (784, 1) with a one-hot y (10, 1)
    or an int label, the matrices the same columns; validation_matrices, the file's middle part."""
    (train_x, train_y), (valid_x, valid_y), (test_x, test_y) = mnist_parts
    np.random.seed(8)
    train = np.random.choice(50000, 1000, replace=False)
    test = np.random.choice(10000, 500, replace=False)
    course_start = Network([784, 5, 10])  # what the course's generator draws next
    training_data, test_data = data.load(1000, 500)
    after_load = Network([784, 5, 10])
    (x, y), (tx, labels) = data.load_matrices(1000, 500)
    assert all(xi.shape == (784, 1) and yi.shape == (10, 1) for xi, yi in training_data)
    assert all(xi.shape == (784, 1) and type(label) is int for xi, label in test_data)
    lists = [np.hstack(c) for c in (*zip(*training_data), [xi for xi, _ in test_data])]
    lists.append([label for _, label in test_data])
    expected = [train_x[train].T, np.eye(10)[:, train_y[train]], test_x[test].T, test_y[test]]
    matrices = [x, y, tx, labels, *data.validation_matrices()]
    for ours, theirs in zip(lists + matrices, 2 * expected + [valid_x.T, valid_y], strict=True):
        np.testing.assert_array_equal(ours, theirs)
    for ours, course in zip(after_load.weights, course_start.weights, strict=True):
        np.testing.assert_array_equal(ours, course)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere/mnist.pkl.gz not found"):
        data.load(10, 10, path=tmp_path / "nowhere" / "mnist.pkl.gz")


@pytest.fixture(scope="module")
def digits(mnist_parts):
    return mnist_parts[0][0][:16].T.copy()


def test_shifts_move_whole_pixels_with_zero_fill(digits):
    moved = data.random_shifts(digits, np.random.default_rng(0), max_shift=2)
    assert moved.shape == digits.shape and moved.dtype == digits.dtype
    offsets = set()
    for before, after in zip(digits.T, moved.T, strict=True):
        shifts = sliding_window_view(np.pad(before.reshape(28, 28), 2), (28, 28))  # 5 x 5 of them
        matches = {tuple(s) for s in np.argwhere((shifts == after.reshape(28, 28)).all((2, 3)))}
        assert matches, "not a shift by at most 2 pixels"
        offsets |= matches
    assert len(offsets) > 5


def test_affine_is_a_bilinear_warp_that_keeps_each_digit_near(digits):
    """Without distortion it is the identity; it samples linearly between pixels and 0 outside;
    by default it changes the images but keeps each correlated with its digit (median above 0.3)."""
    zero = {"max_rotation": 0, "max_scale": 0, "max_shear": 0, "max_shift": 0}
    same = data.random_affine(digits, np.random.default_rng(0), **zero)
    np.testing.assert_allclose(same, digits, atol=1e-6)
    image = np.arange(784.0).reshape(784, 1)  # pixel (r, c) holds 28 r + c
    sampled = data.bilinear(image, np.array([[3.5, -5.0]]), np.array([[7.25, 0.0]]))
    np.testing.assert_allclose(sampled[0], [28 * 3.5 + 7.25, 0.0])
    warped = data.random_affine(digits, np.random.default_rng(1))
    assert warped.shape == digits.shape and warped.dtype == digits.dtype
    assert not np.allclose(warped, digits)
    correlation = [np.corrcoef(a, b)[0, 1] for a, b in zip(digits.T, warped.T, strict=True)]
    assert np.median(correlation) > 0.3
