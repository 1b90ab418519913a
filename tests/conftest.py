"""Shared fixtures: the course's MNIST subsets, loaded once per test session."""

import pytest

import backprop_data as data


@pytest.fixture(scope="session")
def course_subsets():
    """``load(10000, 5000)``, the subsets of the homework's example, as lists of tuples."""
    return data.load(train_size=10000, test_size=5000)


@pytest.fixture(scope="session")
def mnist_parts():
    """The pickle's (training, validation, test) parts, read once."""
    return data.read_mnist()
