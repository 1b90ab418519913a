"""The written solution builds: the results generator formats present and missing results, every
result the document cites is one the generator provides, the words that question 2's answers take
from the AlexNet run follow its numbers, and the PDF compiles with no LaTeX error, undefined
reference or overfull box: with the results in plots/, with a full fake set, and with every kind
of AlexNet results file (none, some parts only, comparisons turned around, an older format).

The builds need TeX Live (``make tex-tools`` installs it, as root on Debian; ``make test`` never
does); without latexmk they skip, except under CI (environment variable CI set), where they fail.
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
from theory.make_results_tex import (
    ALEXNET_CONDITIONS,
    ALEXNET_FIGURES,
    MNIST_FIGURES,
    alexnet_results,
    epochs_where,
    rate_key,
    results_tex,
)

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


def zigzag(start, end, epochs=10, amplitude=0.03):
    """A made-up validation curve: a trend from ``start`` to ``end`` with epoch-to-epoch jumps."""
    return [v + amplitude * (-1) ** e for e, v in enumerate(curve(start, end, epochs))]


def fake_alexnet(parts="all"):
    """An alexnet_results.json in the notebook's format, shaped like a real run (made-up numbers):
    runs (a)-(c) always; the bonus, trained on all 50,000 images and so without a validation
    curve, for parts "a-d" and "all"; the ablation, with adopted steps, alternatives tried and
    dropped and an evaluation-only row, for "all" only."""

    def run(label, optimizer, rate, loss, val, test):
        return {
            "label": label,
            "optimizer": optimizer,
            "learning_rate": rate,
            "train_images": 4500,
            "epochs": 10,
            "train_loss": loss,
            "train_accuracy": curve(0.25, 0.7, 10),
            "val_accuracy": val,
            "test_accuracy": test,
            "wall_time_s": 6.5,
        }

    runs = {
        "a_sgd": run(
            "(a) SGD, lr 0.005", "SGD", 0.005, curve(2.2, 1.25, 10), zigzag(0.3, 0.45), 0.44
        ),
        "a_adam": run("(a) Adam", "Adam", 5e-5, curve(1.95, 0.8, 10), zigzag(0.4, 0.57), 0.55),
        "b_adam_lr_5e-3": run(
            "(b) Adam, lr 5e-3", "Adam", 5e-3, [15.0] + curve(2.3, 2.1, 9), zigzag(0.15, 0.2), 0.2
        ),
        "c_adam_no_bn_dropout": run(
            "(c) no BN or Dropout", "Adam", 5e-5, curve(2.1, 1.0, 10), zigzag(0.3, 0.5), 0.52
        ),
    }
    runs["b_adam_lr_5e-3"]["train_accuracy"] = curve(0.12, 0.2, 10)
    results = {
        "data": "JPEG copy of CIFAR-10 (quality 75)",
        "device": "NVIDIA H100 80GB HBM3",
        "torch_version": "2.5.1+cu124",
        "parts": parts,
        "total_wall_time_s": 250.0,
        "section_wall_time_s": {"a-c": 30.0},
        "runs": runs,
    }
    if parts in ("a-d", "all"):
        seeds = [
            {
                "seed": seed,
                "test_accuracy": test,
                "test_accuracy_tta": test + 0.004,
                "train_loss": curve(1.8, 1.05, 10),
                "train_accuracy": curve(0.45, 0.93, 10),
                "wall_time_s": 9.5 + seed,
            }
            for seed, test in ((1, 0.891), (2, 0.8935), (3, 0.8902))
        ]
        results["bonus"] = {
            "label": "(d) ResNet-9-style, width 64; SGD, Nesterov momentum 0.9; one-cycle lr",
            "train_images": 50000,
            "epochs": 10,
            "noise": 0.0033,
            "seeds": seeds,
            "test_accuracy": {"mean": 0.8916, "min": 0.8902, "max": 0.8935},
            "test_accuracy_tta": {"mean": 0.8956, "min": 0.8942, "max": 0.8975},
        }
        results["section_wall_time_s"]["bonus"] = 40.0
    if parts == "all":
        steps = [  # name, adopted, validation accuracy, against, verdict
            ("course AlexNet", True, 0.79, None, "anchor"),
            ("native 32x32", True, 0.782, "course AlexNet", "loss"),
            ("recipe", True, 0.83, "native 32x32", "gain"),
            ("ResNet-9 body", True, 0.885, "recipe", "gain"),
            ("peak lr 0.4", True, 0.8875, "ResNet-9 body", "within noise"),
            ("width x1.5", False, 0.8865, "peak lr 0.4", "within noise"),
            ("flip TTA", True, 0.892, "peak lr 0.4", "evaluation only"),
        ]
        accuracy = {name: val for name, _, val, _, _ in steps}
        results["ablation"] = [
            {
                "name": name,
                "change": f"{name}: what changed, in words & with 50% more detail",
                "adopted": adopted,
                "val_accuracy": val,
                "gain": None if against is None else val - accuracy[against],
                "against": against,
                "verdict": verdict,
                "wall_time_s": 12.0,
            }
            for name, adopted, val, against, verdict in steps
        ]
        results["section_wall_time_s"]["ablation"] = 150.0
    return results


def flipped_alexnet():
    """The fake run with every comparison of (a)-(c) turned the other way: SGD fits better than
    Adam, lr 5e-3 better than 5e-5 (its peak loss after epoch 3), the run without BatchNorm and
    Dropout has the lower loss at every epoch, and the bonus network is not a residual one."""
    results = fake_alexnet()
    runs = results["runs"]
    runs["a_sgd"]["train_loss"], runs["a_adam"]["train_loss"] = (
        runs["a_adam"]["train_loss"],
        runs["a_sgd"]["train_loss"],
    )
    runs["b_adam_lr_5e-3"] |= {
        "train_loss": curve(2.0, 0.5, 10)[:2] + [3.0] + curve(1.0, 0.5, 7),
        "train_accuracy": curve(0.3, 0.9, 10),
        "val_accuracy": zigzag(0.5, 0.7),
    }
    runs["c_adam_no_bn_dropout"]["train_loss"] = [x - 0.1 for x in runs["a_adam"]["train_loss"]]
    results["bonus"]["label"] = "(d) AlexNet for 32x32 input; SGD, Nesterov momentum 0.9"
    return results


def mixed_alexnet():
    """The fake run where, without BatchNorm and Dropout, the loss is higher at odd epochs only."""
    results = fake_alexnet()
    with_them = results["runs"]["a_adam"]["train_loss"]
    results["runs"]["c_adam_no_bn_dropout"]["train_loss"] = [
        x + (0.05 if e % 2 == 0 else -0.05) for e, x in enumerate(with_them)
    ]
    return results


def alexnet_verdicts_agree_with_noise(results):
    """Every ablation verdict that judges a gain says "within noise" exactly when the gain is at
    most the bonus's seed spread, and otherwise names its sign (what the PDF says of them)."""
    noise = results["bonus"]["noise"]
    for row in results["ablation"]:
        if row["verdict"] in ("gain", "loss", "within noise"):
            if abs(row["gain"]) <= noise + 1e-9:
                assert row["verdict"] == "within noise", row
            else:
                assert row["verdict"] == ("gain" if row["gain"] > 0 else "loss"), row
    return True


def write_fake_plots(plots_dir, mnist=True, alexnet=True, figures=True):
    plots_dir.mkdir(exist_ok=True)
    if alexnet:
        fake = fake_alexnet() if alexnet is True else alexnet
        (plots_dir / "alexnet_results.json").write_text(json.dumps(fake))
    if figures:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        names = list(MNIST_FIGURES) + [n for stems, _ in ALEXNET_FIGURES.values() for n in stems]
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
    assert r"SGD \& momentum" in values["mnist/d/config"]
    assert r"with\_\allowbreak{}glibc2" in values["mnist/d/machine"]
    assert r"\includegraphics[width=0.7\linewidth]{" in values["figure/part_b_train_loss"]
    assert values["figure/part_b_train_loss"].count("plots/part_b_train_loss.png") == 1


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


def cited_keys():
    """Every key that the document prints or branches on."""
    cited = set()
    for source in THEORY.glob("*.tex"):
        text = re.sub(r"(?<!\\)%.*", "", source.read_text())  # drop comments
        cited |= set(re.findall(r"\\(?:if)?result\{([^}#]*)\}", text))
    return cited


def test_every_cited_result_is_generated(tmp_path):
    """Each key the document cites is defined by some results (a typo in a key would otherwise
    print "not yet produced" next to an existing result): every key with every result present,
    and each branch of question 2 by a run that takes it."""
    values = set(results(results_tex(write_fake_plots(tmp_path / "plots"), THEORY)))
    for other in (flipped_alexnet(), mixed_alexnet()):
        values |= set(alexnet_results(other))
    assert cited_keys(), "the document cites no results"
    assert sorted(cited_keys() - values) == []
    assert sorted(set(ALEXNET_CONDITIONS) - values) == []  # each condition occurs


# ---------------------------------------------------------------- question 2: alexnet_results.json


def test_alexnet_values_are_formatted():
    values = alexnet_results(fake_alexnet())
    assert values["alexnet/jpeg-quality"] == "75"
    assert values["alexnet/a_adam/learning-rate"] == r"$5\times10^{-5}$"
    assert values["alexnet/a_adam/best-val-acc"] == r"58.11\,\%"  # 0.4 + 0.17 * 8/9 + 0.03
    assert values["alexnet/a_adam/best-val-epoch"] == "9"
    assert values["alexnet/a_sgd/final-train-loss"] == "1.2500"
    assert values["alexnet/b_adam_lr_5e-3/first-train-loss"] == "15.0000"
    assert values["alexnet/b/later-peak"] == ""  # the peak is the first epoch
    assert values["alexnet/wall/ablation"] == r"2.5\,min"
    assert values["alexnet/d/wall-min"] == r"10.5\,s"
    assert values["alexnet/d/test-mean"] == r"89.16\,\%"
    assert values["alexnet/d/noise"] == "0.33"
    assert values["alexnet/d/seed-count"] == "3"
    assert values["alexnet/d/within-noise-rows"] == "rows 5 and 6 are within it"
    assert values["alexnet/d/largest-gain"] == r"row 4 (ResNet-\allowbreak{}9 body, $+5.50$ points)"
    table = values["alexnet/d/ablation-table"]
    assert r"in words \& with 50\% more" in table
    assert table.count(r"\emph{(not adopted)}") == 1
    assert r"$-0.80$ (vs.\ 1)" in table and r"(vs.\ 5)" in table
    assert values["alexnet/runs-table"].count(r"\\") == 5  # the header and four runs


def test_alexnet_comparisons_follow_the_data():
    """The words the answers use are the data's: each direction, and the epochs where it holds."""
    usual, flipped, mixed = (
        alexnet_results(r) for r in (fake_alexnet(), flipped_alexnet(), mixed_alexnet())
    )
    assert usual["alexnet/a/final-loss"] == "lower than"
    assert usual["alexnet/a/adam-lower-loss-epochs"] == "at every one of the 10 epochs"
    assert usual["alexnet/a/final-val"] == "higher than"
    assert usual["alexnet/b/first-vs-uniform"] == "higher than"  # 15 > ln 10
    assert usual["alexnet/b/final-vs-uniform"] == "lower than"  # 2.1 < ln 10
    assert usual["alexnet/b/test-vs-chance"] == "higher than"
    assert usual["alexnet/c/without-higher-epochs"] == "at every one of the 10 epochs"
    assert usual["alexnet/c/without-lower-epochs"] == "at none of the 10 epochs"
    assert usual["alexnet/d/min-vs-target"] == "higher than"
    assert flipped["alexnet/a/final-loss"] == "higher than"
    assert flipped["alexnet/a/adam-lower-loss-epochs"] == "at none of the 10 epochs"
    assert flipped["alexnet/b/later-peak"] == ", with a peak of 3.0000 after epoch 3"
    assert flipped["alexnet/c/without-lower-epochs"] == "at every one of the 10 epochs"
    assert mixed["alexnet/c/without-higher-epochs"] == (
        "at 5 of the 10 epochs (epochs 1, 3, 5, 7 and 9)"
    )
    flags = {
        name: {k for k in v if "/when/" in k}
        for name, v in (("usual", usual), ("flipped", flipped), ("mixed", mixed))
    }
    assert flags["usual"] == {
        "alexnet/a/when/adam-lower-final-loss",
        "alexnet/b/when/worse",
        "alexnet/b/when/above-uniform",
        "alexnet/c/when/without-higher-throughout",
        "alexnet/d/when/residual",
    }
    assert flags["flipped"] == {
        "alexnet/b/when/above-uniform",
        "alexnet/c/when/without-lower-throughout",
    }
    assert flags["mixed"] == flags["usual"] - {"alexnet/c/when/without-higher-throughout"}


def test_epochs_where():
    assert epochs_where([True] * 3) == "at every one of the 3 epochs"
    assert epochs_where([False] * 4) == "at none of the 4 epochs"
    assert epochs_where([False, True, False]) == "at 1 of the 3 epochs (epoch 2)"
    flags = [True, True, True, False, True, False, True]
    assert epochs_where(flags) == "at 5 of the 7 epochs (epochs 1--3, 5 and 7)"


@pytest.mark.parametrize("parts", ["a-c", "a-d", "all"])
def test_alexnet_parts_that_did_not_run_give_no_values(parts):
    values = alexnet_results(fake_alexnet(parts))
    assert "alexnet/c/final-val" in values
    assert ("alexnet/d/test-mean" in values) == (parts != "a-c")
    assert ("alexnet/d/ablation-table" in values) == (parts == "all")
    assert "alexnet/d/val" not in str(values)  # the bonus has no validation curve


def test_alexnet_null_losses_are_non_finite():
    """The notebook writes a non-finite loss as null: it prints as such and compares as larger
    than every finite loss."""
    fake = fake_alexnet()
    fake["runs"]["b_adam_lr_5e-3"]["train_loss"][0] = None
    values = alexnet_results(fake)
    assert values["alexnet/b_adam_lr_5e-3/first-train-loss"] == "non-finite"
    assert values["alexnet/b/first-vs-uniform"] == "higher than"


def test_alexnet_missing_fields():
    """A results file that lacks a field is an error that names it."""
    fake = fake_alexnet()
    del fake["parts"]
    with pytest.raises(ValueError, match=r"the top level lacks parts"):
        alexnet_results(fake)
    fake = fake_alexnet()
    del fake["runs"]["a_sgd"]["val_accuracy"]
    with pytest.raises(ValueError, match=r"runs\.a_sgd lacks val_accuracy"):
        alexnet_results(fake)
    fake = fake_alexnet()
    del fake["bonus"]["seeds"][1]["test_accuracy_tta"]
    with pytest.raises(ValueError, match=r"bonus\.seeds\[1\] lacks test_accuracy_tta"):
        alexnet_results(fake)


def test_the_fake_ablation_verdicts_agree_with_the_noise():
    assert alexnet_verdicts_agree_with_noise(fake_alexnet())
    wrong = fake_alexnet()
    wrong["ablation"][4]["verdict"] = "gain"  # +0.25 points, within the 0.33-point spread
    with pytest.raises(AssertionError):
        alexnet_verdicts_agree_with_noise(wrong)


def test_the_committed_alexnet_results():
    """plots/alexnet_results.json, as committed: every run it holds gives its values, the
    answers' keys are there for the parts it ran, and the ablation's verdicts agree with the
    seed spread."""
    path = THEORY.parent / "plots" / "alexnet_results.json"
    data = json.loads(path.read_text())
    values = results(results_tex(path.parent, THEORY))  # with the committed figures
    assert set(data["runs"]) == {"a_sgd", "a_adam", "b_adam_lr_5e-3", "c_adam_no_bn_dropout"}
    for run in data["runs"].values():
        epochs = run["epochs"]
        assert len(run["train_loss"]) == len(run["val_accuracy"]) == epochs
        assert all(0 <= a <= 1 for a in run["train_accuracy"] + run["val_accuracy"])
    skipped = {
        "a-c": ("alexnet/d/",),
        "a-d": (
            "alexnet/d/ablation",
            "alexnet/d/within",
            "alexnet/d/largest",
            "alexnet/wall/ablation",
        ),
    }
    expected = {
        k
        for k in cited_keys()
        if k.startswith("alexnet/")
        and k not in ALEXNET_CONDITIONS
        and not k.startswith(skipped.get(data["parts"], ("-",)))
    }
    assert sorted(expected - set(values)) == []
    if "ablation" in data:
        assert alexnet_verdicts_agree_with_noise(data)


def require_latexmk():
    """Skip without latexmk, saying how to get it; under CI (CI set, not "false" or "0") fail."""
    if shutil.which("latexmk") is None:
        reason = "latexmk not found; to build and test the PDF, run `make tex-tools` (TeX Live)"
        if os.environ.get("CI", "").lower() not in ("", "false", "0"):
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


@pytest.mark.parametrize(
    "alexnet",
    [
        None,
        fake_alexnet("a-c"),
        fake_alexnet("a-d"),
        flipped_alexnet(),
        mixed_alexnet(),
    ],
    ids=["no-file", "parts-a-c", "parts-a-d", "flipped", "mixed"],
)
def test_pdf_builds_cleanly_for_every_kind_of_alexnet_run(tmp_path, alexnet):
    """Each branch of question 2's answers compiles: no file, a run of some parts only, the
    comparisons of (a)-(c) turned the other way."""
    require_latexmk()
    plots = write_fake_plots(tmp_path / "plots", alexnet=alexnet or False, figures=False)
    _, problems = build_pdf.build(tmp_path / "build", plots)
    assert problems == []
