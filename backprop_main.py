"""Homework 4, programming question 1: the MNIST experiments of parts (b), (c) and (d).

    python backprop_main.py                      # parts (b), (c) and (d) into plots/
    python backprop_main.py --part b --part c    # some parts
    python backprop_main.py --part ablation      # part (d)'s ablation (about 21 min on 2 cores)
    python backprop_main.py --part spread        # (b)-(d) over seeds (about 27 min on 2 cores)
    python backprop_main.py --quick              # every part small, in seconds, into plots/quick/

(b) Network([784, 40, 10]) on load(10000, 5000), 30 epochs, mini-batch 10, one run per learning
    rate from the same initial network: training accuracy, training loss, test accuracy per epoch.
(c) the same network on load(50000, 10000) with lr 0.1: test accuracy per epoch.
(d) BonusNetwork on the 50,000 training images, validated on the 10,000 validation images after
    every epoch and tested on the 10,000 test images at the end; the ablation measures on the
    validation images what each of its changes buys.
The spread runs (b) and (c) again with random.seed 0-9, which orders the mini-batches as the
course's unseeded shuffle would in ten students' runs (seed 0 is the run of (b) or (c)), and (d)
with seeds 0-2 (its initial weights, distortions and order): how far runs of the same code differ.
Each part writes part_<part>.json into the output folder and then draws the figures of every
results file there, each curve with a band from the lowest to the highest run of the spread.
"""

import argparse
import copy
import json
import math
import os
import random
import shlex
import sys
import time
from pathlib import Path

import matplotlib
import numpy as np

import backprop_data as data
from backprop_network import BonusNetwork, Network, relu

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Each figure is drawn at the size the written solution prints it, a third ((b)) or a half ((c),
# (d)) of its 16 cm text width, so that its 9 pt text is a footnote's size there.
plt.rcParams.update({"font.size": 9, "savefig.dpi": 300, "legend.frameon": False})
plt.rcParams.update({"legend.handlelength": 1, "legend.handletextpad": 0.4})
THIRD, HALF = 0.325 * 16 / 2.54, 0.48 * 16 / 2.54  # inches

CONFIG = {
    "b": {
        "train_size": 10000,
        "test_size": 5000,
        "sizes": [784, 40, 10],
        "epochs": 30,
        "mini_batch_size": 10,
        "learning_rates": [0.001, 0.01, 0.1, 1.0, 10.0, 100.0],
        "seed": 0,  # random.seed of the shuffling; the network starts as the course's, after load()
    },
    "c": {
        "train_size": 50000,
        "test_size": 10000,
        "sizes": [784, 40, 10],
        "epochs": 30,
        "mini_batch_size": 10,
        "learning_rate": 0.1,
        "seed": 0,
    },
    "d": {  # fixed before the committed run; tested once, on all 10,000 test images
        "train_size": 50000,
        "sizes": [784, 800, 800, 10],
        "init": "he",
        "dtype": "float32",
        "epochs": 100,
        "mini_batch_size": 128,
        "learning_rate": 0.1,
        "momentum": 0.9,
        "warmup": 0.03,
        "augment": "affine",
        "seed": 0,
    },
    "ablation": {"train_size": 50000, "validation_size": 10000},
}
QUICK = {
    "b": {"train_size": 1000, "test_size": 500, "epochs": 3},
    "c": {"train_size": 2000, "test_size": 1000, "epochs": 3},
    "d": {"train_size": 2000, "sizes": [784, 64, 10], "epochs": 2},
    "ablation": {"train_size": 2000, "sizes": [784, 64, 10], "epochs": 2},
}
# The spread: (b) and (c) with random.seed 0-9 (the order), (d) with seeds 0-2 (its weights too).
CONFIG["spread"] = {"seeds": {"b": list(range(10)), "c": list(range(10)), "d": [0, 1, 2]}}
CONFIG["spread"] |= {part: CONFIG[part] for part in "bcd"}
QUICK["spread"] = {"seeds": {"b": [0, 1], "c": [0, 1], "d": [0, 1]}}
QUICK["spread"] |= {part: CONFIG[part] | QUICK[part] for part in "bcd"}
# (change, settings): each row adds its change to the row above, from the course's setting to
# part (d)'s; a row is (d)'s config with its settings and then the ablation's own on top.
ABLATION = [
    (
        "course setting: [784, 40, 10], N(0, 1) init, plain SGD lr 0.1, batch 10, float64",
        {
            "sizes": [784, 40, 10],
            "init": "normal",
            "dtype": "float64",
            "mini_batch_size": 10,
            "momentum": 0.0,
            "warmup": None,
            "augment": "none",
        },
    ),
    (
        "He init, batch 128, Nesterov momentum 0.9, warm-up + cosine lr 0.1, float32",
        {"sizes": [784, 40, 10], "augment": "none"},
    ),
    ("two hidden layers of 800", {"augment": "none"}),
    ("random shifts of up to 2 pixels", {"augment": "shifts"}),
    ("random rotations, scalings and shears too (part (d)'s network)", {}),
]
AUGMENT = {"none": None, "shifts": data.random_shifts, "affine": data.random_affine}
PARTS = list(CONFIG)
START = time.perf_counter()


def say(line):
    """A line of progress, after the seconds since the run began."""
    print(f"[{time.perf_counter() - START:5.0f} s] {line}", flush=True)


def train(net, label, training, test, config, learning_rate, measured="test", **options):
    """net.SGD between a start line and an end line: (history, seconds)."""
    n, epochs = training[0].shape[1], config["epochs"]
    say(f"{label}: {epochs} epochs on {n} images, measured on the {measured} images")
    start = time.perf_counter()
    history = net.SGD(training, epochs, config["mini_batch_size"], learning_rate, test, **options)
    seconds = time.perf_counter() - start
    accuracy = history["test_accuracy"][-1]
    say(f"{label}: done in {seconds:.1f} s, final {measured} accuracy {accuracy:.2%}")
    return history, seconds


def part_b(config, out):
    training, test = data.load_matrices(config["train_size"], config["test_size"])
    initial = Network(config["sizes"])  # the course's, drawn right after load()
    runs = []
    for lr in config["learning_rates"]:
        net = copy.deepcopy(initial)
        random.seed(config["seed"])  # every learning rate sees the same mini-batches
        history, _ = train(net, f"(b) lr {lr:g}", training, test, config, lr, track_training=True)
        hidden = relu(net.weights[0] @ training[0] + net.biases[0])
        predicted = net.network_output_before_softmax(test[0]).argmax(axis=0)
        runs.append({"learning_rate": lr, **history})
        runs[-1]["dead_hidden_units"] = float(np.mean(hidden.max(axis=1) == 0))
        runs[-1]["predicted_classes"] = len(np.unique(predicted))
    return {"runs": runs}


def part_c(config, out):
    training, test = data.load_matrices(config["train_size"], config["test_size"])
    net = Network(config["sizes"])
    random.seed(config["seed"])
    history, _ = train(net, "(c) lr 0.1", training, test, config, config["learning_rate"])
    return {"test_accuracy": history["test_accuracy"]}


def train_bonus(config, label, training, validation):
    """A BonusNetwork trained by config and measured on the validation images after every epoch
    (SGD's "test accuracy" lines): (network, validation accuracies, seconds)."""
    np.random.seed(config["seed"])  # of the initial weights
    random.seed(config["seed"])  # of the shuffling
    net = BonusNetwork(config, AUGMENT[config["augment"]])
    lr = config["learning_rate"]
    history, seconds = train(net, label, training, validation, config, lr, "validation")
    return net, history["test_accuracy"], seconds


def part_d(config, out):
    training, test = data.load_matrices(config["train_size"], 10000)
    net, accuracies, seconds = train_bonus(config, "(d)", training, data.validation_matrices())
    test_accuracy = net.one_label_accuracy(test)
    say(f"(d): test accuracy {test_accuracy:.2%}")
    if out is not None:  # not in the spread
        params = {"W": net.weights, "b": net.biases}  # saved as W1, b1, W2, ...
        arrays = {f"{name}{i}": p for name, ps in params.items() for i, p in enumerate(ps, 1)}
        np.savez_compressed(out / "part_d_network.npz", **arrays)
    return {
        "validation_accuracy": accuracies,
        "test_accuracy": test_accuracy,
        "train_seconds": seconds,
    }


def part_ablation(config, out):
    """Every row of ABLATION trained from scratch; validation accuracy only (the test images are
    measured once, by part (d)), and which validation images the row gets wrong, so that two rows
    can be compared image by image."""
    training, _ = data.load_matrices(config["train_size"], 10000)
    validation = data.validation_matrices()
    rows = []
    for i, (change, settings) in enumerate(ABLATION, 1):
        row = CONFIG["d"] | settings | {k: v for k, v in config.items() if k in CONFIG["d"]}
        say(f"(ablation) {i}/{len(ABLATION)}: {change}")
        net, accuracies, seconds = train_bonus(row, f"(ablation) {i}", training, validation)
        predicted = net.network_output_before_softmax(validation[0]).argmax(axis=0)
        errors = np.flatnonzero(predicted != validation[1]).tolist()
        rows.append({"change": change, "config": row, "validation_accuracy": accuracies[-1]})
        rows[-1] |= {"validation_errors": errors, "seconds": seconds}
    return {"rows": rows}


def part_spread(config, out):
    """(b), (c) and (d) again, once for each seed, leaving their own files alone: every run's
    numbers, with its seed ((b)'s result holds a run per learning rate, (c)'s and (d)'s are one)."""
    runs = {"b": [], "c": [], "d": []}
    for part, seeds in config["seeds"].items():
        for seed in seeds:
            say(f"(spread) part ({part}), seed {seed}")
            result = PART[part](config[part] | {"seed": seed}, None)  # None: no file written
            runs[part] += [run | {"seed": seed} for run in result.get("runs", [result])]
    return runs


def draw(out):
    """The figures of the results files in out: every curve of (b), (c) and (d), with a band from
    the lowest to the highest of its runs in part_spread.json where that file is there too."""
    parts = {f.stem[5:]: json.loads(f.read_text()) for f in out.glob("part_*.json")}
    spread = parts.get("spread", {"b": [], "c": [], "d": []})
    for key in ("train_accuracy", "train_loss", "test_accuracy") if "b" in parts else ():
        name = key.replace("train", "training").replace("_", " ")
        fig, ax = figure(name if key == "train_loss" else f"{name} (%)", (THIRD, 2.5))
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4, steps=[1, 2, 5, 10]))
        for run in parts["b"]["runs"]:
            lr = run["learning_rate"]
            runs = [r[key] for r in spread["b"] if r["learning_rate"] == lr]
            curve(ax, 1 if key == "train_loss" else 100, run[key], runs, label=f"{lr:g}")
        if key == "train_loss":
            ax.set_yscale("log")
        fig.legend(title="learning rate", ncol=3, loc="outside lower center", columnspacing=0.8)
        save(fig, out / f"part_b_{key}.png")
    for part, key in [("c", "test_accuracy"), ("d", "validation_accuracy")]:
        if part in parts:
            fig, ax = figure(f"{key.replace('_', ' ')} (%)")
            curve(ax, 100, parts[part][key], [run[key] for run in spread[part]])
            save(fig, out / f"part_{part}_{key}.png")


def curve(ax, scale, values, runs, **line):
    """A per-epoch curve, and around it the band of the runs (curves of the same length)."""
    epochs = np.arange(1, len(values) + 1)
    (drawn,) = ax.plot(epochs, scale * np.array(values, dtype=float), **line)
    if runs:  # a diverged run's None is NaN, and leaves a gap in the band
        runs = scale * np.array(runs, dtype=float)
        low, high = runs.min(axis=0), runs.max(axis=0)
        ax.fill_between(epochs, low, high, color=drawn.get_color(), alpha=0.25, linewidth=0)


def figure(ylabel, size=(HALF, 1.9)):
    """Axes of an epoch plot, in a figure of the size (inches) it is printed at."""
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    return fig, ax


def save(fig, path):
    fig.savefig(path)
    plt.close(fig)


def finite(value):
    """value with every non-finite float replaced by None (JSON's null)."""
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return None if isinstance(value, float) and not math.isfinite(value) else value


PART = {"b": part_b, "c": part_c, "d": part_d, "ablation": part_ablation, "spread": part_spread}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="backprop_main.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--part",
        action="append",
        choices=PARTS,
        help="run this part (repeatable; default: b, c and d)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and few epochs, a check in seconds"
    )
    parser.add_argument(
        "--out", type=Path, help="folder for figures and results (default: plots, or plots/quick)"
    )
    args = parser.parse_args(argv)
    out = args.out or Path("plots/quick" if args.quick else "plots")
    if not data.DATA_PATH.is_file():
        sys.exit(f"backprop_main.py: error: {data.DATA_PATH} not found (the course's MNIST file)")
    if out.exists() and not out.is_dir():
        sys.exit(f"backprop_main.py: error: --out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        sys.exit(f"backprop_main.py: error: cannot make --out {out}: {e.strerror}")

    for part in [part for part in PARTS if part in (args.part or ["b", "c", "d"])]:
        config = CONFIG[part] | QUICK[part] if args.quick else CONFIG[part]
        start = time.perf_counter()
        record = {
            "part": part,
            "command": shlex.join(["python", "backprop_main.py", *argv]),
            "config": config,
            **PART[part](config, out),
        }
        record["seconds"] = time.perf_counter() - start
        path = out / f"part_{part}.json"
        temporary = path.with_name(f".{path.name}.{os.getpid()}")  # then renamed: never half
        temporary.write_text(json.dumps(finite(record), indent=1, allow_nan=False) + "\n")
        os.replace(temporary, path)
        draw(out)
        say(f"({part}): wrote {path} after {record['seconds']:.1f} s, and the figures")


if __name__ == "__main__":
    main()
