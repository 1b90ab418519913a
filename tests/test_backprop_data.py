"""The MNIST loader: the course's formats and subsets, the matrix form, and bad input."""

import gzip
import pickle

import numpy as np
import pytest

import backprop_data as data
from backprop_network import Network

pytestmark = pytest.mark.filterwarnings("error")


def test_course_formats(course_subsets):
    training_data, test_data = course_subsets
    assert len(training_data) == 10000 and len(test_data) == 5000
    x, y = training_data[0]
    assert x.shape == (784, 1) and x.dtype == np.float32
    assert y.shape == (10, 1) and y.dtype == np.float64
    x, label = test_data[0]
    assert x.shape == (784, 1) and x.dtype == np.float32
    assert isinstance(label, int) and 0 <= label <= 9


def test_one_hot_columns_hold_the_labels_of_the_file(course_subsets, mnist_parts):
    training_data, _ = course_subsets
    (train_x, train_y), _, _ = mnist_parts
    np.random.seed(8)
    expected_idx = np.random.choice(50000, 10000, replace=False)
    for (x, y), i in zip(training_data[:500], expected_idx[:500], strict=True):
        assert y.sum() == 1.0 and set(np.unique(y)) == {0.0, 1.0}
        assert y.argmax() == train_y[i]
        np.testing.assert_array_equal(x[:, 0], train_x[i])


def test_subsets_follow_the_course_draws(course_subsets, mnist_parts):
    """seed 8, then choice(50000, n, replace=False), then choice(10000, m, replace=False)."""
    _, test_data = course_subsets
    _, _, (test_x, test_y) = mnist_parts
    np.random.seed(8)
    np.random.choice(50000, 10000, replace=False)
    test_idx = np.random.choice(10000, 5000, replace=False)
    assert len(set(test_idx)) == 5000
    for (x, label), i in zip(test_data, test_idx, strict=True):
        assert label == test_y[i]
        np.testing.assert_array_equal(x[:, 0], test_x[i])


def test_load_is_deterministic_and_leaves_the_course_generator_state():
    first_train, first_test = data.load(200, 100)
    after_load = Network([784, 5, 10])
    second_train, second_test = data.load(200, 100)
    again = Network([784, 5, 10])
    for (a, b), (c, d) in zip(first_train + first_test, second_train + second_test, strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    np.random.seed(8)
    np.random.choice(50000, 200, replace=False)
    np.random.choice(10000, 100, replace=False)
    by_hand = Network([784, 5, 10])
    for net in (after_load, again):
        for w, w_hand in zip(
            net.weights + net.biases, by_hand.weights + by_hand.biases, strict=True
        ):
            np.testing.assert_array_equal(w, w_hand)


def test_matrix_form_matches_the_tuples():
    training_data, test_data = data.load(300, 200)
    (x, y), (test_x, test_labels) = data.load_matrices(300, 200)
    assert x.shape == (784, 300) and y.shape == (10, 300) and x.flags.f_contiguous
    assert test_x.shape == (784, 200) and test_labels.shape == (200,)
    np.testing.assert_array_equal(x, np.hstack([x for x, _ in training_data]))
    np.testing.assert_array_equal(y, np.hstack([y for _, y in training_data]))
    np.testing.assert_array_equal(test_x, np.hstack([x for x, _ in test_data]))
    np.testing.assert_array_equal(test_labels, [label for _, label in test_data])
    np.testing.assert_array_equal(y.sum(axis=0), 1.0)


def test_vectorized_result():
    e = data.vectorized_result(3)
    assert e.shape == (10, 1) and e[3, 0] == 1.0 and e.sum() == 1.0


@pytest.mark.parametrize(
    ("train_size", "test_size", "named"),
    [
        (0, 10, "train_size"),
        (-5, 10, "train_size"),
        (50001, 10, "train_size"),
        (2.5, 10, "train_size"),
        (True, 10, "train_size"),
        ("100", 10, "train_size"),
        (10, 0, "test_size"),
        (10, 10001, "test_size"),
        (10, None, "test_size"),
    ],
)
def test_impossible_sizes_are_refused(train_size, test_size, named):
    with pytest.raises(ValueError, match=named):
        data.load(train_size, test_size)
    with pytest.raises(ValueError, match=named):
        data.load_matrices(train_size, test_size)


def test_largest_sizes_take_every_example_once(mnist_parts):
    (_, train_y), _, (_, test_y) = mnist_parts
    (x, y), (test_x, test_labels) = data.load_matrices(50000, 10000)
    np.testing.assert_array_equal(np.bincount(y.argmax(axis=0)), np.bincount(train_y))
    np.testing.assert_array_equal(np.bincount(test_labels), np.bincount(test_y))
    assert x.shape == (784, 50000) and test_x.shape == (784, 10000)


def test_missing_file_names_where_it_looked(tmp_path):
    missing = tmp_path / "nowhere" / "mnist.pkl.gz"
    with pytest.raises(FileNotFoundError, match="nowhere/mnist.pkl.gz"):
        data.load(10, 10, path=missing)


def write_gzip(path, payload):
    with gzip.open(path, "wb") as f:
        f.write(payload)
    return path


@pytest.mark.parametrize(
    "make_file",
    [
        lambda p: p.write_bytes(b"not a gzip file at all"),
        lambda p: p.write_bytes(gzip.compress(pickle.dumps("x" * 10_000))[:40]),
        lambda p: write_gzip(p, b"gzip of something that is not a pickle"),
        lambda p: write_gzip(p, pickle.dumps({"training": 1})),
        lambda p: write_gzip(
            p,
            pickle.dumps(
                tuple((np.zeros((n, 28, 28), np.float32), np.zeros(n, np.int64)) for n in (5, 3, 3))
            ),
        ),
    ],
    ids=["not-gzip", "truncated", "not-pickle", "wrong-object", "wrong-shapes"],
)
def test_corrupt_file_is_reported_with_its_path(tmp_path, make_file):
    path = tmp_path / "mnist.pkl.gz"
    make_file(path)
    with pytest.raises(ValueError, match=str(path)):
        data.load(10, 10, path=path)


def test_a_file_written_in_the_official_layout_loads(tmp_path):
    """A file written in the course's layout, with recognisable pixels, round-trips."""
    rng = np.random.default_rng(0)
    parts = []
    for n in (50000, 10000, 10000):
        labels = rng.integers(0, 10, n)
        x = np.repeat((np.arange(n) / n)[:, None], 784, axis=1).astype(np.float32)
        parts.append((x, labels))
    path = write_gzip(tmp_path / "mnist.pkl.gz", pickle.dumps(tuple(parts), protocol=2))
    training_data, test_data = data.load(20, 10, path=path)
    np.random.seed(8)
    train_idx = np.random.choice(50000, 20, replace=False)
    for (x, y), i in zip(training_data, train_idx, strict=True):
        assert x[0, 0] == np.float32(i / 50000) and y.argmax() == parts[0][1][i]


def test_changing_loaded_data_leaves_the_next_load_intact():
    training_data, test_data = data.load(5, 5)
    (x, _), (test_x, _) = data.load_matrices(5, 5)
    for array in (training_data[0][0], test_data[0][0], x, test_x):
        array[...] = 7.0
    training_data, test_data = data.load(5, 5)
    (x, _), (test_x, _) = data.load_matrices(5, 5)
    for array in (training_data[0][0], test_data[0][0], x, test_x):
        assert array.max() < 1.0
