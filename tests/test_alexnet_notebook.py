"""alexnet.ipynb as a user runs it: top to bottom on the CPU with QUICK against a tiny CIFAR-10 in
the official layout, each part's results and figure written as the part finishes, a second run of
some parts leaving the other parts' files alone, and one clear line, before anything is read or
written, for a wrong PARTS, no GPU without QUICK and a missing data folder."""

import json
import pickle
import re
from pathlib import Path

import matplotlib.image
import nbclient
import nbformat
import numpy as np
import pytest
import torch
from nbclient.exceptions import CellExecutionError

NOTEBOOK = Path(__file__).resolve().parents[1] / "alexnet.ipynb"
SEEDS = [3, 5]
SETUPS = ["a_sgd", "a_adam", "b_adam_lr_5e-3", "c_adam_no_bn_dropout"]


def write_tiny_cifar(root):
    """root/cifar-10-batches-py: data_batch_1..5 of 40 images each and a test_batch of 64, each
    class with its own mean colour, so that the images are learnable."""
    (root / "cifar-10-batches-py").mkdir(parents=True)
    rng = np.random.default_rng(0)
    for name, count in [(f"data_batch_{i}", 40) for i in range(1, 6)] + [("test_batch", 64)]:
        labels = rng.integers(0, 10, count)
        pixels = np.linspace(30, 220, 30).reshape(10, 3)[labels][:, :, None]
        pixels = pixels + rng.normal(0, 25, (count, 3, 1024))
        data = np.clip(pixels, 0, 255).astype(np.uint8).reshape(count, 3072)
        batch = {b"batch_label": b"tiny", b"labels": labels.tolist(), b"data": data}
        (root / "cifar-10-batches-py" / name).write_bytes(pickle.dumps(batch))


def run(workdir, **parameters):
    """The notebook in workdir, QUICK, with `parameters` set after its parameters cell."""
    parameters = dict(DATA_DIR="data", DOWNLOAD=False, SEEDS=SEEDS, QUICK=True) | parameters
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    at = [
        i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", [])
    ]
    source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    notebook.cells.insert(at[0] + 1, nbformat.v4.new_code_cell(source))
    resources = {"metadata": {"path": str(workdir)}}
    nbclient.NotebookClient(notebook, timeout=1800, resources=resources).execute()
    return notebook


def read(workdir, part):
    return json.loads((workdir / "plots" / f"alexnet_{part}.json").read_text())


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder in which the whole notebook ran, ablation included."""
    workdir = tmp_path_factory.mktemp("alexnet")
    write_tiny_cifar(workdir / "data")
    run(workdir, PARTS="all")
    return workdir


def test_a_to_c_train_every_setting_once_per_seed_on_a_tenth_of_the_training_split(workdir):
    results = read(workdir, "a-c")
    assert (results["data"], results["device"], results["epochs"]) == (
        "CIFAR-10 (official)",
        "cpu",
        2,
    )
    assert results["train_images"] == 18  # 200 images: 20 validate, and 10% of the other 180
    assert list(results["runs"]) == SETUPS
    for key, run in results["runs"].items():
        assert [seed["seed"] for seed in run["seeds"]] == SEEDS, key
        for seed in run["seeds"]:
            curves = [seed[name] for name in ("train_loss", "train_accuracy", "val_accuracy")]
            assert [len(curve) for curve in curves] == [2, 2, 2], key
            assert 0 <= seed["test_accuracy"] <= 1, key
        assert run["seeds"][0]["train_loss"] != run["seeds"][1]["train_loss"], key


def test_d_trains_the_final_network_per_seed_and_the_ablation_records_what_it_compares(workdir):
    final = read(workdir, "d")
    assert final["train_images"] == 200 and [seed["seed"] for seed in final["seeds"]] == SEEDS
    assert all(0 <= seed["test_accuracy_tta"] <= 1 for seed in final["seeds"])
    rows = read(workdir, "ablation")["rows"]
    assert len(rows) == 11 and rows[7]["change"].startswith("flip TTA")
    assert read(workdir, "ablation")["validation_images"] == 20
    assert [row["against"] for row in rows] == [None, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7]
    for row in rows:  # the wrong validation images, for paired comparisons
        assert len(row["validation_errors"]) == round(20 * (1 - row["val_accuracy"]))


def test_each_part_saves_its_figure_and_shows_it(workdir):
    for part in ("a-c", "d"):
        image = matplotlib.image.imread(workdir / "plots" / f"alexnet_{part}.png")
        assert image.ndim == 3 and image.std() > 0, part


def test_a_second_run_replaces_only_the_parts_it_runs_and_repeats_their_numbers(workdir):
    plots = workdir / "plots"
    kept = {
        name: (plots / name).read_bytes() for name in ("alexnet_d.json", "alexnet_ablation.json")
    }
    before = read(workdir, "a-c")
    run(workdir, PARTS="a-c")
    assert {name: (plots / name).read_bytes() for name in kept} == kept
    after = read(workdir, "a-c")
    for key in SETUPS:  # on the CPU the same seed gives the same run
        for old, new in zip(before["runs"][key]["seeds"], after["runs"][key]["seeds"]):
            assert new["train_loss"] == old["train_loss"] and new["epoch_s"] != old["epoch_s"]


@pytest.mark.parametrize(
    ("parameters", "line"),
    [
        (dict(PARTS="b"), "AssertionError: PARTS = 'b': choose 'a-c', 'a-d' or 'all'"),
        (
            dict(DATA_DIR="absent"),
            "AssertionError: absent/cifar-10-batches-py does not exist: set DATA_DIR, "
            "or DOWNLOAD = True",
        ),
        pytest.param(
            dict(QUICK=False),
            "AssertionError: no GPU: in Colab choose Runtime > Change runtime type > T4 GPU, "
            "then Runtime > Run all (or set QUICK = True for a smoke run on the CPU)",
            marks=pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is here"),
        ),
    ],
    ids=["parts", "data", "gpu"],
)
def test_a_wrong_setting_stops_with_one_line_before_anything_is_read_or_written(
    tmp_path, parameters, line
):
    write_tiny_cifar(tmp_path / "data")
    (tmp_path / "data" / "cifar-10-batches-py" / "test_batch").unlink()  # reading it would fail
    with pytest.raises(CellExecutionError) as stopped:
        run(tmp_path, **parameters)
    message = re.sub(r"\x1b\[[0-9;]*m", "", str(stopped.value))  # without the colours
    assert message.strip().splitlines()[-1] == line
    assert not (tmp_path / "plots").exists()
