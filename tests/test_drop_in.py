"""backprop_network.py drops into the course's setting, and backprop_main.py runs parts (b) and
(c) with only the homework's files present: each is copied into an empty folder and run there."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The course's loader as its facts describe it: lists of tuples, seed 8, np.random.choice.
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

# The course's example, with three epochs instead of thirty.
COURSE_MAIN = """
import backprop_data as data
import backprop_network as network

training_data, test_data = data.load(train_size=10000, test_size=5000)
net = network.Network([784, 40, 10])
net.SGD(training_data, epochs=3, mini_batch_size=10, learning_rate=0.1, test_data=test_data)
"""


def folder_with(tmp_path, files, texts=None):
    """An empty folder holding copies of ``files`` from the repository, the texts given, and
    the data file (linked)."""
    for name in files:
        shutil.copy(ROOT / name, tmp_path / name)
    for name, text in (texts or {}).items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    (tmp_path / "mnist.pkl.gz").symlink_to(ROOT / "mnist.pkl.gz")
    return tmp_path


def run(folder, *args):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_network_runs_the_course_example_beside_the_course_files(tmp_path):
    folder = folder_with(
        tmp_path,
        ["backprop_network.py"],
        {"backprop_data.py": COURSE_DATA, "backprop_main.py": COURSE_MAIN},
    )
    result = run(folder, "backprop_main.py")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == [
        "Initial test accuracy",
        "Epoch 0 test accuracy",
        "Epoch 1 test accuracy",
        "Epoch 2 test accuracy",
    ]
    accuracies = [float(line.split(": ")[1]) for line in lines]
    assert accuracies[0] < 0.3 and accuracies[-1] > 0.8


@pytest.fixture(scope="module")
def homework_files(tmp_path_factory):
    """Only the files a student submits for question 1, and the data."""
    folder = tmp_path_factory.mktemp("homework")
    return folder_with(folder, ["backprop_main.py", "backprop_data.py", "backprop_network.py"])


def test_main_runs_parts_b_and_c_with_only_the_homework_files(homework_files):
    result = run(homework_files, "backprop_main.py", "--quick", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert "part (d) skipped: mnist_bonus.py is not beside backprop_main.py" in result.stdout
    written = sorted(p.name for p in (homework_files / "out").iterdir())
    assert "part_b.json" in written and "part_c.json" in written
    assert not [name for name in written if name.startswith("part_d")]


def test_main_asked_for_part_d_without_its_files_says_what_is_missing(homework_files):
    result = run(homework_files, "backprop_main.py", "--quick", "--part", "d", "--out", "out_d")
    assert result.returncode == 1
    message = "part (d) needs mnist_bonus.py beside backprop_main.py"
    assert result.stderr.splitlines() == [f"backprop_main.py: error: {message}"]
    assert not (homework_files / "out_d").exists()
