"""Turns the files the programming questions write under ``plots/`` into LaTeX for the write-up.

The output is a list of ``\\setresult{key}{value}`` lines. The document prints a value with
``\\result{key}``, which reads "not yet produced" when no file provided the key, and branches with
``\\ifresult{key}{...}{...}``; so a number in the PDF is either read from a result file or
plainly absent, never typed by hand. Accuracies in the files are fractions in [0, 1] and print
as percentages with two decimals.

Read: the ``part_*.json`` files of ``backprop_main.py`` (MNIST; their format is in
``mnist_results.py``) with the figures they list, ``alexnet_results.json`` (``alexnet.ipynb``,
CIFAR-10) and the figures ``alexnet_*.png``.
"""

import json
import math
import os
from pathlib import Path

import mnist_results
from theory import tex

MNIST_FIGURES = {
    "part_b_train_accuracy": "Part 1(b): training accuracy per epoch, one curve per learning rate.",
    "part_b_train_loss": "Part 1(b): training loss per epoch, one curve per learning rate.",
    "part_b_test_accuracy": "Part 1(b): test accuracy per epoch, one curve per learning rate.",
    "part_c_test_accuracy": "Part 1(c): test accuracy per epoch on the full data.",
    "part_d_validation_accuracy": "Part 1(d): validation accuracy per epoch of the bonus network.",
}
ALEXNET_FIGURE_CAPTIONS = {
    "alexnet_loss": "AlexNet on CIFAR-10: training loss per epoch of each run.",
    "alexnet_val_accuracy": "AlexNet on CIFAR-10: validation accuracy per epoch of each run.",
}
ALEXNET_RUNS = {
    "a_sgd": "(a) SGD",
    "a_adam": "(a) Adam",
    "b_adam_lr_5e-3": r"(b) Adam, large $\eta$",
    "c_adam_no_bn_dropout": "(c) no BN, no Dropout",
    "d_bonus": "(d) bonus",
}
CHANCE_MARGIN = 0.10  # a final test accuracy below 10% + this margin counts as "near chance"


def number(x: float) -> str:
    """A float as short TeX: ``0.001``, ``100``, ``$5\\times10^{-5}$``."""
    mantissa, _, exponent = f"{x:g}".partition("e")
    if not exponent:
        return mantissa
    factor = "" if mantissa == "1" else mantissa + r"\times"
    return rf"${factor}10^{{{int(exponent)}}}$"


def percent(fraction: float | None) -> str:
    """A fraction in [0, 1] as a percentage with two decimals, e.g. ``91.23\\,\\%``; None (not
    measured) as a dash."""
    if fraction is None:
        return "--"
    return f"{100 * fraction:.2f}\\,\\%"


def loss(value: float) -> str:
    """A loss value; an overflowed run prints as infinity or NaN."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return r"$\infty$"
    return number(float(f"{value:.4g}")) if abs(value) >= 1e4 else f"{value:.4f}"


def seconds(value: float) -> str:
    """A duration, in seconds below two minutes and in minutes above."""
    return f"{value:.0f}\\,s" if value < 120 else f"{value / 60:.1f}\\,min"


def rate_set(rates: list[str]) -> str:
    """Learning rates as a set, or "none"."""
    if not rates:
        return "none"
    return r"$\eta\in\{$" + ", ".join(number(float(r)) for r in rates) + r"$\}$"


def inline_config(config: dict) -> str:
    """A configuration dictionary as ``key = value`` pairs in running text; numbers never break."""

    def value(v):
        return str(v) if isinstance(v, int | float) else tex.text(v)

    return ", ".join(f"{tex.text(k)} = {value(v)}" for k, v in config.items())


def itemized_config(config: dict) -> str:
    """A configuration dictionary as a list, one item a key."""
    items = "".join(rf"\item {tex.text(k)}: {tex.text(v)}" for k, v in config.items())
    return rf"\begin{{itemize}}{items}\end{{itemize}}"


def table(spec: str, header: list[str], rows: list[list[str]]) -> str:
    """A booktabs table (tabularx, full line width) centred in the text."""
    lines = [" & ".join(header) + r" \\ \midrule"] + [" & ".join(r) + r" \\" for r in rows]
    return (
        rf"\par\smallskip{{\centering\small\begin{{tabularx}}{{\linewidth}}{{{spec}}}\toprule "
        + " ".join(lines)
        + r" \bottomrule\end{tabularx}\par}\smallskip"
    )


def machine_sentence(machine: dict) -> str:
    """Where a run happened: platform, processor, cores, Python and numpy versions."""
    field = {
        k: tex.text(machine.get(k) or "?") for k in ("platform", "cpu_count", "python", "numpy")
    }
    processor = f"{tex.text(machine['processor'])}, " if machine.get("processor") else ""
    return (
        f"{field['platform']} ({processor}{field['cpu_count']} CPU cores), "
        f"Python {field['python']}, numpy {field['numpy']}"
    )


def rate_key(rate: float) -> str:
    """A learning rate as a key: its short form where that is exact (``0.1``, ``1``, ``100``),
    else all its digits, so that two rates never share a key."""
    short = f"{rate:g}"
    return short if float(short) == rate else repr(rate)


def loss_or_dash(value: float | None) -> str:
    return "--" if value is None else loss(value)


def mnist_part_b(part: dict) -> dict[str, str]:
    """Values of part 1(b): a row per learning rate, and the rates that diverged or ended near
    chance (10 classes, so chance is 10%)."""
    runs = sorted(part["runs"], key=lambda run: run["learning_rate"])
    out = {
        "mnist/b/config": inline_config(part["config"]),
        "mnist/b/wall": seconds(part["wall_time_s"]),
    }
    rows, finished = [], []
    for run in runs:
        key, test = rate_key(run["learning_rate"]), run["test_accuracy"]
        diverged = run["diverged_at_epoch"] is not None
        if not diverged:
            finished.append((key, run))
        best_epoch = max(range(len(test)), key=test.__getitem__) if test else None
        values = {
            "first-train-loss": loss_or_dash(run["train_loss"][0] if test else None),
            "final-train-loss": loss_or_dash(None if diverged else run["train_loss"][-1]),
            "final-train-acc": percent(None if diverged else run["train_accuracy"][-1]),
            "final-test-acc": percent(None if diverged else test[-1]),
            "best-test-acc": "--" if best_epoch is None else percent(test[best_epoch]),
            "best-epoch": "--" if best_epoch is None else str(best_epoch + 1),
            "diverged": f"in epoch {run['diverged_at_epoch'] + 1}" if diverged else "no",
            "dead-units": percent(run["dead_hidden_units"]),
            "predicted-classes": "--" if diverged else str(run["predicted_classes"]),
            "parameter-change": percent(None if diverged else run["parameter_change"]),
        }
        out.update({f"mnist/b/{key}/{name}": v for name, v in values.items()})
        losses = f"{values['first-train-loss']} / {values['final-train-loss']}"
        best = f"{values['best-test-acc']} ({values['best-epoch']})"
        rows.append(
            [number(run["learning_rate"]), values["final-train-acc"], losses]
            + [values["final-test-acc"], best, values["dead-units"], values["predicted-classes"]]
        )
    header = [r"$\eta$", "final train acc.", "train loss, first / last epoch", "final test acc."]
    header += ["best test acc. (epoch)", "dead ReLUs", "classes predicted"]
    out["mnist/b/table"] = table(r"r*{6}{>{\centering\arraybackslash}X}", header, rows)
    if finished:
        best = max(finished, key=lambda item: item[1]["test_accuracy"][-1])[0]
        out["mnist/b/best-rate"] = number(float(best))
    out["mnist/b/diverged-rates"] = rate_set(
        [rate_key(r["learning_rate"]) for r in runs if r["diverged_at_epoch"] is not None]
    )
    near_chance = [k for k, r in finished if r["test_accuracy"][-1] < 0.1 + CHANCE_MARGIN]
    out["mnist/b/near-chance-rates"] = rate_set(near_chance)
    return out


def mnist_part_c(part: dict) -> dict[str, str]:
    """Values of part 1(c): the final and best test accuracy on the full data."""
    test = part["test_accuracy"]
    first_above_90 = next((e + 1 for e, a in enumerate(test) if a > 0.9), None)
    return {
        "mnist/c/config": inline_config(part["config"]),
        "mnist/c/wall": seconds(part["wall_time_s"]),
        "mnist/c/final-test-acc": percent(test[-1] if test else None),
        "mnist/c/best-test-acc": percent(max(test) if test else None),
        "mnist/c/first-epoch-above-90": "--" if first_above_90 is None else str(first_above_90),
    }


def mnist_part_d(part: dict) -> dict[str, str]:
    """Values of the bonus part 1(d): its configuration and result."""
    validation = part["validation_accuracy"]
    return {
        "mnist/d/config": itemized_config(part["config"]),
        "mnist/d/epochs": str(part["config"]["epochs"]),
        "mnist/d/wall": seconds(part["wall_time_s"]),
        "mnist/d/train-time": seconds(part["train_time_s"]),
        "mnist/d/test-acc": percent(part["test_accuracy"]),
        "mnist/d/final-validation-acc": percent(validation[-1] if validation else None),
        "mnist/d/best-validation-acc": percent(max(validation) if validation else None),
    }


def mnist_part_ablation(part: dict) -> dict[str, str]:
    """Values of part 1(d)'s ablation: its table, and each row's numbers by its position."""
    out = {"mnist/ablation/wall": seconds(part["wall_time_s"])}
    rows = []
    for i, row in enumerate(part["rows"], 1):
        values = {
            "epochs": str(row["config"]["epochs"]),
            "validation-acc": percent(row["validation_accuracy"]),
            "test-acc": percent(row["test_accuracy"]),
            "time": seconds(row["wall_time_s"]),
        }
        out.update({f"mnist/ablation/{i}/{name}": v for name, v in values.items()})
        rows.append([f"{i}. {tex.text(row['change'])}", *values.values()])
    header = ["change (cumulative)", "epochs", "validation acc.", "test acc.", "time"]
    out["mnist/ablation/table"] = table(r">{\raggedright\arraybackslash}Xrrrr", header, rows)
    return out


MNIST_PARTS = {
    "b": mnist_part_b,
    "c": mnist_part_c,
    "d": mnist_part_d,
    "ablation": mnist_part_ablation,
}


def mnist_results_values(plots_dir: Path, tex_dir: Path) -> dict[str, str]:
    """All values of the MNIST parts whose file is in ``plots_dir``, with their figures and
    where each part ran; a part without a file gives no keys. Raises ValueError when a file is
    not of the documented format or a figure is not the one its file describes."""
    out = {}
    for part, values in MNIST_PARTS.items():
        path = plots_dir / mnist_results.FILES[part]
        if not path.is_file():
            continue
        record = mnist_results.read(path)
        mnist_results.check_files(plots_dir, record)
        out.update(values(record))
        out[f"mnist/{part}/command"] = rf"\texttt{{{tex.text(record['command'])}}}"
        out[f"mnist/{part}/created"] = tex.text(record["created"])
        out[f"mnist/{part}/machine"] = machine_sentence(record["machine"])
        out["mnist/data"] = tex.text(record["data"])
        for name in record["files"]:
            stem = Path(name).stem
            if stem in MNIST_FIGURES:
                out[f"figure/{stem}"] = figure(plots_dir / name, MNIST_FIGURES[stem], tex_dir)
    return out


def alexnet_run(key: str, run: dict) -> dict[str, str]:
    """Values of one AlexNet run (test-time augmentation only where the run used it)."""
    values = {
        "optimizer": tex.text(run["optimizer"]),
        "learning-rate": number(run["learning_rate"]),
        "train-images": f"{run['train_images']:,}".replace(",", "{,}"),
        "epochs": str(run["epochs"]),
        "label": tex.text(run["label"]),
        "first-train-loss": loss(run["train_loss"][0]),
        "final-train-loss": loss(run["train_loss"][-1]),
        "final-train-acc": percent(run["train_accuracy"][-1]),
        "final-val-acc": percent(run["val_accuracy"][-1]),
        "best-val-acc": percent(max(run["val_accuracy"])),
        "test-acc": percent(run["test_accuracy"]),
        "wall": seconds(run["wall_time_s"]),
    }
    if run.get("test_accuracy_tta") is not None:
        values["test-acc-tta"] = percent(run["test_accuracy_tta"])
    return {f"alexnet/{key}/{name}": v for name, v in values.items()}


def comparison(first: float, second: float) -> str:
    """How ``first`` stands to ``second``: "lower than", "higher than" or "equal to"."""
    if first < second:
        return "lower than"
    return "higher than" if first > second else "equal to"


def alexnet_results(results: dict) -> dict[str, str]:
    """All values from ``alexnet_results.json``; a run not in the file gives no keys."""
    runs = results.get("runs", {})
    out = {
        "alexnet/device": tex.text(results["device"]),
        "alexnet/total-wall": seconds(results["total_wall_time_s"]),
        "alexnet/data": tex.text(results["data"]),
    }
    rows = []
    for key, name in ALEXNET_RUNS.items():
        if key not in runs:
            continue
        values = alexnet_run(key, runs[key])
        out.update(values)
        columns = ["optimizer", "learning-rate", "train-images", "epochs", "final-train-loss"]
        columns += ["final-val-acc", "test-acc"]
        rows.append([name] + [values[f"alexnet/{key}/{c}"] for c in columns])
    if rows:
        header = ["run", "optimizer", r"$\eta$", "images", "epochs", "train loss", "val.\\ acc."]
        header += ["test acc."]
        out["alexnet/runs-table"] = table(r">{\raggedright\arraybackslash}Xlrrrrrr", header, rows)
    for question, first, second in (
        ("a", "a_adam", "a_sgd"),
        ("c", "c_adam_no_bn_dropout", "a_adam"),
    ):
        if first in runs and second in runs:
            a, b = runs[first], runs[second]
            out[f"alexnet/{question}/loss-comparison"] = comparison(
                a["train_loss"][-1], b["train_loss"][-1]
            )
            out[f"alexnet/{question}/val-comparison"] = comparison(
                a["val_accuracy"][-1], b["val_accuracy"][-1]
            )
    ablation = results.get("ablation", [])
    if ablation:
        rows = [
            [tex.text(a["change"]), percent(a["val_accuracy"]), seconds(a["wall_time_s"])]
            for a in ablation
        ]
        header = ["change", "validation acc.", "time"]
        out["alexnet/ablation"] = table(r">{\raggedright\arraybackslash}Xrr", header, rows)
    return out


def figure(path: Path, caption: str, tex_dir: Path) -> str:
    """A figure environment that includes ``path`` (written relative to ``tex_dir``)."""
    relative = Path(os.path.relpath(path, tex_dir)).as_posix()
    return (
        rf"\begin{{figure}}[H]\centering"
        rf"\includegraphics[width=0.7\linewidth]{{{relative}}}"
        rf"\caption{{{caption}}}\end{{figure}}"
    )


def figures(plots_dir: Path, tex_dir: Path) -> dict[str, str]:
    """Every ``alexnet_*.png`` under ``alexnet/figures``; none there gives no key (the MNIST
    figures come with their parts' files)."""
    out = {}
    alexnet = sorted(plots_dir.glob("alexnet_*.png"))
    if alexnet:
        out["alexnet/figures"] = " ".join(
            figure(p, ALEXNET_FIGURE_CAPTIONS.get(p.stem, tex.text(p.name)), tex_dir)
            for p in alexnet
        )
    return out


def results_tex(plots_dir: Path, tex_dir: Path) -> str:
    """The ``\\setresult`` lines, one a value, for the result files and figures in ``plots_dir``."""
    values = figures(plots_dir, tex_dir) | mnist_results_values(plots_dir, tex_dir)
    path = plots_dir / "alexnet_results.json"
    if path.is_file():
        values.update(alexnet_results(json.loads(path.read_text())))
    lines = ["% Written by theory/make_results_tex.py from the files under plots/."]
    lines += [rf"\setresult{{{key}}}{{{value}}}" for key, value in sorted(values.items())]
    return "\n".join(lines) + "\n"
