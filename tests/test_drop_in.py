"""The hand-in works on its own: backprop_network.py beside the course's own files runs the
course's example, backprop_main.py runs every part with only the homework's files, and both run
on the oldest versions the hand-in supports (Python 3.9, requirements-py39.txt)."""

import os
import textwrap

import pytest
from conftest import PARTS, ROOT, homework_folder, run_python

VENV39 = ROOT / ".venv39" / "bin" / "python"  # made by make test where it finds Python 3.9

# The course's loader and example as its facts describe them. SGD's order comes from Python's
# unseeded random.shuffle, as with the course's files, so each run differs (after 3 epochs it
# ended on either side of 80%); after 30 epochs eight orders ended at 89-91%, far above the 80%.
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
net.SGD(training_data, epochs=30, mini_batch_size=10, learning_rate=0.1, test_data=test_data)
"""


def test_the_network_runs_the_course_example_beside_the_course_files(tmp_path):
    folder = homework_folder(tmp_path, ["backprop_network.py"])
    (folder / "backprop_data.py").write_text(textwrap.dedent(COURSE_DATA))
    (folder / "backprop_main.py").write_text(textwrap.dedent(COURSE_MAIN))
    result = run_python(folder, "backprop_main.py")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == ["Initial test accuracy"] + [
        f"Epoch {j} test accuracy" for j in range(30)
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


def test_the_hand_in_runs_on_python_3_9_with_numpy_1_24(tmp_path):
    if not VENV39.exists():
        python39 = os.environ.get("PYTHON39", "python3.9")
        message = (
            f"no .venv39, which make test builds with Python 3.9 ({python39} not found): "
            "pyenv install 3.9, or make test PYTHON39=/path/to/python3.9"
        )
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    folder = homework_folder(tmp_path)
    (folder / "example.py").write_text(textwrap.dedent(COURSE_MAIN))
    check = "import sys, numpy; print(sys.version_info[:2], numpy.__version__)"
    versions = run_python(folder, "-c", check, python=VENV39).stdout
    assert versions.startswith("(3, 9)") and " 1.24." in versions
    example = run_python(folder, "-W", "error", "example.py", python=VENV39)
    assert example.returncode == 0 and example.stderr == "", example.stderr  # our loader too
    assert float(example.stdout.splitlines()[-1].split(": ")[1]) > 0.8
    parts = [arg for part in PARTS for arg in ("--part", part)]
    quick = run_python(folder, "backprop_main.py", "--quick", *parts, "--out", "out", python=VENV39)
    assert quick.returncode == 0, quick.stderr
    assert sorted(p.name for p in (folder / "out").glob("*.json")) == [
        f"part_{part}.json" for part in sorted(PARTS)
    ]
