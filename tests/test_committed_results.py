"""The committed answers to question 2 against the committed run: plots/alexnet_results.json is
strict JSON holding every run of (a)-(d) with finite numbers, alexnet.ipynb carries that run's
outputs (no errors), and every number that the notebook's answers and the README quote is one of
the run's numbers."""

import json
import math
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "plots" / "alexnet_results.json"
NOTEBOOK = ROOT / "alexnet.ipynb"
PART_KEYS = {"a_sgd", "a_adam", "b_adam_lr_5e-3", "c_adam_no_bn_dropout"}
ANSWER_CELLS = ["intro", "answers-md", "a-answer", "b-answer", "c-answer", "d-answer"]
# Numbers the answers may quote that no run measured, each with its reason.
CONSTANTS = {
    "10%": "chance level for ten classes",
    "85%": "the homework's bar for (d)",
    "94%": "a published result on the official data, quoted as a labelled comparison",
    "2.30": "ln 10, the loss of a uniform guess",
    "0.010": "PyTorch's initial weight bound 1/sqrt(9216)",
    "1.13": "multiply-adds per image of the course's AlexNet, from its layer shapes",
    "0.38": "multiply-adds per image of (d)'s network, from its layer shapes",
}


def strict_json(path):
    def refuse(constant):
        raise ValueError(f"{path.name} holds {constant}")

    return json.loads(path.read_text(), parse_constant=refuse)


@pytest.fixture(scope="module")
def results():
    return strict_json(RESULTS)


@pytest.fixture(scope="module")
def notebook():
    return json.loads(NOTEBOOK.read_text())


def numbers(value):
    """Every int and float in a JSON value, depth first."""
    if isinstance(value, dict):
        return [n for item in value.values() for n in numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in numbers(item)]
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return [value] if is_number else []


def quotable(results):
    """The ways an answer may write one of the run's numbers: fractions as percentages with one
    or two decimals (signed, for differences), other numbers with one to three decimals, and
    seconds rounded."""
    forms = set()
    for value in numbers(results):
        if -1 <= value <= 1:
            forms |= {f"{100 * value:.1f}%", f"{100 * value:.2f}%", f"{100 * value:+.2f}%"}
        forms |= {f"{value:.1f}", f"{value:.2f}", f"{value:.3f}", f"{value:.0f} s"}
        forms |= {f"{value:.1f} s"}
    return forms


def quoted(text):
    """The measured-looking numbers in `text`: percentages, decimals and seconds."""
    text = text.replace("−", "-")
    text = re.sub(r"\d+\.\d+\.\d+|§\d+(\.\d+)?", "", text)  # versions, section numbers
    found = re.findall(r"[+-]?\d+(?:\.\d+)?%", text)
    text = re.sub(r"[+-]?\d+(?:\.\d+)?%", "", text)
    found += re.findall(r"\b\d+(?:\.\d+)? s\b", text)
    text = re.sub(r"\b\d+(?:\.\d+)? s\b", "", text)
    found += re.findall(r"\d+\.\d+", text)
    return found


def unexplained(text, results):
    """The numbers in `text` that are neither the run's nor one of CONSTANTS."""
    allowed = quotable(results) | set(CONSTANTS)
    return [n for n in quoted(text) if n not in allowed and n.lstrip("+") not in allowed]


def source(cell):
    return "".join(cell["source"])


def test_results_hold_every_run_with_finite_numbers(results):
    assert results["parts"] == "all"
    assert set(results["runs"]) == PART_KEYS
    for key, run in results["runs"].items():
        epochs = run["epochs"]
        assert epochs == 10, key
        for curve in ("train_loss", "train_accuracy", "val_accuracy"):
            assert len(run[curve]) == epochs, (key, curve)
    bonus = results["bonus"]
    assert bonus["train_images"] == 50_000 and bonus["epochs"] == 10
    assert len(bonus["seeds"]) >= 3
    assert len(results["ablation"]) >= 8
    assert all(math.isfinite(n) for n in numbers(results))
    accuracies = [run["test_accuracy"] for run in results["runs"].values()]
    accuracies += [row["val_accuracy"] for row in results["ablation"]]
    accuracies += [
        seed[key] for seed in bonus["seeds"] for key in ("test_accuracy", "test_accuracy_tta")
    ]
    assert all(0 <= accuracy <= 1 for accuracy in accuracies)


def test_the_bonus_meets_the_homeworks_bar(results):
    assert results["bonus"]["test_accuracy"]["mean"] >= 0.85


def test_notebook_carries_the_runs_outputs_without_errors(notebook, results):
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(cell["execution_count"] for cell in code), "a code cell was not executed"
    counts = [cell["execution_count"] for cell in code]
    assert counts == sorted(counts), "cells were not run top to bottom"
    outputs = [output for cell in code for output in cell["outputs"]]
    assert not [output for output in outputs if output["output_type"] == "error"]
    assert sum("image/png" in output.get("data", {}) for output in outputs) == 4
    tags = [tag for cell in notebook["cells"] for tag in cell.get("metadata", {}).get("tags", [])]
    assert "injected-parameters" not in tags
    printed = "".join("".join(output.get("text", "")) for output in outputs)
    assert f"{results['total_wall_time_s']:.0f} s in all" in printed
    for seed in results["bonus"]["seeds"]:
        assert f"test accuracy {seed['test_accuracy']:.2%}, with flip TTA " in printed
    for run in results["runs"].values():
        assert f"  test accuracy {run['test_accuracy']:.2%};" in printed


def test_every_number_the_notebooks_answers_quote_is_the_runs(notebook, results):
    cells = {cell["id"]: source(cell) for cell in notebook["cells"]}
    for cell_id in ANSWER_CELLS:
        assert quoted(cells[cell_id]) or cell_id == "answers-md", f"{cell_id} quotes no number"
        assert unexplained(cells[cell_id], results) == [], cell_id


def test_the_number_check_can_fail(results):
    assert unexplained("Adam reached 99.99% after 1.234 s", results) == ["99.99%", "1.234 s"]


def readme_on_question_2():
    """The README's question-2 section and the answer map's rows for 2(a)-(d)."""
    text = (ROOT / "README.md").read_text()
    section = re.search(r"^## Question 2.*?(?=^## )", text, re.M | re.S)
    assert section, "the README has no question-2 section"
    rows = [line for line in text.splitlines() if line.startswith("| 2(")]
    assert len(rows) == 4, "the answer map lacks a row for each of 2(a)-(d)"
    return section.group(0) + "\n".join(rows)


def test_every_number_the_readme_quotes_for_question_2_is_the_runs(results):
    text = readme_on_question_2()
    assert f"{results['bonus']['test_accuracy']['mean']:.2%}" in text
    assert unexplained(text, results) == []
