"""The loader draws the course's subsets in the course's forms; part (d)'s distortions move the
digits as they say."""

import numpy as np
import pytest

import backprop_data as data
from backprop_network import Network

pytestmark = pytest.mark.filterwarnings("error")


def test_load_draws_the_course_subsets(mnist_parts):
    """seed 8, then choice(50000, n) and choice(10000, m), both without replacement."""
    (train_x, train_y), _, (test_x, test_y) = mnist_parts
    np.random.seed(8)
    train_idx = np.random.choice(50000, 1000, replace=False)
    test_idx = np.random.choice(10000, 500, replace=False)
    course_start = Network([784, 5, 10])  # what the course's generator draws next

    training_data, test_data = data.load(1000, 500)
    after_load = Network([784, 5, 10])
    (x, y), (tx, labels) = data.load_matrices(1000, 500)
    assert len(training_data) == 1000 and len(test_data) == 500
    for (xi, yi), i in zip(training_data, train_idx, strict=True):
        assert xi.shape == (784, 1) and yi.shape == (10, 1) and yi[train_y[i], 0] == yi.sum() == 1
        np.testing.assert_array_equal(xi[:, 0], train_x[i])
    for (xi, label), i in zip(test_data, test_idx, strict=True):
        assert type(label) is int and label == test_y[i]
        np.testing.assert_array_equal(xi[:, 0], test_x[i])
    np.testing.assert_array_equal(x, train_x[train_idx].T)
    np.testing.assert_array_equal(y, np.hstack([yi for _, yi in training_data]))
    np.testing.assert_array_equal(tx, test_x[test_idx].T)
    np.testing.assert_array_equal(labels, test_y[test_idx])
    for ours, course in zip(after_load.weights, course_start.weights, strict=True):
        np.testing.assert_array_equal(ours, course)


def test_validation_images_are_the_files_middle_part(mnist_parts):
    x, labels = data.validation_matrices()
    _, (valid_x, valid_y), _ = mnist_parts
    np.testing.assert_array_equal(x, valid_x.T)
    np.testing.assert_array_equal(labels, valid_y)


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
        padded = np.pad(before.reshape(28, 28), 2)
        matches = {
            (dy, dx)
            for dy in range(5)
            for dx in range(5)
            if np.array_equal(padded[dy : dy + 28, dx : dx + 28], after.reshape(28, 28))
        }
        assert matches, "not a shift by at most 2 pixels"
        offsets |= matches
    assert len(offsets) > 5


def test_affine_without_distortion_is_the_identity_and_interpolates_bilinearly(digits):
    zero = {"max_rotation": 0, "max_scale": 0, "max_shear": 0, "max_shift": 0}
    same = data.random_affine(digits, np.random.default_rng(0), **zero)
    np.testing.assert_allclose(same, digits, atol=1e-6)
    image = np.arange(784.0).reshape(784, 1)  # pixel (r, c) holds 28 r + c
    sampled = data.bilinear(image, np.array([[3.5, -5.0]]), np.array([[7.25, 0.0]]))
    np.testing.assert_allclose(sampled[0], [28 * 3.5 + 7.25, 0.0])  # linear inside, 0 outside


def test_affine_distorts_but_keeps_each_digit_near(digits):
    warped = data.random_affine(digits, np.random.default_rng(1))
    assert warped.shape == digits.shape and warped.dtype == digits.dtype
    assert not np.allclose(warped, digits)
    correlation = [np.corrcoef(a, b)[0, 1] for a, b in zip(digits.T, warped.T, strict=True)]
    assert np.median(correlation) > 0.3
