"""The written solution builds: the results generator formats present and missing results, every
result the document cites is one the generator provides, and the PDF compiles with no LaTeX error,
undefined reference or overfull box, both with the results in plots/ and with a full fake set.

The builds need TeX Live (``make test`` installs it on a Debian machine where it runs as root);
without latexmk they skip, except under CI (environment variable CI set), where they fail.
"""

import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mnist_results
from theory import build_pdf
from theory.make_results_tex import ALEXNET_RUNS, MNIST_FIGURES, rate_key, results_tex

THEORY = Path(build_pdf.__file__).parent
RATES = ["0.001", "0.01", "0.1", "1", "10", "100"]
ABLATION_CHANGES = ["course setting", "He init & momentum", "two hidden layers of 800"]


def curve(start, end, epochs=30):
    """A made-up per-epoch curve from ``start`` to ``end``."""
    return [start + (end - start) * e / (epochs - 1) for e in range(epochs)]


def fake_mnist():
    """The part_*.json records of mnist_results.py's format with made-up numbers (never written
    to plots/); write_fake_plots fills in "files" once the figures exist."""
    runs = [
        {
            "learning_rate": float(rate),
            "train_accuracy": curve(0.2, 0.9 - 0.01 * i),
            "train_loss": curve(3.0, 0.3),
            "test_accuracy": curve(0.2, 0.91234 - 0.1 * i),
            "diverged_at_epoch": None,
            "dead_hidden_units": 0.025 * i,
            "predicted_classes": 10 - i,
            "parameter_change": 0.1 * i,
        }
        for i, rate in enumerate(RATES)
    ]
    runs[-1] |= {"diverged_at_epoch": 5, "dead_hidden_units": None, "predicted_classes": None}
    runs[-1] |= {"parameter_change": None}
    for key in ("train_accuracy", "train_loss", "test_accuracy"):
        runs[-1][key] = runs[-1][key][:5]
    config = {"train_size": 10000, "test_size": 5000, "sizes": [784, 40, 10], "epochs": 30}
    common = {
        "command": "python backprop_main.py --part b",
        "machine": {
            "platform": "Linux-6.1.0-x86_64-with_glibc2.36",
            "processor": "",
            "cpu_count": 2,
            "python": "3.11.7",
            "numpy": "2.4.6",
        },
        "data": "mnist.pkl.gz (sha256 83390dc2...)",
        "created": "2023-05-20T10:00:00+00:00",
        "files": {},
    }
    bonus_config = {"sizes": [784, 256, 10], "optimizer": "SGD & momentum 0.9", "epochs": 30}
    return {
        "b": common
        | {"part": "b", "config": config | {"learning_rates": RATES}, "wall_time_s": 612.0}
        | {"runs": runs},
        "c": common
        | {"part": "c", "config": config | {"train_size": 50000, "test_size": 10000}}
        | {"wall_time_s": 300.5, "test_accuracy": curve(0.9, 0.9512)},
        "d": common
        | {"part": "d", "config": bonus_config, "wall_time_s": 1800.0, "train_time_s": 1700.0}
        | {"validation_accuracy": curve(0.95, 0.981), "test_accuracy": 0.9801}
        | {"diverged_at_epoch": None},
        "ablation": common
        | {"part": "ablation", "config": {"train_size": 50000}, "wall_time_s": 3000.0}
        | {
            "rows": [
                {
                    "change": change,
                    "config": bonus_config,
                    "validation_accuracy": 0.975,
                    "test_accuracy": None if i == 2 else 0.97,
                    "diverged_at_epoch": 3 if i == 2 else None,
                    "wall_time_s": 1700.0,
                }
                for i, change in enumerate(ABLATION_CHANGES, 1)
            ]
        },
    }


def fake_alexnet():
    """An alexnet_results.json of the documented schema with made-up numbers."""

    def run(label, rate, loss_end, val_end):
        return {
            "label": label,
            "optimizer": "Adam" if "sgd" not in label else "SGD",
            "learning_rate": rate,
            "train_images": 4500,
            "epochs": 10,
            "train_loss": curve(2.3, loss_end, 10),
            "train_accuracy": curve(0.1, 0.9, 10),
            "val_accuracy": curve(0.1, val_end, 10),
            "test_accuracy": val_end - 0.01,
            "test_accuracy_tta": None,
            "wall_time_s": 95.0,
        }

    runs = {key: run(key, 5e-5, 0.5, 0.6) for key in ALEXNET_RUNS}
    runs["a_sgd"] = run("a_sgd", 0.005, 1.2, 0.48)
    runs["d_bonus"] |= {"test_accuracy_tta": 0.87, "train_images": 45000}
    return {
        "data": "CIFAR-10",
        "device": "NVIDIA H100 (CUDA 12)",
        "total_wall_time_s": 1234.0,
        "runs": runs,
        "ablation": [{"change": "no augmentation", "val_accuracy": 0.8, "wall_time_s": 300.0}],
    }


def write_fake_plots(plots_dir, mnist=True, alexnet=True, figures=True):
    plots_dir.mkdir(exist_ok=True)
    if alexnet:
        (plots_dir / "alexnet_results.json").write_text(json.dumps(fake_alexnet()))
    if figures:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        names = list(MNIST_FIGURES) + ["alexnet_loss", "alexnet_val_accuracy"]
        for name in names:
            figure, axes = plt.subplots(figsize=(4, 2.5))
            axes.plot(curve(0.0, 1.0))
            axes.set_title(name)
            figure.savefig(plots_dir / f"{name}.png", dpi=60)
            plt.close(figure)
    if mnist:  # after the figures, whose digests the files hold
        for part, record in fake_mnist().items():
            names = [p.name for p in sorted(plots_dir.glob(f"part_{part}_*.png"))]
            record["files"] = {name: mnist_results.sha256(plots_dir / name) for name in names}
            (plots_dir / mnist_results.FILES[part]).write_text(mnist_results.dumps(record))
    return plots_dir


def results(tex):
    """The ``\\setresult`` values of a generated file, by key (one line each)."""
    return dict(re.findall(r"^\\setresult\{([^}]*)\}\{(.*)\}$", tex, re.MULTILINE))


def test_present_results_are_formatted(tmp_path):
    values = results(results_tex(write_fake_plots(tmp_path / "plots"), THEORY))
    assert values["mnist/b/0.001/final-test-acc"] == r"91.23\,\%"
    assert values["mnist/b/100/final-train-loss"] == "--"  # diverged in its sixth epoch
    assert values["mnist/b/100/diverged"] == "in epoch 6"
    assert values["mnist/b/100/best-epoch"] == "5"
    assert values["mnist/b/0.1/final-train-loss"] == "0.3000"
    assert values["mnist/b/diverged-rates"] == r"$\eta\in\{$100$\}$"
    assert values["mnist/c/final-test-acc"] == r"95.12\,\%"
    assert values["mnist/c/wall"] == r"5.0\,min"
    assert values["mnist/ablation/2/test-acc"] == "--"
    assert r"\texttt{python backprop" in values["mnist/b/command"]
    assert values["alexnet/a_adam/learning-rate"] == r"$5\times10^{-5}$"
    assert values["alexnet/a/loss-comparison"] == "lower than"
    assert values["alexnet/d_bonus/test-acc-tta"] == r"87.00\,\%"
    assert "alexnet/a_sgd/test-acc-tta" not in values  # the run did not use it
    assert r"SGD \& momentum" in values["mnist/d/config"]
    assert r"with\_\allowbreak{}glibc2" in values["mnist/d/machine"]
    assert r"\includegraphics[width=0.7\linewidth]{" in values["figure/part_b_train_loss"]
    assert values["figure/part_b_train_loss"].count("plots/part_b_train_loss.png") == 1
    assert values["alexnet/figures"].count(r"\includegraphics") == 2


def test_missing_results_give_no_values(tmp_path):
    """A missing file, part or figure defines no key, so the document says "not yet produced"."""
    plots = write_fake_plots(tmp_path / "plots", alexnet=False, figures=False)
    (plots / "part_c.json").unlink()
    values = results(results_tex(plots, THEORY))
    assert "mnist/b/table" in values
    assert not [k for k in values if k.startswith(("mnist/c/", "alexnet/", "figure/"))]
    assert results(results_tex(tmp_path / "empty", THEORY)) == {}


def test_mnist_files_of_another_format_or_run_are_refused(tmp_path):
    """A results file that is not strict JSON of the documented format, or a figure that is not
    the one its file describes, stops the generator with a message naming the file."""
    plots = write_fake_plots(tmp_path / "plots", alexnet=False)
    (plots / "part_c_test_accuracy.png").write_bytes(b"another run's figure")
    with pytest.raises(ValueError, match="part_c_test_accuracy.png"):
        results_tex(plots, THEORY)
    (plots / "part_c.json").unlink()
    record = fake_mnist()["b"]
    record["runs"][0]["test_accuracy"][3] = math.nan
    (plots / "part_b.json").write_text(json.dumps(record))
    with pytest.raises(ValueError, match="part_b.json: NaN is not JSON"):
        results_tex(plots, THEORY)
    del record["runs"][0]["test_accuracy"]
    (plots / "part_b.json").write_text(json.dumps(record))
    with pytest.raises(ValueError, match="'test_accuracy' is missing"):
        results_tex(plots, THEORY)


def test_learning_rate_keys_are_exact():
    assert [rate_key(float(r)) for r in RATES] == RATES
    assert rate_key(0.1000001) == "0.1000001" and rate_key(1e300) == "1e+300"
    assert rate_key(0.1 + 0.2) != rate_key(0.3)


def test_the_generator_and_the_results_format_need_no_numpy():
    """``make pdf`` runs them with a plain python3."""
    blocked = "import sys; sys.modules['numpy'] = None; import mnist_results, theory.build_pdf"
    run = subprocess.run([sys.executable, "-c", blocked], cwd=THEORY.parent, capture_output=True)
    assert run.returncode == 0, run.stderr.decode()


def test_every_cited_result_is_generated(tmp_path):
    """With every result present, each key the document cites is defined (a typo in a key would
    otherwise print "not yet produced" next to an existing result)."""
    values = results(results_tex(write_fake_plots(tmp_path / "plots"), THEORY))
    cited = set()
    for source in THEORY.glob("*.tex"):
        text = re.sub(r"(?<!\\)%.*", "", source.read_text())  # drop comments
        cited |= set(re.findall(r"\\(?:if)?result\{([^}#]*)\}", text))
    assert cited, "the document cites no results"
    assert sorted(cited - set(values)) == []


def require_latexmk():
    if shutil.which("latexmk") is None:
        reason = "latexmk not found (TeX Live: make test installs it on Debian as root)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must build the PDF, but {reason}")
        pytest.skip(reason)


def test_log_problems_are_found():
    log = (
        "Overfull \\hbox (0.5pt too wide) in paragraph\n"
        "Overfull \\hbox (12.3pt too wide) in paragraph\n"
        "LaTeX Warning: Reference `eq:x' on page 2 undefined on input line 5.\n"
        "./q1.tex:12: Undefined control sequence.\n"
        "! Emergency stop.\n"
    )
    assert len(build_pdf.log_problems(log)) == 4
    assert build_pdf.log_problems("Underfull \\hbox (badness 10000)\n") == []


def test_pdf_builds_cleanly_from_the_results_in_plots(tmp_path):
    require_latexmk()
    pdf, problems = build_pdf.build(tmp_path / "build")
    assert problems == []
    assert pdf.read_bytes().startswith(b"%PDF")


def test_pdf_builds_cleanly_with_every_result_present(tmp_path):
    require_latexmk()
    plots = write_fake_plots(tmp_path / "plots")
    pdf, problems = build_pdf.build(tmp_path / "build", plots)
    assert problems == []
    assert pdf.stat().st_size > pdf.with_name("solutions.aux").stat().st_size
