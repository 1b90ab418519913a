"""Shared: MNIST read straight from the file, and one quick run of backprop_main.py in a folder
that holds only the homework's three files and the data."""

import gzip
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["b", "c", "d", "ablation"]


def homework_folder(folder, files=("backprop_main.py", "backprop_data.py", "backprop_network.py")):
    """``folder`` holding copies of ``files`` and the data file (a link)."""
    for name in files:
        shutil.copy(ROOT / name, folder / name)
    (folder / "mnist.pkl.gz").symlink_to(ROOT / "mnist.pkl.gz")
    return folder


def run_python(folder, *args):
    """python *args, run in ``folder`` as a user would, without this repository on the path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )


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
