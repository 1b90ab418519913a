"""The hand-in works on its own: backprop_network.py beside the course's own files runs the
course's example, and backprop_main.py runs every part with only the homework's files."""

import textwrap

from conftest import PARTS, homework_folder, run_python

# The course's loader and example as its facts describe them (three epochs instead of thirty).
COURSE_DATA = """
import gzip
import pickle

import numpy as np


def vectorized_result(j):
    e = np.zeros((10, 1))
    e[j] = 1.0
    return e


def load(train_size, test_size):
    with gzip.open("mnist.pkl.gz", "rb") as f:
        training, _validation, test = pickle.load(f, encoding="iso-8859-1")
    np.random.seed(8)
    train_idx = np.random.choice(50000, train_size, replace=False)
    test_idx = np.random.choice(10000, test_size, replace=False)
    training_data = [
        (np.reshape(training[0][i], (784, 1)), vectorized_result(training[1][i]))
        for i in train_idx
    ]
    test_data = [(np.reshape(test[0][i], (784, 1)), int(test[1][i])) for i in test_idx]
    return training_data, test_data
"""
COURSE_MAIN = """
import backprop_data as data
import backprop_network as network

training_data, test_data = data.load(train_size=10000, test_size=5000)
net = network.Network([784, 40, 10])
net.SGD(training_data, epochs=3, mini_batch_size=10, learning_rate=0.1, test_data=test_data)
"""


def test_the_network_runs_the_course_example_beside_the_course_files(tmp_path):
    folder = homework_folder(tmp_path, ["backprop_network.py"])
    (folder / "backprop_data.py").write_text(textwrap.dedent(COURSE_DATA))
    (folder / "backprop_main.py").write_text(textwrap.dedent(COURSE_MAIN))
    result = run_python(folder, "backprop_main.py")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == [
        "Initial test accuracy",
        "Epoch 0 test accuracy",
        "Epoch 1 test accuracy",
        "Epoch 2 test accuracy",
    ]
    accuracies = [float(line.split(": ")[1]) for line in lines]
    assert accuracies[0] < 0.3 and accuracies[-1] > 0.8


def test_main_runs_every_part_with_only_the_homework_files(quick_run):
    folder, result = quick_run
    assert result.returncode == 0, result.stderr
    present = {p.name for p in folder.iterdir()} - {"__pycache__", "out"}
    assert present == {
        "backprop_main.py",
        "backprop_data.py",
        "backprop_network.py",
        "mnist.pkl.gz",
    }
    for part in PARTS:
        assert (folder / "out" / f"part_{part}.json").is_file()
