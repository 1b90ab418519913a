"""Homework 4, programming question 1: the MNIST experiments of parts (b), (c) and (d).

    python backprop_main.py                # all three parts; figures and results.json in plots/
    python backprop_main.py --part b       # one part (repeat --part for more)
    python backprop_main.py --quick        # small sizes and few epochs, in plots/quick/

(b) Network([784, 40, 10]) on load(10000, 5000), 30 epochs, mini-batch 10, one run per learning
    rate, every run from the same initial network: training accuracy, training loss and test
    accuracy per epoch.
(c) the same network on load(50000, 10000) with lr 0.1: test accuracy per epoch.
(d) the bonus network of mnist_bonus.py on the 50,000 training images, chosen on the 10,000
    validation images, measured once on the 10,000 test images.
Results of the parts that ran replace those parts in results.json; the others are kept.
"""

import argparse
import copy
import json
import math
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import matplotlib
import numpy as np
from tqdm import tqdm

import backprop_data as data
import mnist_bonus
from backprop_network import Network

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LEARNING_RATES = [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]
QUICK = {"b_sizes": [1000, 500], "c_sizes": [2000, 1000], "d_sizes": [2000, 10000], "epochs": 3}
QUICK_BONUS = {"sizes": [784, 64, 10], "epochs": 2}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--part",
        action="append",
        choices=["b", "c", "d"],
        help="run this part (repeatable; default: all three)",
    )
    parser.add_argument("--epochs", type=int, default=30, help="epochs of parts (b) and (c)")
    for part, sizes in (("b", [10000, 5000]), ("c", [50000, 10000])):
        parser.add_argument(
            f"--{part}-sizes",
            type=int,
            nargs=2,
            default=sizes,
            metavar=("TRAIN", "TEST"),
            help=f"training and test set sizes of part ({part}) (default: {sizes[0]} {sizes[1]})",
        )
    parser.add_argument(
        "--learning-rates",
        type=float,
        nargs="+",
        default=LEARNING_RATES,
        metavar="LR",
        help="part (b)'s learning rates (default: %(default)s)",
    )
    parser.add_argument(
        "--bonus-epochs",
        type=int,
        default=mnist_bonus.BONUS_CONFIG["epochs"],
        help="epochs of part (d)'s network (default: %(default)s)",
    )
    parser.add_argument(
        "--ablation",
        action="store_true",
        help="with part (d), also train every row of its ablation table (several minutes each)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the shuffling in (b) and (c) (default: 0)"
    )
    parser.add_argument(
        "--dtype",
        choices=["float32", "float64"],
        default="float32",
        help="arithmetic of parts (b) and (c): float32 (default) trains about 1.5x faster than "
        "float64, the course's",
    )
    parser.add_argument(
        "--out", type=Path, help="folder for figures and results.json (default: plots/)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and few epochs, for a check in seconds (default folder: plots/quick/)",
    )
    args = parser.parse_args(argv)
    args.part = sorted(set(args.part or ["b", "c", "d"]))
    args.bonus_config = {**mnist_bonus.BONUS_CONFIG, "epochs": args.bonus_epochs}
    args.d_sizes = [50000, 10000]
    if args.quick:
        args.b_sizes, args.c_sizes, args.d_sizes = (
            QUICK["b_sizes"],
            QUICK["c_sizes"],
            QUICK["d_sizes"],
        )
        args.epochs = QUICK["epochs"]
        args.bonus_config.update(QUICK_BONUS)
    if args.out is None:
        args.out = Path("plots/quick") if args.quick else Path("plots")
    for name in ("epochs", "bonus_epochs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    for name in ("b_sizes", "c_sizes"):
        for size, pool in zip(getattr(args, name), (data.TRAIN_POOL, data.TEST_POOL), strict=True):
            if not 1 <= size <= pool:
                parser.error(f"--{name.replace('_', '-')}: {size} is not between 1 and {pool}")
    if any(not (lr > 0 and math.isfinite(lr)) for lr in args.learning_rates):
        parser.error("--learning-rates must be positive and finite")
    return args


def part_b(args, progress):
    """One run per learning rate from the same initial network, all training numbers kept."""
    train, test = data.load_matrices(*args.b_sizes)
    initial = Network([784, 40, 10], dtype=args.dtype)  # the course's: drawn right after load
    runs = {}
    for lr in args.learning_rates:
        progress.set_description(f"(b) lr {lr:g}")
        net = copy.deepcopy(initial)
        history = net.SGD(
            train,
            args.epochs,
            10,
            lr,
            test,
            track_training=True,
            rng=args.seed,
            verbose=False,
            on_epoch=lambda *_: progress.update(),
        )
        runs[f"{lr:g}"] = {
            "learning_rate": lr,
            "train_accuracy": history["train_accuracy"],
            "train_loss": history["train_loss"],
            "test_accuracy": history["test_accuracy"],
            "diverged": history["diverged_at_epoch"] is not None,
            "diverged_at_epoch": history["diverged_at_epoch"],
            "dead_hidden_units": dead_fraction(net, train.x),
        }
    config = course_config(args, args.b_sizes, learning_rates=args.learning_rates)
    return {"config": config, "runs": runs}


def course_config(args, sizes, **learning_rate):
    """The settings of a part (b) or (c) run, as recorded in results.json."""
    return {
        "train_size": sizes[0],
        "test_size": sizes[1],
        "sizes": [784, 40, 10],
        "epochs": args.epochs,
        "mini_batch_size": 10,
        **learning_rate,
        "dtype": args.dtype,
        "shuffle_seed": args.seed,
    }


def dead_fraction(net, x):
    """The fraction of first-layer ReLUs that output 0 for every column of x (k_0, n)."""
    v1 = net.weights[0] @ x.astype(net.dtype) + net.biases[0]
    return float(np.mean((v1 <= 0).all(axis=1)))


def part_c(args, progress):
    """The course's network and lr 0.1 on the full training and test sets."""
    train, test = data.load_matrices(*args.c_sizes)
    net = Network([784, 40, 10], dtype=args.dtype)
    progress.set_description("(c) full data")
    history = net.SGD(
        train, args.epochs, 10, 0.1, test, rng=args.seed, verbose=False,
        on_epoch=lambda *_: progress.update(),
    )  # fmt: skip
    return {
        "config": course_config(args, args.c_sizes, learning_rate=0.1),
        "test_accuracy": history["test_accuracy"],
        "final_test_accuracy": history["test_accuracy"][-1],
    }


def part_d(args, progress):
    """The bonus network: validation accuracy per epoch, test accuracy once, weights saved.

    With --ablation, every row of mnist_bonus.ABLATION is trained too (a row whose settings are
    the bonus network's reuses its run).
    """
    train, test = data.load_matrices(*args.d_sizes)
    validation = data.load_validation()
    config = args.bonus_config

    def run(row_config, label):
        progress.set_description(label)
        start = time.perf_counter()
        net, history = mnist_bonus.train(
            row_config, train, validation, lambda *_: progress.update()
        )
        return net, history, time.perf_counter() - start

    net, history, seconds = run(config, "(d) bonus")
    weights_path = args.out / "part_d_network.npz"
    write_atomically(weights_path, lambda f: mnist_bonus.save_network(net, config, f))
    result = {
        "config": config,
        "train_time_s": seconds,
        "validation_accuracy": history["test_accuracy"],
        "test_accuracy": net.one_label_accuracy(test),
        "network_file": weights_path.name,
    }
    if args.ablation:
        result["ablation"] = []
        for change, row_config in mnist_bonus.ABLATION:
            row_config = {**row_config, "epochs": config["epochs"]}
            if args.quick:
                row_config.update(QUICK_BONUS)
            if row_config == config:
                row_net, row_history, row_seconds = net, history, seconds
            else:
                row_net, row_history, row_seconds = run(row_config, f"(d) {change[:28]}")
            result["ablation"].append(
                {
                    "change": change,
                    "config": row_config,
                    "validation_accuracy": row_history["test_accuracy"][-1],
                    "test_accuracy": row_net.one_label_accuracy(test),
                    "wall_time_s": row_seconds,
                }
            )
    return result


def plot_part_b(part, out):
    """Three figures, one curve per learning rate; a diverged run is labelled as such."""
    titles = {
        "train_accuracy": ("Part (b): training accuracy", "accuracy (one_hot_accuracy)"),
        "train_loss": ("Part (b): training loss", "mean cross-entropy loss (log scale)"),
        "test_accuracy": ("Part (b): test accuracy", "accuracy (one_label_accuracy)"),
    }
    for key, (title, ylabel) in titles.items():
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for name, run in part["runs"].items():
            epochs = np.arange(1, len(run[key]) + 1)
            label = f"lr = {name}"
            if run["diverged"]:
                label += f" (diverged in epoch {run['diverged_at_epoch'] + 1})"
            ax.plot(epochs, np.asarray(run[key], dtype=float), marker=".", label=label)
        if key == "train_loss":
            ax.set_yscale("log")
        sizes = part["config"]
        ax.set_title(f"{title}, [784, 40, 10], {sizes['train_size']} training examples")
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        save_figure(fig, out / f"part_b_{key}.png")


def plot_accuracy(accuracies, title, ylabel, path):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(np.arange(1, len(accuracies) + 1), accuracies, marker=".")
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    save_figure(fig, path)


def save_figure(fig, path):
    fig.tight_layout()
    write_atomically(path, lambda f: fig.savefig(f, format="png", dpi=110))
    plt.close(fig)


def write_atomically(path, write):
    """Call write(file) on a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as f:
        try:
            write(f)
            f.flush()
            os.fsync(f.fileno())
            os.chmod(f.name, 0o644)
        except BaseException:
            f.close()
            os.unlink(f.name)
            raise
    os.replace(f.name, path)


def machine():
    """Where the numbers came from."""
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {
        "platform": platform.platform(),
        "processor": cpu,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }


def read_results(path):
    """The results written before, or an empty record when there are none.

    An unreadable file is kept beside as ``results.json.unreadable`` rather than overwritten.
    """
    if not path.exists():
        return {"parts": {}}
    try:
        results = json.loads(path.read_text())
        if isinstance(results, dict) and isinstance(results.get("parts"), dict):
            return results
    except (OSError, ValueError):
        pass
    kept = path.with_name(path.name + ".unreadable")
    os.replace(path, kept)
    print(f"warning: {path} was unreadable; kept as {kept}, starting afresh", file=sys.stderr)
    return {"parts": {}}


def summary_rows(parts):
    rows = []
    if "b" in parts:
        for name, run in parts["b"]["runs"].items():
            state = " (diverged)" if run["diverged"] else ""
            rows.append(
                (f"(b) lr {name}{state}", run["test_accuracy"][-1], parts["b"]["wall_time_s"])
            )
    if "c" in parts:
        rows.append(
            ("(c) full data, lr 0.1", parts["c"]["final_test_accuracy"], parts["c"]["wall_time_s"])
        )
    if "d" in parts:
        rows.append(("(d) bonus network", parts["d"]["test_accuracy"], parts["d"]["wall_time_s"]))
    return rows


def main(argv=None):
    args = parse_args(argv)
    results_path = args.out / "results.json"
    results = read_results(results_path)
    epochs_per_part = {
        "b": args.epochs * len(args.learning_rates),
        "c": args.epochs,
        "d": args.bonus_config["epochs"]
        * (1 + (len(mnist_bonus.ABLATION) if args.ablation else 0)),
    }
    run_part = {"b": part_b, "c": part_c, "d": part_d}
    progress = tqdm(
        total=sum(epochs_per_part[p] for p in args.part),
        unit="epoch",
        disable=not sys.stderr.isatty(),
    )
    for name in args.part:
        start = time.perf_counter()
        part = run_part[name](args, progress)
        part["wall_time_s"] = time.perf_counter() - start
        part["machine"] = machine()
        part["created"] = datetime.now(UTC).isoformat(timespec="seconds")
        previous = results["parts"].get(name, {})
        if name == "d" and "ablation" not in part and "ablation" in previous:
            part["ablation"] = previous["ablation"]  # an ablation from an earlier run stays
        results["parts"][name] = part
        results.update(
            machine=part["machine"],
            created=part["created"],
            seed=args.seed,
            data=f"{data.DATA_PATH.name}: MNIST, 50,000 training / 10,000 validation / 10,000 test",
        )
        write_atomically(
            results_path, lambda f: f.write(json.dumps(results, indent=1).encode() + b"\n")
        )
        if name == "b":
            plot_part_b(part, args.out)
        if name == "c":
            plot_accuracy(
                part["test_accuracy"],
                f"Part (c): test accuracy, [784, 40, 10], {args.c_sizes[0]} training examples",
                f"accuracy on {args.c_sizes[1]} test images",
                args.out / "part_c_test_accuracy.png",
            )
        if name == "d":
            plot_accuracy(
                part["validation_accuracy"],
                f"Part (d): bonus network {part['config']['sizes']}, "
                f"test accuracy {part['test_accuracy']:.2%}",
                "accuracy on the 10,000 validation images",
                args.out / "part_d_validation_accuracy.png",
            )
    progress.close()
    print(f"\n{'run':36} {'final test accuracy':>20} {'part wall time':>15}")
    for label, accuracy, seconds in summary_rows(results["parts"]):
        print(f"{label:36} {accuracy:>20.2%} {seconds:>14.1f}s")
    print(f"\nresults: {results_path}")


if __name__ == "__main__":
    main()
