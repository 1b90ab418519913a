"""Homework 4, programming question 1: the MNIST experiments of parts (b), (c) and (d).

    python backprop_main.py                    # parts (b), (c) and (d), into plots/
    python backprop_main.py --part b --part c  # some parts (b and c need only the course's files)
    python backprop_main.py --part ablation    # part (d)'s ablation table (23 min on 2 cores)
    python backprop_main.py --quick            # small sizes and few epochs, into plots/quick/

(b) Network([784, 40, 10]) on load(10000, 5000), 30 epochs, mini-batch 10, one run per learning
    rate, every run from the same initial network: training accuracy, training loss and test
    accuracy per epoch.
(c) the same network on load(50000, 10000) with lr 0.1: test accuracy per epoch.
(d) the bonus network of mnist_bonus.py on the 50,000 training images, chosen on the 10,000
    validation images, measured once on the 10,000 test images.
Each part writes its figures and then its own results file, part_<part>.json, whose format is
described in mnist_results.py; the files of parts that did not run are left as they are.
"""

import argparse
import copy
import hashlib
import json
import math
import os
import platform
import shlex
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import matplotlib
import numpy as np
from tqdm import tqdm

import backprop_data as data
from backprop_network import Network, relu

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CONFIG = {
    "epochs": 30,
    "b_sizes": [10000, 5000],
    "c_sizes": [50000, 10000],
    "d_sizes": [50000, 10000],
    "learning_rates": [0.001, 0.01, 0.1, 1.0, 10.0, 100.0],
    "bonus_epochs": None,  # mnist_bonus.BONUS_CONFIG's
    "bonus_sizes": None,  # mnist_bonus.BONUS_CONFIG's
    "out": Path("plots"),
}
QUICK = {
    "epochs": 3,
    "b_sizes": [1000, 500],
    "c_sizes": [2000, 1000],
    "d_sizes": [2000, 10000],
    "bonus_epochs": 2,
    "bonus_sizes": [784, 64, 10],
    "out": Path("plots/quick"),
}
FIGURES = {
    "b": ["part_b_train_accuracy.png", "part_b_train_loss.png", "part_b_test_accuracy.png"],
    "c": ["part_c_test_accuracy.png"],
    "d": ["part_d_validation_accuracy.png", "part_d_network.npz"],
    "ablation": [],
}
DATA = f"{data.DATA_PATH.name}: MNIST, 50,000 training / 10,000 validation / 10,000 test images"


class Parser(argparse.ArgumentParser):
    def error(self, message):
        """A wrong option: one line on stderr, exit status 2."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")

    def fail(self, message):
        """Data or output folder unusable: one line on stderr, exit status 1."""
        self.exit(1, f"{self.prog}: error: {message}\n")


def parse_args(argv=None):
    """The options, every one checked, and the data file and output folder checked too: a
    user error ends here, before any training, with one line on stderr."""
    parser = Parser(
        prog="backprop_main.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--part",
        action="append",
        choices=["b", "c", "d", "ablation"],
        help="run this part (repeatable; default: b, c and d)",
    )
    parser.add_argument("--epochs", type=int, help="epochs of parts (b) and (c) (default: 30)")
    for part, (train, test) in (("b", CONFIG["b_sizes"]), ("c", CONFIG["c_sizes"])):
        parser.add_argument(
            f"--{part}-sizes",
            type=int,
            nargs=2,
            metavar=("TRAIN", "TEST"),
            help=f"training and test set sizes of part ({part}) (default: {train} {test})",
        )
    parser.add_argument(
        "--learning-rates",
        type=float,
        nargs="+",
        metavar="LR",
        help=f"part (b)'s learning rates (default: {' '.join(map(str, CONFIG['learning_rates']))})",
    )
    parser.add_argument(
        "--bonus-epochs",
        type=int,
        help="epochs of part (d) and of each ablation row (default: 100)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the shuffling in (b) and (c) (default: 0)"
    )
    parser.add_argument("--out", type=Path, help="folder for figures and results (default: plots)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and few epochs for a check in seconds, into plots/quick/; options "
        "given explicitly still apply",
    )
    args = parser.parse_args(argv)
    given = sys.argv[1:] if argv is None else argv
    args.command = shlex.join(["python", "backprop_main.py", *given])
    for key, value in (CONFIG | QUICK if args.quick else CONFIG).items():
        if getattr(args, key, None) is None:  # only what was not given explicitly
            setattr(args, key, value)
    parts_asked = args.part is not None
    args.part = sorted(set(args.part or ["b", "c", "d"]), key=list(RUN).index)
    args.bonus = None
    if {"d", "ablation"} & set(args.part):
        args.bonus = bonus_module(parser, parts_asked)
        if args.bonus is None:
            args.part = ["b", "c"]
        elif args.bonus_epochs is None:
            args.bonus_epochs = args.bonus.BONUS_CONFIG["epochs"]

    for name in ("epochs", "bonus_epochs"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {value}")
    for part in ("b", "c"):
        sizes = getattr(args, f"{part}_sizes")
        for size, pool in zip(sizes, (data.TRAIN_POOL, data.TEST_POOL), strict=True):
            if not 1 <= size <= pool:
                parser.error(f"--{part}-sizes: {size} is not between 1 and {pool}")
    for lr in args.learning_rates:
        if not (lr > 0 and math.isfinite(lr)):
            parser.error(f"--learning-rates: {lr} is not a positive finite number")
        if args.learning_rates.count(lr) > 1:
            parser.error(f"--learning-rates: {lr} is given twice")
    if args.seed < 0:
        parser.error(f"--seed must be at least 0, got {args.seed}")
    try:
        data.read_mnist()
    except (OSError, ValueError) as e:
        parser.fail(str(e))
    check_out(parser, args.out, args.part)
    return args


def bonus_module(parser, parts_asked):
    """mnist_bonus, which part (d) needs besides the course's files. Missing, it is an error
    when part (d) was asked for, and a note when it was only a default (the other parts run)."""
    try:
        import mnist_bonus
    except ModuleNotFoundError as e:
        if e.name not in ("mnist_bonus", "mnist_augment"):
            raise
        if parts_asked:
            parser.fail(f"part (d) needs {e.name}.py beside backprop_main.py")
        say(f"part (d) skipped: {e.name}.py is not beside backprop_main.py; running (b) and (c)")
        return None
    return mnist_bonus


def check_out(parser, out, parts):
    """The output folder exists (or is created) and takes files; no file a part writes is
    something other than a file."""
    if out.exists() and not out.is_dir():
        parser.fail(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as e:
        parser.fail(f"cannot write into --out {out}: {e.strerror or e}")
    for part in parts:
        for name in [f"part_{part}.json", *FIGURES[part]]:
            if (out / name).exists() and not (out / name).is_file():
                parser.fail(f"{out / name} is in the way: it exists and is not a file")


def say(message):
    """A line on stdout, at once (also when stdout is a file or a pipe)."""
    tqdm.write(message)
    sys.stdout.flush()


def progress(total, label):
    """A progress bar of ``total`` epochs on a terminal; nothing otherwise."""
    return tqdm(total=total, desc=label, unit="epoch", leave=False, disable=not sys.stderr.isatty())


def train(net, label, train_set, test_set, epochs, mini_batch_size, learning_rate, **options):
    """``net.SGD`` between a start line and an end line, with a progress bar."""
    say(f"{label}: training {epochs} epochs on {train_set[0].shape[1]} images")
    start = time.perf_counter()
    with progress(epochs, label) as bar:
        history = net.SGD(
            train_set, epochs, mini_batch_size, learning_rate, test_set, verbose=False,
            on_epoch=lambda *_: bar.update(), **options,
        )  # fmt: skip
    seconds = time.perf_counter() - start
    say_done(label, history, seconds, "test")
    return history, seconds


def say_done(label, history, seconds, measured_on):
    if history["diverged_at_epoch"] is not None:
        say(f"{label}: diverged in epoch {history['diverged_at_epoch']}, after {seconds:.1f} s")
    else:
        accuracy = history["test_accuracy"][-1]
        say(f"{label}: done in {seconds:.1f} s, final {measured_on} accuracy {accuracy:.2%}")


def part_b(args):
    """One run per learning rate from the same initial network, all training numbers kept."""
    train_set, test_set = data.load_matrices(*args.b_sizes)
    initial = Network([784, 40, 10])  # the course's: drawn right after load()
    runs = []
    for lr in args.learning_rates:
        net = copy.deepcopy(initial)
        history, _ = train(
            net, f"(b) lr {lr:g}", train_set, test_set, args.epochs, 10, lr,
            track_training=True, rng=args.seed,
        )  # fmt: skip
        diverged = history["diverged_at_epoch"] is not None
        runs.append(
            {
                "learning_rate": lr,
                "train_accuracy": history["train_accuracy"],
                "train_loss": history["train_loss"],
                "test_accuracy": history["test_accuracy"],
                "diverged_at_epoch": history["diverged_at_epoch"],
                "dead_hidden_units": None if diverged else dead_fraction(net, train_set[0]),
                "predicted_classes": None if diverged else predicted_classes(net, test_set[0]),
                "parameter_change": None if diverged else distance(net, initial),
            }
        )
    config = course_config(args, args.b_sizes, learning_rates=args.learning_rates)
    return {"config": config, "runs": runs}


def course_config(args, sizes, **learning_rate):
    """The settings of a part (b) or (c) run."""
    return {
        "train_size": sizes[0],
        "test_size": sizes[1],
        "sizes": [784, 40, 10],
        "epochs": args.epochs,
        "mini_batch_size": 10,
        **learning_rate,
        "dtype": "float64",
        "shuffle_seed": args.seed,
    }


def dead_fraction(net, x):
    """The fraction of first-layer ReLUs that output 0 for every column of x (k_0, n)."""
    z_1 = relu(net.weights[0] @ x + net.biases[0])
    return float(np.mean(z_1.max(axis=1) == 0))


def predicted_classes(net, x):
    """How many different classes the network predicts for the columns of x (k_0, n)."""
    return len(np.unique(net.network_output_before_softmax(x).argmax(axis=0)))


def distance(net, start):
    """|theta - theta_0| / |theta_0|: how far the parameters moved, relative to their start."""
    params, params_0 = net.weights + net.biases, start.weights + start.biases
    moved = sum(np.sum((p - p_0) ** 2) for p, p_0 in zip(params, params_0, strict=True))
    return float(np.sqrt(moved / sum(np.sum(p_0**2) for p_0 in params_0)))


def part_c(args):
    """The course's network and lr 0.1 on the full training and test sets."""
    train_set, test_set = data.load_matrices(*args.c_sizes)
    net = Network([784, 40, 10])
    history, _ = train(net, "(c) lr 0.1", train_set, test_set, args.epochs, 10, 0.1, rng=args.seed)
    config = course_config(args, args.c_sizes, learning_rate=0.1)
    return {"config": config, "test_accuracy": history["test_accuracy"]}


def bonus_config(args, config):
    config = {**config, "epochs": args.bonus_epochs}
    return config if args.bonus_sizes is None else {**config, "sizes": args.bonus_sizes}


def train_bonus(args, config, label, train_set, validation):
    """A BonusNetwork trained by ``config``: (network, history, seconds)."""
    say(f"{label}: training {config['epochs']} epochs on {train_set[0].shape[1]} images")
    start = time.perf_counter()
    with progress(config["epochs"], label) as bar:
        net, history = args.bonus.train(config, train_set, validation, lambda *_: bar.update())
    seconds = time.perf_counter() - start
    say_done(label, history, seconds, "validation")
    return net, history, seconds


def accuracy_unless_diverged(net, history, test_set):
    return None if history["diverged_at_epoch"] is not None else net.one_label_accuracy(test_set)


def part_d(args):
    """The bonus network: validation accuracy per epoch, test accuracy once, weights saved."""
    train_set, test_set = data.load_matrices(*args.d_sizes)
    config = bonus_config(args, args.bonus.BONUS_CONFIG)
    net, history, seconds = train_bonus(
        args, config, "(d) bonus network", train_set, args.bonus.validation_data()
    )
    write_atomically(
        args.out / "part_d_network.npz", lambda f: args.bonus.save_network(net, config, f)
    )
    test_accuracy = accuracy_unless_diverged(net, history, test_set)
    if test_accuracy is not None:
        say(f"(d) bonus network: test accuracy {test_accuracy:.2%}")
    return {
        "config": config,
        "train_time_s": seconds,
        "validation_accuracy": history["test_accuracy"],
        "test_accuracy": test_accuracy,
        "diverged_at_epoch": history["diverged_at_epoch"],
    }


def part_ablation(args):
    """Every row of mnist_bonus.ABLATION, each trained from scratch by its own config."""
    train_set, test_set = data.load_matrices(*args.d_sizes)
    validation = args.bonus.validation_data()
    rows = []
    for i, (change, row_config) in enumerate(args.bonus.ABLATION, 1):
        row_config = bonus_config(args, row_config)
        label = f"(d) ablation {i}/{len(args.bonus.ABLATION)}"
        say(f"{label}: {change}")
        net, history, seconds = train_bonus(args, row_config, label, train_set, validation)
        rows.append(
            {
                "change": change,
                "config": row_config,
                "validation_accuracy": (history["test_accuracy"] or [None])[-1],
                "test_accuracy": accuracy_unless_diverged(net, history, test_set),
                "diverged_at_epoch": history["diverged_at_epoch"],
                "wall_time_s": seconds,
            }
        )
    config = {"train_size": args.d_sizes[0], "test_size": args.d_sizes[1], "validation_size": 10000}
    return {"config": config, "rows": rows}


def plot_part_b(record, out):
    """Three figures, one curve per learning rate; a diverged run is labelled as such."""
    titles = {
        "train_accuracy": ("training accuracy", "accuracy (one_hot_accuracy)"),
        "train_loss": ("training loss", "mean cross-entropy loss (log scale)"),
        "test_accuracy": ("test accuracy", "accuracy (one_label_accuracy)"),
    }
    for key, (title, ylabel) in titles.items():
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for run in record["runs"]:
            label = f"lr = {run['learning_rate']:g}"
            if run["diverged_at_epoch"] is not None:
                label += f" (diverged in epoch {run['diverged_at_epoch'] + 1})"
            ax.plot(range(1, len(run[key]) + 1), run[key], marker=".", label=label)
        if key == "train_loss":
            ax.set_yscale("log")
        train_size = record["config"]["train_size"]
        ax.set_title(f"Part (b): {title}, [784, 40, 10], {train_size} training examples")
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        save_figure(fig, out / f"part_b_{key}.png")


def plot_accuracy(accuracies, title, ylabel, path):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(range(1, len(accuracies) + 1), accuracies, marker=".")
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    save_figure(fig, path)


def plot(part, record, out):
    """The figures of a part, written into ``out``."""
    if part == "b":
        plot_part_b(record, out)
    elif part == "c":
        train_size, test_size = record["config"]["train_size"], record["config"]["test_size"]
        plot_accuracy(
            record["test_accuracy"],
            f"Part (c): test accuracy, [784, 40, 10], {train_size} training examples",
            f"accuracy on {test_size} test images",
            out / "part_c_test_accuracy.png",
        )
    elif part == "d":
        test = record["test_accuracy"]
        plot_accuracy(
            record["validation_accuracy"],
            f"Part (d): bonus network {record['config']['sizes']}"
            + ("" if test is None else f", test accuracy {test:.2%}"),
            "accuracy on the 10,000 validation images",
            out / "part_d_validation_accuracy.png",
        )


def save_figure(fig, path):
    fig.tight_layout()
    write_atomically(path, lambda f: fig.savefig(f, format="png", dpi=110))
    plt.close(fig)


def write_atomically(path, write):
    """Call write(file) on a temporary file beside ``path``, then rename it over ``path``."""
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


RUN = {"b": part_b, "c": part_c, "d": part_d, "ablation": part_ablation}


def main(argv=None):
    args = parse_args(argv)
    for part in args.part:
        start = time.perf_counter()
        record = {"part": part, **RUN[part](args)}
        plot(part, record, args.out)
        files = {name: hashlib.sha256((args.out / name).read_bytes()).hexdigest()
                 for name in FIGURES[part]}  # fmt: skip
        record |= {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": args.command,
            "machine": machine(),
            "data": DATA,
            "wall_time_s": time.perf_counter() - start,
            "files": files,
        }
        path = args.out / f"part_{part}.json"
        replacing = ", replacing an earlier run's" if path.exists() else ""
        text = json.dumps(record, indent=1, allow_nan=False) + "\n"  # strict JSON
        write_atomically(path, lambda f, text=text: f.write(text.encode()))
        say(f"part ({part}): wrote {', '.join([path.name, *files])} in {args.out}{replacing}")


if __name__ == "__main__":
    main()
