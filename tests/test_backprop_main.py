"""backprop_main.py as a user runs it: every part end to end (--quick) with its figures and its
results file, two runs of different parts into one folder, and the mistakes a user can make."""

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import PARTS, ROOT, homework_folder, run_python

import backprop_data as data
from backprop_main import ABLATION, CONFIG, QUICK
from backprop_network import Network

FIGURES = [
    "part_b_train_accuracy.png",
    "part_b_train_loss.png",
    "part_b_test_accuracy.png",
    "part_c_test_accuracy.png",
    "part_d_validation_accuracy.png",
]


def read(path):
    """A results file, refusing NaN and Infinity (strict JSON)."""

    def refuse(constant):
        raise ValueError(f"{path.name} holds {constant}")

    return json.loads(path.read_text(), parse_constant=refuse)


def test_a_quick_run_writes_every_part(quick_run):
    folder, result = quick_run
    assert result.returncode == 0, result.stderr
    out = folder / "out"
    b, c, d, ablation, spread = (read(out / f"part_{part}.json") for part in PARTS)
    for part, record in zip(PARTS, (b, c, d, ablation, spread), strict=True):
        assert record["part"] == part and record["config"] == CONFIG[part] | QUICK[part]
        assert record["command"].startswith("python backprop_main.py --quick --part b")
        assert record["seconds"] > 0
    assert [run["learning_rate"] for run in b["runs"]] == CONFIG["b"]["learning_rates"]
    for run in b["runs"]:
        for key in ("train_accuracy", "train_loss", "test_accuracy"):
            assert len(run[key]) == QUICK["b"]["epochs"]
        assert all(0 <= a <= 1 for a in run["train_accuracy"] + run["test_accuracy"])
        assert 0 <= run["dead_hidden_units"] <= 1 and 1 <= run["predicted_classes"] <= 10
    assert len(c["test_accuracy"]) == QUICK["c"]["epochs"] and c["test_accuracy"][-1] > 0.5
    assert len(d["validation_accuracy"]) == QUICK["d"]["epochs"] and d["test_accuracy"] > 0.5
    assert [row["change"] for row in ablation["rows"]] == [change for change, _ in ABLATION]
    assert not any("test_accuracy" in row for row in ablation["rows"])
    last = ablation["rows"][-1]  # part (d)'s network, trained again: the same numbers
    assert last["config"] == d["config"]
    assert last["validation_accuracy"] == d["validation_accuracy"][-1]
    # The spread: every run of (b)-(d) once per seed; seed 0 repeats the part's own run exactly.
    seeds = QUICK["spread"]["seeds"]
    learning_rates = CONFIG["b"]["learning_rates"]
    assert [(r["learning_rate"], r["seed"]) for r in spread["b"]] == [
        (lr, seed) for seed in seeds["b"] for lr in learning_rates
    ]
    assert spread["b"][: len(learning_rates)] == [run | {"seed": 0} for run in b["runs"]]
    assert spread["c"][0]["test_accuracy"] == c["test_accuracy"] != spread["c"][1]["test_accuracy"]
    assert [r["test_accuracy"] for r in spread["d"]][:1] == [d["test_accuracy"]]
    assert len(spread["d"]) == len(seeds["d"])
    for name in FIGURES:
        assert (out / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), name
    assert "Initial test accuracy: " in result.stdout and "Epoch 1 test accuracy: " in result.stdout


def test_the_saved_bonus_network_gives_its_test_accuracy(quick_run):
    folder, _ = quick_run
    net = Network(QUICK["d"]["sizes"])
    with np.load(folder / "out" / "part_d_network.npz") as saved:
        net.weights = [saved[f"W{i}"] for i in range(1, net.num_layers)]
        net.biases = [saved[f"b{i}"] for i in range(1, net.num_layers)]
    _, test = data.load_matrices(QUICK["d"]["train_size"], 10000)
    assert net.one_label_accuracy(test) == read(folder / "out" / "part_d.json")["test_accuracy"]


def test_two_runs_of_different_parts_into_one_folder_keep_both(tmp_path):
    runs = [
        subprocess.Popen(
            [sys.executable, "backprop_main.py", "--quick", "--part", part, "--out", str(tmp_path)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        for part in ("b", "c")
    ]
    assert [process.wait(timeout=300) for process in runs] == [0, 0]
    assert len(read(tmp_path / "part_b.json")["runs"]) == 6
    assert len(read(tmp_path / "part_c.json")["test_accuracy"]) == QUICK["c"]["epochs"]
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["part_b.json", "part_c.json"]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--part", "x"], 2, "argument --part: invalid choice: 'x'"),
        (["--out", "backprop_data.py"], 1, "--out backprop_data.py is a file, not a folder"),
        (["--part", "c", "--out", "out"], 1, "mnist.pkl.gz not found"),
    ],
    ids=["wrong-part", "out-is-a-file", "no-data"],
)
def test_a_mistake_ends_with_one_line_before_any_training(tmp_path, args, status, message):
    folder = homework_folder(tmp_path)
    if message.startswith("mnist"):
        (folder / "mnist.pkl.gz").unlink()
    result = run_python(folder, "backprop_main.py", *args)
    assert result.returncode == status and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("backprop_main.py: error: ")
    assert message in result.stderr.splitlines()[-1]
    if status == 1:
        assert len(result.stderr.splitlines()) == 1
    assert not (folder / "out").exists()
