"""backprop_main.py end to end: figures and one results file per part in the format of
mnist_results.py, reproducibility, divergence, concurrent runs, and user errors that stop the run
before any training with one line."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import backprop_data as data
import backprop_main
import mnist_bonus
import mnist_results

ROOT = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ALL_PARTS = ["--part", "b", "--part", "c", "--part", "d", "--part", "ablation"]


def read(out, part):
    record = mnist_results.read(out / mnist_results.FILES[part])
    mnist_results.check_files(out, record)
    return record


def numbers(record):
    """Everything but timings, timestamps, command and machine: what a rerun must reproduce."""
    drop = {"wall_time_s", "train_time_s", "created", "command", "machine"}
    rows = [{k: v for k, v in row.items() if k not in drop} for row in record.get("rows", [])]
    return {k: v for k, v in record.items() if k not in drop} | {"rows": rows}


def run_main(*args, cwd=ROOT):
    """backprop_main.py as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, str(ROOT / "backprop_main.py"), *args],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("quick")
    backprop_main.main(["--quick", *ALL_PARTS, "--out", str(out)])
    return out


def test_quick_run_writes_figures_and_one_valid_file_per_part(quick_run):
    b, c, d, ablation = (read(quick_run, part) for part in mnist_results.PARTS)
    for name in backprop_main.FIGURES["b"] + backprop_main.FIGURES["c"]:
        assert (quick_run / name).read_bytes().startswith(PNG_SIGNATURE), name
    assert set(b["files"]) == set(backprop_main.FIGURES["b"])
    assert set(d["files"]) == {"part_d_validation_accuracy.png", "part_d_network.npz"}
    assert [run["learning_rate"] for run in b["runs"]] == [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]
    for run in b["runs"]:
        assert len(run["train_accuracy"]) == len(run["train_loss"]) == len(run["test_accuracy"])
        assert len(run["test_accuracy"]) == 3 and run["diverged_at_epoch"] is None
        assert 1 <= run["predicted_classes"] <= 10 and run["parameter_change"] > 0
    assert len(c["test_accuracy"]) == 3 and c["config"]["train_size"] == 2000
    assert len(d["validation_accuracy"]) == 2 and d["config"]["sizes"] == [784, 64, 10]
    assert [row["change"] for row in ablation["rows"]] == [c for c, _ in mnist_bonus.ABLATION]
    for record in (b, c, d, ablation):
        assert record["command"].startswith("python backprop_main.py --quick")
        assert record["machine"]["cpu_count"] >= 1 and record["wall_time_s"] > 0
    assert not list(quick_run.glob(".*")), "temporary files left behind"


def test_the_ablation_last_row_repeats_part_d_exactly(quick_run):
    d, ablation = read(quick_run, "d"), read(quick_run, "ablation")
    last = ablation["rows"][-1]
    assert last["config"] == d["config"]
    assert last["test_accuracy"] == d["test_accuracy"]
    assert last["validation_accuracy"] == d["validation_accuracy"][-1]


def test_saved_bonus_network_reproduces_its_test_accuracy(quick_run):
    net, config = mnist_bonus.load_network(quick_run / "part_d_network.npz")
    assert config == read(quick_run, "d")["config"]
    _, test = data.load_matrices(*backprop_main.QUICK["d_sizes"])
    assert net.one_label_accuracy(test) == read(quick_run, "d")["test_accuracy"]


def test_a_rerun_repeats_its_numbers_and_leaves_other_parts_alone(quick_run, tmp_path):
    for part in mnist_results.PARTS:
        for name in [mnist_results.FILES[part], *backprop_main.FIGURES[part]]:
            shutil.copy(quick_run / name, tmp_path / name)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    backprop_main.main(["--quick", "--part", "c", "--out", str(tmp_path)])
    assert numbers(read(tmp_path, "c")) == numbers(read(quick_run, "c"))
    backprop_main.main(["--quick", "--part", "c", "--seed", "1", "--out", str(tmp_path)])
    assert read(tmp_path, "c")["test_accuracy"] != read(quick_run, "c")["test_accuracy"]
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"part_c.json", "part_c_test_accuracy.png"}


def test_concurrent_runs_of_different_parts_into_one_folder_keep_both(tmp_path):
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "backprop_main.py"),
                "--quick",
                "--part",
                part,
                "--out",
                str(tmp_path),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for part in ("b", "c")
    ]
    for process in runs:
        assert process.wait(timeout=300) == 0, process.stderr.read()
        process.stderr.close()
    assert len(read(tmp_path, "b")["runs"]) == 6
    assert len(read(tmp_path, "c")["test_accuracy"]) == 3


def test_a_figure_from_another_run_is_detected(quick_run, tmp_path):
    for name in ["part_b.json", *backprop_main.FIGURES["b"]]:
        shutil.copy(quick_run / name, tmp_path / name)
    shutil.copy(quick_run / "part_b_test_accuracy.png", tmp_path / "part_b_train_loss.png")
    with pytest.raises(ValueError, match="part_b_train_loss.png"):
        read(tmp_path, "b")


def test_part_b_learning_rate_0_1_beats_80_percent_in_30_epochs(tmp_path):
    backprop_main.main(["--part", "b", "--learning-rates", "0.1", "--out", str(tmp_path)])
    (run,) = read(tmp_path, "b")["runs"]
    assert len(run["test_accuracy"]) == 30
    assert run["test_accuracy"][-1] > 0.80


def test_a_diverging_learning_rate_does_not_stop_the_sweep(tmp_path):
    backprop_main.main(
        ["--quick", "--part", "b", "--learning-rates", "1e300", "0.1", "--out", str(tmp_path)]
    )
    diverged, fine = read(tmp_path, "b")["runs"]
    assert diverged["diverged_at_epoch"] == 0 and diverged["train_loss"] == []
    assert diverged["dead_hidden_units"] is None
    assert fine["diverged_at_epoch"] is None and fine["test_accuracy"][-1] > 0.3
    assert (tmp_path / "part_b_train_loss.png").read_bytes().startswith(PNG_SIGNATURE)


def test_learning_rates_are_kept_exactly(tmp_path):
    backprop_main.main(
        ["--quick", "--part", "b", "--epochs", "1", "--learning-rates", "0.1", "0.1000001",
         "--out", str(tmp_path)]
    )  # fmt: skip
    rates = [run["learning_rate"] for run in read(tmp_path, "b")["runs"]]
    assert rates == [0.1, 0.1000001]


def test_explicit_options_are_not_replaced_by_quick():
    args = backprop_main.parse_args(["--quick", "--b-sizes", "100", "50", "--epochs", "2"])
    assert args.b_sizes == [100, 50] and args.epochs == 2
    assert args.c_sizes == backprop_main.QUICK["c_sizes"] and args.out == Path("plots/quick")


def test_each_run_says_when_it_starts_and_ends(tmp_path, capsys):
    backprop_main.main(["--quick", "--part", "b", "--part", "c", "--out", str(tmp_path)])
    lines = capsys.readouterr().out.splitlines()
    for label in ["(b) lr 0.001", "(b) lr 0.1", "(b) lr 100", "(c) lr 0.1"]:
        assert f"{label}: training 3 epochs" in "\n".join(lines)
        assert any(line.startswith(f"{label}: done in ") for line in lines)


def test_lines_arrive_while_the_run_goes_on_when_stdout_is_a_pipe(tmp_path):
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "backprop_main.py"), "--quick", "--part", "c",
         "--epochs", "1000", "--out", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        first = process.stdout.readline()
        assert first.startswith("(c) lr 0.1: training 1000 epochs")
        assert process.poll() is None, "the line came only when the run ended"
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def one_line_error(argv, capsys, status=2):
    with pytest.raises(SystemExit) as exit_info:
        backprop_main.parse_args(argv)
    assert exit_info.value.code == status
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("backprop_main.py: error: "), err
    return err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--part", "e"], "invalid choice"),
        (["--epochs", "0"], "--epochs must be at least 1"),
        (["--bonus-epochs", "-2"], "--bonus-epochs must be at least 1"),
        (["--b-sizes", "0", "100"], "--b-sizes: 0 is not between 1 and 50000"),
        (["--quick", "--b-sizes", "0", "5"], "--b-sizes: 0 is not between 1 and 50000"),
        (["--c-sizes", "100", "10001"], "--c-sizes: 10001 is not between 1 and 10000"),
        (["--learning-rates", "-0.1"], "-0.1 is not a positive finite number"),
        (["--learning-rates", "nan"], "nan is not a positive finite number"),
        (["--learning-rates", "inf"], "inf is not a positive finite number"),
        (["--learning-rates", "0.1", "0.10"], "--learning-rates: 0.1 is given twice"),
        (["--seed", "-1"], "--seed must be at least 0"),
        (["--seed", "one"], "invalid int value"),
    ],
)
def test_bad_options_end_with_one_line(argv, message, capsys):
    assert message in one_line_error(argv, capsys)


def test_bad_output_folders_end_with_one_line_before_any_work(tmp_path, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    assert "is a file, not a folder" in one_line_error(["--out", str(a_file)], capsys, 1)
    assert "cannot write into --out" in one_line_error(["--out", str(a_file / "sub")], capsys, 1)
    (tmp_path / "part_c.json").mkdir()
    err = one_line_error(["--part", "c", "--out", str(tmp_path)], capsys, 1)
    assert "part_c.json is in the way" in err


@pytest.mark.parametrize("content", [None, b"not a gzip file"], ids=["missing", "corrupt"])
def test_a_missing_or_corrupt_data_file_ends_with_one_line(tmp_path, content):
    for name in ("backprop_main.py", "backprop_data.py", "backprop_network.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    if content is not None:
        (tmp_path / "mnist.pkl.gz").write_bytes(content)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "backprop_main.py", "--part", "b", "--out", "out"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "mnist.pkl.gz" in line and ("not found" in line or "not a readable" in line)
    assert not (tmp_path / "out").exists()


def test_results_files_are_strict_json(quick_run, tmp_path):
    record = json.loads((quick_run / "part_c.json").read_text())
    record["test_accuracy"][0] = float("nan")
    with pytest.raises(ValueError):
        mnist_results.dumps(record)
    (tmp_path / "part_c.json").write_text(json.dumps(record))
    with pytest.raises(ValueError, match="NaN is not JSON"):
        mnist_results.read(tmp_path / "part_c.json")


def test_an_interrupted_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "part_b.json"
    path.write_text("old")

    def write_then_fail(f):
        f.write(b"half of the new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backprop_main.write_atomically(path, write_then_fail)
    assert path.read_text() == "old"
    assert list(tmp_path.iterdir()) == [path]
