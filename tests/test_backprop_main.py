"""backprop_main.py end to end: figures, results.json, reproducibility, divergence, bad options."""

import json

import numpy as np
import pytest

import backprop_data as data
import backprop_main
import mnist_bonus

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIGURES = [
    "part_b_train_accuracy.png",
    "part_b_train_loss.png",
    "part_b_test_accuracy.png",
    "part_c_test_accuracy.png",
    "part_d_validation_accuracy.png",
]


def read(out):
    return json.loads((out / "results.json").read_text())


def numbers_of(parts):
    """Everything but timings, timestamps and machine: what a rerun must reproduce."""
    drop = {"wall_time_s", "train_time_s", "created", "machine"}
    return {name: {k: v for k, v in part.items() if k not in drop} for name, part in parts.items()}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("quick")
    backprop_main.main(["--quick", "--ablation", "--out", str(out)])
    return out


def test_quick_run_writes_figures_and_results(quick_run):
    for name in FIGURES:
        assert (quick_run / name).read_bytes().startswith(PNG_SIGNATURE), name
    results = read(quick_run)
    assert set(results) >= {"machine", "data", "seed", "created", "parts"}
    assert set(results["parts"]) == {"b", "c", "d"}
    b, c, d = (results["parts"][p] for p in "bcd")
    assert set(b["runs"]) == {"0.001", "0.01", "0.1", "1", "10", "100"}
    for run in b["runs"].values():
        assert (
            len(run["train_accuracy"]) == len(run["train_loss"]) == len(run["test_accuracy"]) == 3
        )
        assert 0.0 <= run["dead_hidden_units"] <= 1.0
    assert len(c["test_accuracy"]) == 3 and c["final_test_accuracy"] == c["test_accuracy"][-1]
    assert 0.0 <= d["test_accuracy"] <= 1.0 and len(d["validation_accuracy"]) == 2
    assert [row["change"] for row in d["ablation"]] == [c for c, _ in mnist_bonus.ABLATION]
    assert d["ablation"][-1]["test_accuracy"] == d["test_accuracy"]
    assert all(0.0 <= row["validation_accuracy"] <= 1.0 for row in d["ablation"])
    for part in (b, c, d):
        assert part["wall_time_s"] > 0 and part["machine"]["cpu_count"] >= 1
    assert not list(quick_run.glob(".*")), "temporary files left behind"


def test_saved_bonus_network_reproduces_its_test_accuracy(quick_run):
    net, config = mnist_bonus.load_network(quick_run / "part_d_network.npz")
    assert config == read(quick_run)["parts"]["d"]["config"]
    _, test = data.load_matrices(*backprop_main.QUICK["d_sizes"])
    assert net.one_label_accuracy(test) == read(quick_run)["parts"]["d"]["test_accuracy"]


def test_same_seed_same_numbers_and_other_parts_are_kept(quick_run, tmp_path):
    for name in ("results.json",):
        (tmp_path / name).write_text((quick_run / name).read_text())
    backprop_main.main(["--quick", "--part", "b", "--part", "c", "--out", str(tmp_path)])
    again = read(tmp_path)
    assert numbers_of(again["parts"]) == numbers_of(read(quick_run)["parts"])
    backprop_main.main(["--quick", "--part", "c", "--seed", "1", "--out", str(tmp_path)])
    reseeded = read(tmp_path)["parts"]
    assert reseeded["c"]["test_accuracy"] != again["parts"]["c"]["test_accuracy"]
    assert reseeded["b"] == again["parts"]["b"] and reseeded["d"] == again["parts"]["d"]


def test_part_b_learning_rate_0_1_beats_80_percent_in_30_epochs(tmp_path):
    backprop_main.main(["--part", "b", "--learning-rates", "0.1", "--out", str(tmp_path)])
    run = read(tmp_path)["parts"]["b"]["runs"]["0.1"]
    assert len(run["test_accuracy"]) == 30
    assert run["test_accuracy"][-1] > 0.80


def test_a_diverging_learning_rate_does_not_stop_the_sweep(tmp_path):
    backprop_main.main(
        ["--quick", "--part", "b", "--learning-rates", "1e300", "0.1", "--out", str(tmp_path)]
    )
    runs = read(tmp_path)["parts"]["b"]["runs"]
    assert runs["1e+300"]["diverged"] and runs["1e+300"]["train_loss"] == [np.inf] * 3
    assert not runs["0.1"]["diverged"] and runs["0.1"]["test_accuracy"][-1] > 0.3
    assert (tmp_path / "part_b_train_loss.png").read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--part", "e"], "invalid choice"),
        (["--epochs", "0"], "--epochs must be at least 1"),
        (["--b-sizes", "0", "100"], "--b-sizes: 0 is not between 1 and 50000"),
        (["--c-sizes", "100", "10001"], "--c-sizes: 10001 is not between 1 and 10000"),
        (["--learning-rates", "-0.1"], "--learning-rates must be positive"),
        (["--learning-rates", "nan"], "--learning-rates must be positive"),
        (["--seed", "one"], "invalid int value"),
    ],
)
def test_bad_options_give_a_usage_error(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        backprop_main.parse_args(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and message in err


def test_an_interrupted_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "results.json"
    path.write_text("old")

    def write_then_fail(f):
        f.write(b"half of the new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backprop_main.write_atomically(path, write_then_fail)
    assert path.read_text() == "old"
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("content", ["{ not json", "[1, 2]", '{"parts": 3}'])
def test_unreadable_results_are_kept_aside(tmp_path, content, capsys):
    (tmp_path / "results.json").write_text(content)
    assert backprop_main.read_results(tmp_path / "results.json") == {"parts": {}}
    assert (tmp_path / "results.json.unreadable").read_text() == content
    assert "unreadable" in capsys.readouterr().err
