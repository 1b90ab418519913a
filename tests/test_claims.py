"""Every direction that the written answers state (theory/programming.tex, the notebook's short
answers, the README's answer map), checked against the results files the committed runs wrote. A
new run that turns a conclusion around fails here, and the words must then be rewritten by hand.
Also: every number the notebook's answers and the README quote is one of the runs' numbers, and
the committed notebook carries the outputs of the run in plots/alexnet_*.json."""

import functools
import itertools
import json
import math
import re
import statistics
from pathlib import Path

from theory.make_results_tex import noise

ROOT = Path(__file__).resolve().parents[1]
PLOTS = ROOT / "plots"
Q1 = {p: json.loads((PLOTS / f"part_{p}.json").read_text()) for p in ("b", "c", "d", "ablation")}
SPREAD = json.loads((PLOTS / "part_spread.json").read_text())
# Question 1(d)'s ablation, rows 2-5 against the row above: +1 a gain beyond the noise, 0 within it.
ABLATION_VERDICTS = [1, 1, 1, 1]


def test_the_spread_holds_seeds_0_to_9_and_0_to_2_and_seed_0_is_the_parts_run():
    assert SPREAD["config"]["seeds"] == {"b": list(range(10)), "c": list(range(10)), "d": [0, 1, 2]}
    assert [r for r in SPREAD["b"] if r["seed"] == 0] == [r | {"seed": 0} for r in Q1["b"]["runs"]]
    assert SPREAD["c"][0]["test_accuracy"] == Q1["c"]["test_accuracy"]
    assert SPREAD["d"][0]["validation_accuracy"] == Q1["d"]["validation_accuracy"]


def test_question_1_b_learning_rates_in_every_run():
    for seed in SPREAD["config"]["seeds"]["b"]:
        rate = {r["learning_rate"]: r for r in SPREAD["b"] if r["seed"] == seed}
        final = {lr: run["test_accuracy"][-1] for lr, run in rate.items()}
        assert final[0.1] > 0.80 and final[0.1] == max(final.values())
        slow = rate[0.001]
        assert slow["test_accuracy"][-1] == max(slow["test_accuracy"])  # still rising at the end
        assert 0.5 < rate[1.0]["dead_hidden_units"] < 1  # most, not all, died
        for lr in (10.0, 100.0):
            assert rate[lr]["dead_hidden_units"] >= 39 / 40 and rate[lr]["predicted_classes"] <= 2
            assert rate[lr]["test_accuracy"][-1] < 0.12
    rates = SPREAD["config"]["b"]["learning_rates"]
    runs = {lr: [r for r in SPREAD["b"] if r["learning_rate"] == lr] for lr in rates}
    # 30 epochs at 0.001 end above where 1 epoch at 0.1 got, in every run
    assert min(r["train_loss"][-1] for r in runs[0.001]) > max(
        r["train_loss"][0] for r in runs[0.1]
    )
    spans = {lr: [r["test_accuracy"][-1] for r in rs] for lr, rs in runs.items()}
    spans = {lr: max(accuracies) - min(accuracies) for lr, accuracies in spans.items()}
    assert spans[1.0] == max(spans.values())  # lr 1 varies most
    numbers = [x for run in SPREAD["b"] for x in run["train_loss"] + run["test_accuracy"]]
    assert all(x is not None and math.isfinite(x) for x in numbers)  # no run overflowed


def test_question_1_c_and_d():
    assert all(run["test_accuracy"][-1] > 0.90 for run in SPREAD["c"])
    assert all(run["test_accuracy"] > 0.96 for run in SPREAD["d"])
    stated = {"sizes": [784, 800, 800, 10], "dtype": "float32", "epochs": 100}
    stated |= {"mini_batch_size": 128, "learning_rate": 0.1, "momentum": 0.9, "warmup": 0.03}
    assert stated.items() <= Q1["d"]["config"].items()
    rows = Q1["ablation"]["rows"]
    assert all(row["config"]["epochs"] == 100 for row in rows)
    n, differences = Q1["ablation"]["config"]["validation_size"], []
    for above, row, verdict in zip(rows, rows[1:], ABLATION_VERDICTS):
        differences.append(row["validation_accuracy"] - above["validation_accuracy"])
        bound = noise(above, row, n, [r["validation_accuracy"][-1] for r in SPREAD["d"]])
        assert (differences[-1] > bound) - (differences[-1] < -bound) == verdict, row["change"]
    assert differences[-1] == min(differences)  # the affine distortions gained least
    assert [Q1[part]["command"] for part in "bcd"] == ["python backprop_main.py"] * 3  # make run
    command = "python backprop_main.py --part b --part c --part d --part ablation"
    assert Q1["ablation"]["command"] == command
    assert SPREAD["command"] == "python backprop_main.py --part spread"


@functools.cache
def q2(part):
    """The results file of one part of alexnet.ipynb: "a-c", "d" or "ablation"."""
    return json.loads((PLOTS / f"alexnet_{part}.json").read_text())


def seeds(key):
    """The runs of one setting of 2(a)-(c), one per seed."""
    return q2("a-c")["runs"][key]["seeds"]


# Question 2's assertions restate, seed by seed, what the answers say of every seed.
def test_question_2_a_sgd_against_adam():
    for sgd, adam in zip(seeds("a_sgd"), seeds("a_adam"), strict=True):  # the same first weights
        assert all(a < s for a, s in zip(adam["train_loss"], sgd["train_loss"], strict=True))
        assert all(a > s for a, s in zip(adam["val_accuracy"], sgd["val_accuracy"], strict=True))
        assert adam["test_accuracy"] > sgd["test_accuracy"]
        assert adam["val_accuracy"][-1] < adam["train_accuracy"][-1] - 0.1
    assert math.ceil(q2("a-c")["train_images"] / 64) * q2("a-c")["epochs"] == 710


def test_question_2_b_large_learning_rate():
    for run in seeds("b_adam_lr_5e-3"):
        assert 7 < run["train_loss"][0] / math.log(10) < 11
        assert all(2.0 < loss < 2.4 for loss in run["train_loss"][1:])
        accuracies = [run["train_accuracy"][-1], run["val_accuracy"][-1], run["test_accuracy"]]
        assert all(0.15 < accuracy < 0.25 for accuracy in accuracies)  # about twice chance


def test_question_2_c_without_batchnorm_and_dropout():
    for without, with_ in zip(seeds("c_adam_no_bn_dropout"), seeds("a_adam"), strict=True):
        assert all(w > a for w, a in zip(without["train_loss"], with_["train_loss"], strict=True))
        assert all(
            w < a for w, a in zip(without["val_accuracy"], with_["val_accuracy"], strict=True)
        )
        loss = without["train_loss"]  # 8 epochs, not 7, come within 0.05 of 5 epochs' loss
        assert abs(loss[7] - with_["train_loss"][4]) < 0.05 < loss[6] - with_["train_loss"][4]
        assert with_["test_accuracy"] > without["test_accuracy"]


def test_question_2_d_bonus_and_ablation():
    bonus = q2("d")["seeds"]
    assert len(bonus) == 3 and all(seed["test_accuracy"] > 0.85 for seed in bonus)
    assert sum(seed["test_accuracy"] for seed in bonus) / 3 >= 0.8907  # no worse than before
    assert all(seed["test_accuracy_tta"] > seed["test_accuracy"] for seed in bonus)
    rows, n = q2("ablation")["rows"], q2("ablation")["validation_images"]
    finals = [seed["test_accuracy"] for seed in bonus]
    assert [row["against"] for row in rows] == [None, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7]
    verdicts = {3: 1, 5: 1, 6: 1, 7: 1, 2: -1}  # row: +1 a gain beyond the noise bound, -1 a loss
    for number, row in enumerate(rows[1:], 2):
        above = rows[row["against"] - 1]
        bound = noise(above, row, n, finals)
        gain = row["val_accuracy"] - above["val_accuracy"]
        assert (gain > bound) - (gain < -bound) == verdicts.get(number, 0), row["change"]
    course, native, recipe = (statistics.median(row["epoch_s"][1:]) for row in rows[:3])
    assert native > course and recipe < 0.5  # seconds per epoch, the first left out


def quotable():
    """The forms in which an answer may quote one of the runs' numbers, a mean over the seeds of
    question 2, or the difference of two accuracies of question 1's parts or question 2:
    percentages and points with one or two decimals, losses, seconds."""
    parts = [Q1, *map(q2, ("a-c", "d", "ablation"))]
    values = [x for x in json_numbers(parts) if isinstance(x, float)]
    for seeds in [run["seeds"] for run in q2("a-c")["runs"].values()] + [q2("d")["seeds"]]:
        values += [statistics.fmean(same) for same in zip(*map(json_numbers, seeds))]
    fractions = {x for x in values if 0 < x < 1}
    values += [a - b for a, b in itertools.permutations(fractions, 2)]
    values += [x for x in json_numbers(SPREAD) if isinstance(x, float)]  # no differences: too many
    forms = set()
    for x in values:
        forms |= {f"{x:.1f}", f"{x:.2f}", f"{x:.3f}", f"{x:.0f} s", f"{x:.1f} s"}
        forms |= {
            f"{abs(100 * x):.1f}",
            f"{abs(100 * x):.2f}",
            f"{100 * x:.1f}%",
            f"{100 * x:.2f}%",
            f"{x:.1%}",
            f"{x:.2%}",
        }
    return forms


def json_numbers(value):
    if isinstance(value, dict):
        return json_numbers(list(value.values()))
    if isinstance(value, list):
        return [n for item in value for n in json_numbers(item)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


# Quoted numbers that no run measured: ln 10, PyTorch's initial weight bound 1/sqrt(9216), the T4
# estimate's basis (see the notebook), (c)'s closeness, and the homework's bars.
CONSTANTS = {
    "2.30",
    "0.010",
    "4.1",
    "5.4",
    "1.13",
    "0.38",
    "0.05",
    "10%",
    "80%",
    "85%",
    "90%",
    "96%",
}


def test_numbers_quoted_by_the_notebook_and_the_readme_are_the_runs():
    cells = {cell["id"]: "".join(cell["source"]) for cell in notebook()["cells"]}
    answers = ("a-answer", "b-answer", "c-answer", "d-answer", "ablation-answer")
    texts = [cells[i] for i in ("intro", "answers-md", *answers)]
    texts.append(section((ROOT / "README.md").read_text(), "## Where each answer is"))
    allowed = quotable() | CONSTANTS
    for text in texts:
        text = re.sub(r"\d+\.\d+\.\d+|§\d+(\.\d+)?|[−+-]", "", text)  # versions, sections, signs
        quoted = re.findall(r"\d+(?:\.\d+)?(?: s\b|%)|\d+\.\d+", text)
        assert [n for n in quoted if n not in allowed] == [], text[:60]


def section(markdown, heading):
    return markdown.split(heading)[1].split("\n## ")[0]


def test_the_readmes_what_to_expect_table_is_seed_0_and_the_spread():
    table = section((ROOT / "README.md").read_text(), "## What to expect from your own run")
    rows = re.findall(
        r"\| \((\w)\)(?: lr ([\d.]+))?[^|]*\| ([\d.]+)% \| ([\d.]+)–([\d.]+)% \|", table
    )
    assert len(rows) == 8
    for part, lr, ours, low, high in rows:
        runs = [r for r in SPREAD[part] if part != "b" or r["learning_rate"] == float(lr)]
        final = [r["test_accuracy"] if part == "d" else r["test_accuracy"][-1] for r in runs]
        assert [ours, low, high] == [f"{100 * x:.2f}" for x in (final[0], min(final), max(final))]


def test_the_readmes_question_2_table_is_the_mean_and_range_of_the_seeds():
    table = section((ROOT / "README.md").read_text(), "## What to expect from your own run")
    quoted = re.findall(r"\| 2\(\w\)[^|]*\| ([\d.]+)% \| ([\d.]+)–([\d.]+)% \|", table)
    finals = [[s["test_accuracy"] for s in run["seeds"]] for run in q2("a-c")["runs"].values()]
    finals += [
        [s[name] for s in q2("d")["seeds"]] for name in ("test_accuracy", "test_accuracy_tta")
    ]
    expected = [(statistics.fmean(f), min(f), max(f)) for f in finals]
    assert quoted == [tuple(f"{100 * x:.2f}" for x in triple) for triple in expected]


def notebook():
    return json.loads((ROOT / "alexnet.ipynb").read_text())


def test_the_notebook_carries_the_outputs_of_the_committed_run():
    code = [cell for cell in notebook()["cells"] if cell["cell_type"] == "code"]
    counts = [cell["execution_count"] for cell in code]
    assert all(counts) and counts == sorted(counts), "not run top to bottom"
    outputs = [output for cell in code for output in cell["outputs"]]
    assert not [output for output in outputs if output["output_type"] == "error"]
    printed = "".join("".join(output.get("text", "")) for output in outputs)
    for part in ("a-c", "d", "ablation"):
        time = q2(part)["wall_time_s"]
        assert f"({part}) {time:.0f} s; results in plots/alexnet_{part}.json" in printed
    for run in q2("a-c")["runs"].values():
        for seed in run["seeds"]:
            assert f"  test accuracy {seed['test_accuracy']:.2%}\n" in printed
    for seed in q2("d")["seeds"]:
        both = seed["test_accuracy"], seed["test_accuracy_tta"]
        assert "  test accuracy {:.2%}, with flip TTA {:.2%}\n".format(*both) in printed
