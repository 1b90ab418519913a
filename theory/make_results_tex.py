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
import re
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
ALEXNET_FIGURES = {  # key: (figures side by side, caption)
    "alexnet/figure/curves": (
        ["alexnet_loss", "alexnet_val_accuracy"],
        "Parts 2(a)--(c): training loss (left) and validation accuracy (right) per epoch.",
    ),
    "alexnet/figure/bonus": (
        ["alexnet_bonus"],
        "Part 2(d), as drawn by the notebook: the final network's training curves and, when the "
        "ablation ran, the validation accuracy of each of its steps.",
    ),
}
ALEXNET_RUNS = {
    "a_sgd": "(a) SGD",
    "a_adam": "(a) Adam",
    "b_adam_lr_5e-3": r"(b) Adam, large $\eta$",
    "c_adam_no_bn_dropout": "(c) Adam, no BN or Dropout",
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


def comparison(first: float, second: float) -> str:
    """How ``first`` stands to ``second``: "lower than", "higher than" or "equal to"."""
    if first < second:
        return "lower than"
    return "higher than" if first > second else "equal to"


def alexnet_loss(value: float | None) -> str:
    """A training loss of the AlexNet file, where a non-finite value was written as null."""
    return "non-finite" if value is None else loss(value)


def loss_key(value: float | None) -> float:
    """A loss for comparisons: null (non-finite) counts as larger than every finite loss."""
    return math.inf if value is None else value


def duration(value: float) -> str:
    """A duration, to a tenth of a second below 100 s (the GPU runs are short)."""
    return f"{value:.1f}\\,s" if value < 100 else seconds(value)


def points(fraction: float, signed: bool = False) -> str:
    """A difference of accuracies in percentage points: ``1.23`` or, signed, ``$+1.23$``."""
    return f"${100 * fraction:+.2f}$" if signed else f"{100 * fraction:.2f}"


def thousands(n: int) -> str:
    """An integer with thin thousands separators as TeX: ``50{,}000``."""
    return f"{n:,}".replace(",", "{,}")


def spoken_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def epoch_list(epochs: list[int]) -> str:
    """Epoch numbers with runs of consecutive ones joined: ``epochs 1--3, 5 and 7``."""
    groups: list[list[int]] = []
    for e in epochs:
        if groups and e == groups[-1][-1] + 1:
            groups[-1].append(e)
        else:
            groups.append([e])
    parts = [str(g[0]) if len(g) == 1 else f"{g[0]}--{g[-1]}" for g in groups]
    return ("epoch " if len(epochs) == 1 else "epochs ") + spoken_list(parts)


def epochs_where(flags: list[bool]) -> str:
    """At which epochs a per-epoch condition held: ``at every one of the 10 epochs``,
    ``at none of the 10 epochs`` or ``at 7 of the 10 epochs (epochs 1--5, 8 and 9)``."""
    n, hits = len(flags), [e + 1 for e, flag in enumerate(flags) if flag]
    if len(hits) == n:
        return f"at every one of the {n} epochs"
    if not hits:
        return f"at none of the {n} epochs"
    return f"at {len(hits)} of the {n} epochs ({epoch_list(hits)})"


# Part 2 of the programming questions: ``alexnet_results.json`` as written by ``alexnet.ipynb``.
# Fields every record of the file must have (the notebook writes them all; nulls stand for
# non-finite floats). Runs (a)-(c) are always there; ``ablation`` only when ``parts`` is "all",
# ``bonus`` when it is "a-d" or "all".
ALEXNET_FIELDS = {
    "the top level": ("data", "device", "parts", "total_wall_time_s", "runs"),
    "run": ("label", "optimizer", "learning_rate", "train_images", "epochs", "train_loss")
    + ("train_accuracy", "val_accuracy", "test_accuracy", "wall_time_s"),
    "ablation row": ("name", "change", "adopted", "val_accuracy", "gain", "against", "verdict")
    + ("wall_time_s",),
    "bonus": ("label", "train_images", "epochs", "noise", "seeds", "test_accuracy")
    + ("test_accuracy_tta",),
    "bonus seed": ("seed", "test_accuracy", "test_accuracy_tta", "train_loss", "wall_time_s"),
}
UNIFORM_LOSS = math.log(10)  # cross-entropy of predicting 1/10 for every class
CHANCE = 0.10  # accuracy of guessing one of 10 classes
BONUS_TARGET = 0.85  # the test accuracy the bonus asks for
# Keys that only some results define, so that the document can branch on them with \ifresult.
ALEXNET_CONDITIONS = {
    "alexnet/a/when/adam-lower-final-loss": "Adam's final training loss is below SGD's",
    "alexnet/b/when/worse": "lr 5e-3 ends with a higher training loss and lower training and "
    "validation accuracies than lr 5e-5",
    "alexnet/b/when/above-uniform": "the training loss of lr 5e-3 exceeded ln 10 at some epoch",
    "alexnet/c/when/without-higher-throughout": "without BatchNorm and Dropout the training loss "
    "is higher at every epoch",
    "alexnet/c/when/without-lower-throughout": "without BatchNorm and Dropout the training loss "
    "is lower at every epoch",
    "alexnet/d/when/residual": "the bonus network is a residual network",
}


def check_alexnet(results: dict) -> None:
    """Raise ValueError, naming the record and the fields, when a field of the format is missing."""

    def need(record: dict, kind: str, where: str) -> None:
        missing = [f for f in ALEXNET_FIELDS[kind] if f not in record]
        if missing:
            raise ValueError(f"alexnet_results.json: {where} lacks {', '.join(missing)}")

    need(results, "the top level", "the top level")
    for key, run in results["runs"].items():
        need(run, "run", f"runs.{key}")
        if not run["val_accuracy"] or len(run["train_loss"]) != len(run["val_accuracy"]):
            raise ValueError(f"alexnet_results.json: runs.{key} needs one value per epoch")
    for i, row in enumerate(results.get("ablation", [])):
        need(row, "ablation row", f"ablation[{i}]")
    if "bonus" in results:
        need(results["bonus"], "bonus", "bonus")
        for i, seed in enumerate(results["bonus"]["seeds"]):
            need(seed, "bonus seed", f"bonus.seeds[{i}]")


def alexnet_run(key: str, run: dict) -> dict[str, str]:
    """Values of one run of parts (a)-(c), under ``alexnet/<key>/``."""
    losses, val = run["train_loss"], run["val_accuracy"]
    best = max(range(len(val)), key=val.__getitem__)
    values = {
        "label": tex.text(run["label"]),
        "optimizer": tex.text(run["optimizer"]),
        "learning-rate": number(run["learning_rate"]),
        "train-images": thousands(run["train_images"]),
        "epochs": str(run["epochs"]),
        "first-train-loss": alexnet_loss(losses[0]),
        "final-train-loss": alexnet_loss(losses[-1]),
        "final-train-acc": percent(run["train_accuracy"][-1]),
        "final-val-acc": percent(val[-1]),
        "best-val-acc": percent(val[best]),
        "best-val-epoch": str(best + 1),
        "test-acc": percent(run["test_accuracy"]),
        "wall": duration(run["wall_time_s"]),
    }
    return {f"alexnet/{key}/{name}": v for name, v in values.items()}


def alexnet_runs_table(runs: dict) -> str:
    """One row per run of parts (a)-(c); accuracies in percent without the sign, to fit."""

    def pct(fraction: float) -> str:
        return f"{100 * fraction:.2f}"

    rows = []
    for key, name in ALEXNET_RUNS.items():
        if key in runs:
            run = runs[key]
            val = run["val_accuracy"]
            best = max(range(len(val)), key=val.__getitem__)
            rows.append(
                [name, number(run["learning_rate"]), alexnet_loss(run["train_loss"][0])]
                + [alexnet_loss(run["train_loss"][-1]), pct(run["train_accuracy"][-1])]
                + [pct(val[-1]), f"{pct(val[best])} ({best + 1})", pct(run["test_accuracy"])]
            )
    header = ["run", r"$\eta$", "training loss, epoch 1", "training loss, last epoch"]
    header += [r"training acc.\ (\%), last epoch", r"validation acc.\ (\%), last epoch"]
    header += [r"validation acc.\ (\%), best (epoch)", r"test acc.\ (\%)"]
    spec = (  # six X columns, the "best (epoch)" one wider
        r">{\raggedright\arraybackslash}p{2.3cm}l*{4}{>{\centering\arraybackslash}X}"
        r">{\centering\arraybackslash\hsize=1.4\hsize}X>{\centering\arraybackslash\hsize=0.6\hsize}X"
    )
    return table(spec, header, rows)


def alexnet_comparisons(runs: dict) -> dict[str, str]:
    """What questions 2(a)-(c) compare: which run is ahead, at which epochs, and how far."""
    out = {}
    loss = {k: [loss_key(x) for x in r["train_loss"]] for k, r in runs.items()}
    if {"a_sgd", "a_adam"} <= runs.keys():
        adam, sgd = runs["a_adam"], runs["a_sgd"]
        lower = [a < s for a, s in zip(loss["a_adam"], loss["a_sgd"], strict=True)]
        out |= {
            "alexnet/a/adam-lower-loss-epochs": epochs_where(lower),
            "alexnet/a/final-loss": comparison(loss["a_adam"][-1], loss["a_sgd"][-1]),
            "alexnet/a/final-val": comparison(adam["val_accuracy"][-1], sgd["val_accuracy"][-1]),
            "alexnet/a/best-val": comparison(max(adam["val_accuracy"]), max(sgd["val_accuracy"])),
            "alexnet/a/train-acc-lead": points(
                adam["train_accuracy"][-1] - sgd["train_accuracy"][-1], signed=True
            ),
            "alexnet/a/val-lead": points(
                adam["val_accuracy"][-1] - sgd["val_accuracy"][-1], signed=True
            ),
        }
        if loss["a_adam"][-1] < loss["a_sgd"][-1]:
            out["alexnet/a/when/adam-lower-final-loss"] = ""
    if "b_adam_lr_5e-3" in runs:
        b = runs["b_adam_lr_5e-3"]
        out |= {
            "alexnet/b/first-vs-uniform": comparison(loss["b_adam_lr_5e-3"][0], UNIFORM_LOSS),
            "alexnet/b/final-vs-uniform": comparison(loss["b_adam_lr_5e-3"][-1], UNIFORM_LOSS),
            "alexnet/b/test-vs-chance": comparison(b["test_accuracy"], CHANCE),
        }
        peak = max(range(len(b["train_loss"])), key=loss["b_adam_lr_5e-3"].__getitem__)
        out["alexnet/b/later-peak"] = (
            f", with a peak of {alexnet_loss(b['train_loss'][peak])} after epoch {peak + 1}"
            if peak > 0
            else ""
        )
        if max(loss["b_adam_lr_5e-3"]) > UNIFORM_LOSS:
            out["alexnet/b/when/above-uniform"] = ""
        if "a_adam" in runs:
            small = runs["a_adam"]
            out["alexnet/b/final-loss-vs-small"] = comparison(
                loss["b_adam_lr_5e-3"][-1], loss["a_adam"][-1]
            )
            if (
                loss["b_adam_lr_5e-3"][-1] > loss["a_adam"][-1]
                and b["val_accuracy"][-1] < small["val_accuracy"][-1]
                and b["train_accuracy"][-1] < small["train_accuracy"][-1]
            ):
                out["alexnet/b/when/worse"] = ""
    if {"c_adam_no_bn_dropout", "a_adam"} <= runs.keys():
        without, with_ = runs["c_adam_no_bn_dropout"], runs["a_adam"]
        pairs = list(zip(loss["c_adam_no_bn_dropout"], loss["a_adam"], strict=True))
        out |= {
            "alexnet/c/without-higher-epochs": epochs_where([c > a for c, a in pairs]),
            "alexnet/c/without-lower-epochs": epochs_where([c < a for c, a in pairs]),
            "alexnet/c/final-val": comparison(
                without["val_accuracy"][-1], with_["val_accuracy"][-1]
            ),
            "alexnet/c/best-val": comparison(
                max(without["val_accuracy"]), max(with_["val_accuracy"])
            ),
        }
        if all(c > a for c, a in pairs):
            out["alexnet/c/when/without-higher-throughout"] = ""
        if all(c < a for c, a in pairs):
            out["alexnet/c/when/without-lower-throughout"] = ""
    jumps = [
        (abs(r["val_accuracy"][e + 1] - r["val_accuracy"][e]), key, e + 1)
        for key, r in runs.items()
        for e in range(len(r["val_accuracy"]) - 1)
    ]
    if jumps:
        size, key, epoch = max(jumps)
        out["alexnet/val-jump"] = points(size)
        out["alexnet/val-jump-where"] = f"from epoch {epoch} to {epoch + 1} of {ALEXNET_RUNS[key]}"
    return out


def alexnet_ablation(rows: list[dict]) -> dict[str, str]:
    """The ablation of part 2(d) as a table, with the rows whose gain is within noise."""
    number_of = {row["name"]: i + 1 for i, row in enumerate(rows)}
    table_rows = []
    for i, row in enumerate(rows, start=1):
        change = tex.text(row["change"])
        if not row["adopted"]:
            change += r" \emph{(not adopted)}"
        gain = "--" if row["gain"] is None else points(row["gain"], signed=True)
        if row["against"] is not None:
            gain += f" (vs.\\ {number_of.get(row['against'], tex.text(row['against']))})"
        table_rows.append(
            [str(i), change, percent(row["val_accuracy"]), gain, tex.text(row["verdict"])]
            + [duration(row["wall_time_s"])]
        )
    header = ["", "change", "validation acc.", "gain, points (vs.\\ row)", "verdict", "time"]
    spec = r"r>{\raggedright\arraybackslash}Xrcll"
    noisy = [str(i) for i, row in enumerate(rows, start=1) if row["verdict"] == "within noise"]
    gains = [(row["gain"], i) for i, row in enumerate(rows, start=1) if row["verdict"] == "gain"]
    out = {
        "alexnet/d/ablation-table": table(spec, header, table_rows),
        "alexnet/d/within-noise-rows": (
            "no row is within it"
            if not noisy
            else f"row {noisy[0]} is within it"
            if len(noisy) == 1
            else f"rows {spoken_list(noisy)} are within it"
        ),
    }
    if gains:
        gain, i = max(gains)
        name = tex.text(rows[i - 1]["name"])
        out["alexnet/d/largest-gain"] = f"row {i} ({name}, {points(gain, signed=True)} points)"
    return out


def alexnet_bonus(bonus: dict) -> dict[str, str]:
    """Part 2(d): the final network over its seeds (it trains on all 50,000 images, so it has no
    validation curve)."""
    seeds = bonus["seeds"]
    rows = [
        [str(s["seed"]), percent(s["test_accuracy"]), percent(s["test_accuracy_tta"])]
        + [alexnet_loss(s["train_loss"][-1]), duration(s["wall_time_s"])]
        for s in seeds
    ]
    header = ["seed", "test acc.", "with flip TTA", "final training loss", "training time"]
    walls = [s["wall_time_s"] for s in seeds]
    test, tta = bonus["test_accuracy"], bonus["test_accuracy_tta"]
    out = {
        "alexnet/d/label": tex.text(bonus["label"]),
        "alexnet/d/train-images": thousands(bonus["train_images"]),
        "alexnet/d/epochs": str(bonus["epochs"]),
        "alexnet/d/seed-count": str(len(seeds)),
        "alexnet/d/seeds-table": table(r"*{5}{>{\centering\arraybackslash}X}", header, rows),
        "alexnet/d/test-mean": percent(test["mean"]),
        "alexnet/d/test-min": percent(test["min"]),
        "alexnet/d/test-max": percent(test["max"]),
        "alexnet/d/tta-mean": percent(tta["mean"]),
        "alexnet/d/tta-min": percent(tta["min"]),
        "alexnet/d/tta-max": percent(tta["max"]),
        "alexnet/d/noise": points(bonus["noise"]),
        "alexnet/d/min-vs-target": comparison(test["min"], BONUS_TARGET),
        "alexnet/d/wall-min": duration(min(walls)),
        "alexnet/d/wall-max": duration(max(walls)),
    }
    if "resnet" in bonus["label"].lower():
        out["alexnet/d/when/residual"] = ""
    return out


def alexnet_results(results: dict) -> dict[str, str]:
    """All values from ``alexnet_results.json``; a part the run skipped gives no keys."""
    check_alexnet(results)
    runs = {k: results["runs"][k] for k in ALEXNET_RUNS if k in results["runs"]}
    out = {
        "alexnet/data": tex.text(results["data"]),
        "alexnet/device": tex.text(results["device"]),
        "alexnet/torch": tex.text(results.get("torch_version", "?")),
        "alexnet/parts": tex.text(results["parts"]),
        "alexnet/total-wall": duration(results["total_wall_time_s"]),
    }
    jpeg = re.search(r"JPEG.*quality\D*(\d+)", results["data"], re.IGNORECASE)
    if jpeg:
        out["alexnet/jpeg-quality"] = jpeg.group(1)
    for section, wall in results.get("section_wall_time_s", {}).items():
        out[f"alexnet/wall/{section}"] = duration(wall)
    for key, run in runs.items():
        out |= alexnet_run(key, run)
    if runs:
        out["alexnet/runs-table"] = alexnet_runs_table(runs)
    out |= alexnet_comparisons(runs)
    if "bonus" in results:
        out |= alexnet_bonus(results["bonus"])
        if results.get("ablation"):
            out |= alexnet_ablation(results["ablation"])
    return out


def figure(path: Path, caption: str, tex_dir: Path) -> str:
    """A figure environment that includes ``path`` (written relative to ``tex_dir``)."""
    relative = Path(os.path.relpath(path, tex_dir)).as_posix()
    return (
        rf"\begin{{figure}}[H]\centering"
        rf"\includegraphics[width=0.7\linewidth]{{{relative}}}"
        rf"\caption{{{caption}}}\end{{figure}}"
    )


def figure_row(paths: list[Path], caption: str, tex_dir: Path) -> str:
    """One figure environment with ``paths`` side by side, together as wide as the text."""
    width = 1 / len(paths) - 0.01 * (len(paths) > 1)
    images = r"\hfill".join(
        rf"\includegraphics[width={width:.2f}\linewidth]"
        rf"{{{Path(os.path.relpath(p, tex_dir)).as_posix()}}}"
        for p in paths
    )
    return rf"\begin{{figure}}[H]\centering{images}\caption{{{caption}}}\end{{figure}}"


def figures(plots_dir: Path, tex_dir: Path) -> dict[str, str]:
    """The AlexNet figures under the keys of ``ALEXNET_FIGURES``; a figure that is not there
    gives no key (the MNIST figures come with their parts' files)."""
    out = {}
    for key, (stems, caption) in ALEXNET_FIGURES.items():
        paths = [plots_dir / f"{stem}.png" for stem in stems]
        if any(p.is_file() for p in paths):
            out[key] = figure_row([p for p in paths if p.is_file()], caption, tex_dir)
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
