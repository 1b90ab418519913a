"""The results files of question 1: what ``backprop_main.py`` writes, the PDF generator
(``theory/make_results_tex.py``) reads and the tests check. Standard library only, so that the
PDF builds with a plain ``python3``; ``backprop_main.py`` does not import it (it must run with
only the homework's files), and the tests check that what it writes is what is described here.

Each part has its own file in the output folder (``plots/`` by default), so runs of different
parts, one after the other or at the same time, never touch each other's results:

    part_b.json         (b) one run per learning rate, 10,000 training / 5,000 test images
    part_c.json         (c) the whole training and test sets
    part_d.json         (d) the bonus network (and its weights, part_d_network.npz)
    part_ablation.json  (d) the ablation table, one bonus change at a time

A part writes its figures (and weights) first and its JSON file last, through a temporary file
renamed over the old one: the JSON file is always whole, either this run's or the previous
one's, and ``files`` gives the SHA-256 of every file it belongs to, so a figure left behind by
another run (an interrupted one, or two runs of the same part at once) is detected by
:func:`check_files`. The JSON is strict (no NaN or Infinity). Accuracies are fractions in
[0, 1], times in seconds.

Fields of every file:
    part          "b", "c", "d" or "ablation"
    created       when the part finished, ISO 8601 in UTC
    command       the command line that wrote it
    machine       {"platform", "processor", "cpu_count", "python", "numpy"}
    data          which data the part used
    wall_time_s   the part's wall time, data loading and evaluation included
    config        the part's settings: sizes, epochs, mini-batch size, learning rate(s), seeds
    files         {file name in the same folder: SHA-256 hex digest}, figures and weights
Part b: runs, one per learning rate, each {learning_rate, train_accuracy, train_loss,
    test_accuracy, diverged_at_epoch, dead_hidden_units, predicted_classes, parameter_change}.
    The lists hold one value per epoch; diverged_at_epoch is null, or the epoch j (from 0) in
    which the parameters overflowed, when training stopped, so the lists hold j values. At the
    end of training: dead_hidden_units is the fraction of hidden ReLUs that output 0 for every
    training image, predicted_classes how many different classes the network predicts for the
    test images, parameter_change the distance the parameters moved from their start relative
    to their initial size, |theta - theta_0| / |theta_0| over all weights and biases together
    (the three are null for a diverged run).
Part c: test_accuracy, one value per epoch.
Part d: validation_accuracy (one value per epoch), test_accuracy (once, at the end),
    diverged_at_epoch, train_time_s (training alone).
Part ablation: rows, each {change, config, validation_accuracy (final epoch), test_accuracy,
    diverged_at_epoch, wall_time_s}; test_accuracy is null for a diverged row.
"""

import hashlib
import json
import math
from pathlib import Path

PARTS = ["b", "c", "d", "ablation"]
FILES = {part: f"part_{part}.json" for part in PARTS}


def _number(v):
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _fraction(v):
    return _number(v) and 0 <= v <= 1


def _epoch(v):
    return v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0)


def _list_of(kind):
    return lambda v: isinstance(v, list) and all(kind(x) for x in v)


KINDS = {
    "text": lambda v: isinstance(v, str),
    "number": _number,
    "fraction": _fraction,
    "fraction or null": lambda v: v is None or _fraction(v),
    "fractions": _list_of(_fraction),
    "numbers": _list_of(_number),
    "epoch or null": _epoch,
    "count or null": _epoch,
    "number or null": lambda v: v is None or _number(v),
    "object": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, list),
}
COMMON = {
    "part": "text",
    "created": "text",
    "command": "text",
    "machine": "object",
    "data": "text",
    "wall_time_s": "number",
    "config": "object",
    "files": "object",
}
FIELDS = {
    "b": {"runs": "list"},
    "c": {"test_accuracy": "fractions"},
    "d": {
        "validation_accuracy": "fractions",
        "test_accuracy": "fraction or null",
        "diverged_at_epoch": "epoch or null",
        "train_time_s": "number",
    },
    "ablation": {"rows": "list"},
}
RUN_FIELDS = {
    "learning_rate": "number",
    "train_accuracy": "fractions",
    "train_loss": "numbers",
    "test_accuracy": "fractions",
    "diverged_at_epoch": "epoch or null",
    "dead_hidden_units": "fraction or null",
    "predicted_classes": "count or null",
    "parameter_change": "number or null",
}
ROW_FIELDS = {
    "change": "text",
    "config": "object",
    "validation_accuracy": "fraction or null",
    "test_accuracy": "fraction or null",
    "diverged_at_epoch": "epoch or null",
    "wall_time_s": "number",
}


def check(record):
    """Return ``record`` if it is a valid results record, else raise ValueError naming the
    first field that is missing or of the wrong kind."""
    if not isinstance(record, dict) or record.get("part") not in FILES:
        raise ValueError(f"not a question 1 results record (part must be one of {list(FILES)})")
    part = record["part"]
    _check_fields(record, COMMON | FIELDS[part], f"part {part}")
    for i, run in enumerate(record.get("runs", [])):
        _check_fields(run, RUN_FIELDS, f"part b, runs[{i}]")
    rates = [run["learning_rate"] for run in record.get("runs", [])]
    if len(set(rates)) != len(rates):
        raise ValueError("part b: two runs have the same learning rate")
    for i, row in enumerate(record.get("rows", [])):
        _check_fields(row, ROW_FIELDS, f"part ablation, rows[{i}]")
    return record


def _check_fields(record, fields, where):
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected an object")
    for name, kind in fields.items():
        if name not in record:
            raise ValueError(f"{where}: field {name!r} is missing")
        if not KINDS[kind](record[name]):
            raise ValueError(f"{where}: field {name!r} must be {kind}, got {record[name]!r:.80}")


def dumps(record):
    """The JSON text of a checked record; raises ValueError on NaN or Infinity."""
    return json.dumps(check(record), indent=1, allow_nan=False) + "\n"


def read(path):
    """The checked record in the JSON file ``path``; ValueError, naming the path, if it is not
    strict JSON or not a valid record."""

    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    try:
        return check(json.loads(Path(path).read_text(), parse_constant=refuse))
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from e


def sha256(path):
    """The SHA-256 hex digest of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def check_files(folder, record):
    """Raise ValueError unless every file of ``record["files"]`` is in ``folder`` as written."""
    for name, digest in record["files"].items():
        path = Path(folder) / name
        if not path.is_file() or sha256(path) != digest:
            raise ValueError(
                f"{path} is missing or is not the file that {FILES[record['part']]} describes "
                f"(rerun that part: {record['command']})"
            )
