"""Shared: MNIST read straight from the file, one quick run of backprop_main.py in a folder
that holds only the homework's three files and the data, and the option --network=PATH, which
checks another backprop_network.py through the course's interface and runs nothing else."""

import gzip
import os
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["b", "c", "d", "ablation", "spread"]
INTERFACE_CHECKS = "test_course_interface.py"


def pytest_addoption(parser):
    about = f"run only tests/{INTERFACE_CHECKS}, on the backprop_network.py at PATH"
    parser.addoption("--network", metavar="PATH", help=about)


def pytest_configure(config):
    """With --network, the short summary shows each failure's whole line, as -vv would."""
    if config.getoption("network"):
        config.option.verbose = max(config.option.verbose, 2)


def pytest_ignore_collect(collection_path, config):
    """With --network, no other test module is collected: they check our own files, with
    PyTorch and more."""
    name = collection_path.name
    if config.getoption("network") and name.startswith("test_") and name != INTERFACE_CHECKS:
        return True
    return None


def homework_folder(folder, files=("backprop_main.py", "backprop_data.py", "backprop_network.py")):
    """``folder`` holding copies of ``files`` and the data file (a link)."""
    for name in files:
        shutil.copy(ROOT / name, folder / name)
    (folder / "mnist.pkl.gz").symlink_to(ROOT / "mnist.pkl.gz")
    return folder


def run_python(folder, *args, python=sys.executable):
    """python *args, run in ``folder`` as a user would, without this repository on the path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(python), *args], cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )


def course_epochs(net, training_data, epochs, shuffle=random.shuffle):
    """The course's SGD around net.backprop, one example at a time, at its settings (mini-batches
    of 10, lr 0.1): shuffle the list in place, slice it, sum the per-example gradients and bind
    W_l - (0.1 / m) * sum (b_l alike) as new arrays. Yields after each epoch."""
    for _ in range(epochs):
        shuffle(training_data)
        for k in range(0, len(training_data), 10):
            batch = training_data[k : k + 10]
            grads = [net.backprop(x, y) for x, y in batch]
            sum_b = [sum(g) for g in zip(*(db for db, _ in grads))]
            sum_w = [sum(g) for g in zip(*(dw for _, dw in grads))]
            net.weights = [w - (0.1 / len(batch)) * s for w, s in zip(net.weights, sum_w)]
            net.biases = [b - (0.1 / len(batch)) * s for b, s in zip(net.biases, sum_b)]
        yield


@pytest.fixture(scope="session")
def mnist_parts():
    """The pickle's (training, validation, test) parts, read as the course reads them."""
    with gzip.open(ROOT / "mnist.pkl.gz", "rb") as f:
        return pickle.load(f, encoding="iso-8859-1")


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory):
    """``backprop_main.py --quick`` with every part, into out/: (folder, finished process)."""
    folder = homework_folder(tmp_path_factory.mktemp("homework"))
    parts = [arg for part in PARTS for arg in ("--part", part)]
    return folder, run_python(folder, "backprop_main.py", "--quick", *parts, "--out", "out")
