"""alexnet.ipynb executed top to bottom on the CPU against a tiny CIFAR-10 written in the official
batch layout, with its QUICK switch on; then its results JSON, figures, printed checks, its
parameter checks and its errors for bad data."""

import json
import math
import pickle
from pathlib import Path

import matplotlib.image
import nbclient
import nbformat
import numpy as np
import pytest
from nbclient.exceptions import CellExecutionError

NOTEBOOK = Path(__file__).resolve().parents[1] / "alexnet.ipynb"
PART_KEYS = ["a_sgd", "a_adam", "b_adam_lr_5e-3", "c_adam_no_bn_dropout"]
PART_FIGURES = ["alexnet_loss.png", "alexnet_train_accuracy.png", "alexnet_val_accuracy.png"]
TRAIN_PER_BATCH = 40  # 5 batches: 200 training images
TEST_IMAGES = 64
EPOCHS = 2
VALIDATION_SIZE = 40
SUBSET_SIZE = 32
QUICK_IMAGES = 64  # what the notebook's QUICK switch keeps of a larger set
BONUS_SEEDS = [3, 5]
PATH_STEPS, ALTERNATIVES = 7, 2  # the ablation: the path, flip TTA, then the alternatives


def tiny_batch(count, seed):
    """A batch dict in the official layout: b"data" uint8 (count, 3072) rows of R, G and B planes,
    b"labels" a list of ints. Each class has its own mean colour, so the images are learnable."""
    rng = np.random.default_rng(seed)
    labels = np.arange(count) % 10
    colours = np.linspace(30, 220, 30).reshape(10, 3)
    images = colours[labels][:, :, None] + rng.normal(0, 25, (count, 3, 1024))
    data = np.clip(images, 0, 255).astype(np.uint8).reshape(count, 3072)
    return {b"batch_label": b"tiny", b"labels": labels.tolist(), b"data": data}


def write_tiny_cifar(root):
    """root/cifar-10-batches-py with data_batch_1..5, test_batch and batches.meta; returns root."""
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    batches = {
        f"data_batch_{number}": tiny_batch(TRAIN_PER_BATCH, number) for number in range(1, 6)
    }
    batches["test_batch"] = tiny_batch(TEST_IMAGES, 0)
    batches["batches.meta"] = {b"label_names": [f"class {k}".encode() for k in range(10)]}
    for name, content in batches.items():
        (folder / name).write_bytes(pickle.dumps(content))
    return root


def execute(workdir, **parameters):
    """Run the notebook in `workdir` with `parameters` injected after its parameters cell, as
    papermill does; returns the executed notebook (CellExecutionError propagates)."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [
        i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", [])
    ]
    assert tagged == [1], "the first code cell, and only it, must be tagged parameters"
    source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    notebook.cells.insert(tagged[0] + 1, injected)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    return notebook


def quick_run(workdir, **parameters):
    """The notebook on the tiny data in QUICK mode, writing to workdir/plots; returns the
    executed notebook, the results dict and the plots folder."""
    plots = workdir / "plots"
    settings = dict(
        DATA_DIR=str(write_tiny_cifar(workdir / "data")),
        DOWNLOAD=False,
        DATA_LABEL="tiny test data",
        OUT_DIR=str(plots),
        VALIDATION_SIZE=VALIDATION_SIZE,
        SUBSET_SIZE=SUBSET_SIZE,
        EPOCHS=EPOCHS,
        BONUS_SEEDS=BONUS_SEEDS,
        QUICK=True,
    )
    notebook = execute(workdir, **(settings | parameters))
    return notebook, json.loads((plots / "alexnet_results.json").read_text()), plots


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The whole notebook, ablation included."""
    return quick_run(tmp_path_factory.mktemp("alexnet"), PARTS="all")


def outputs(notebook):
    """Every output of every code cell, in order."""
    return [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]


def test_parts_a_to_c_train_the_subset_and_validate_every_epoch(executed):
    _, results, _ = executed
    assert (results["data"], results["device"], results["parts"]) == (
        "tiny test data",
        "cpu",
        "all",
    )
    assert list(results["runs"]) == PART_KEYS
    for key, run in results["runs"].items():
        assert run["train_images"] == SUBSET_SIZE and run["epochs"] == EPOCHS, key
        for curve in ("train_loss", "train_accuracy", "val_accuracy"):
            assert len(run[curve]) == EPOCHS, (key, curve)
        assert all(math.isfinite(loss) and loss > 0 for loss in run["train_loss"]), key
        assert 0 <= run["test_accuracy"] <= 1, key
    recipes = [(run["optimizer"], run["learning_rate"]) for run in results["runs"].values()]
    assert recipes == [("SGD", 0.005), ("Adam", 5e-5), ("Adam", 5e-3), ("Adam", 5e-5)]


def test_the_bonus_trains_on_everything_once_per_seed_and_the_ablation_on_the_rest(executed):
    _, results, _ = executed
    bonus = results["bonus"]
    assert bonus["train_images"] == min(QUICK_IMAGES, 5 * TRAIN_PER_BATCH)
    assert [row["seed"] for row in bonus["seeds"]] == BONUS_SEEDS
    tests = [row["test_accuracy"] for row in bonus["seeds"]]
    assert bonus["test_accuracy"]["mean"] == pytest.approx(sum(tests) / len(tests))
    rows = results["ablation"]
    assert [row["adopted"] for row in rows] == [True] * (PATH_STEPS + 1) + [False] * ALTERNATIVES
    assert rows[PATH_STEPS]["name"] == "flip TTA" and rows[0]["gain"] is None
    for number, row in enumerate(rows[1:], 1):
        against = rows[number - 1] if number < PATH_STEPS else rows[PATH_STEPS - 1]
        assert row["gain"] == pytest.approx(row["val_accuracy"] - against["val_accuracy"])


def test_figures_are_saved_and_shown(executed):
    notebook, _, plots = executed
    for name in [*PART_FIGURES, "alexnet_bonus.png"]:
        image = matplotlib.image.imread(plots / name)
        assert image.ndim == 3 and image.std() > 0, name
    shown = [output for output in outputs(notebook) if "image/png" in output.get("data", {})]
    assert len(shown) == len(PART_FIGURES) + 1
    assert not list(plots.glob(".*")), "a temporary file was left behind"


def test_parts_a_c_runs_only_a_to_c_and_a_rerun_replaces_the_earlier_results(tmp_path):
    workdir = tmp_path
    plots = workdir / "plots"
    plots.mkdir()
    (plots / "alexnet_bonus.png").write_bytes(b"an earlier run's figure")
    _, results, _ = quick_run(workdir, PARTS="a-c", OVERWRITE=True)
    assert results["parts"] == "a-c"
    assert sorted(results["runs"]) == sorted(PART_KEYS)
    assert "bonus" not in results and "ablation" not in results
    assert set(results["section_wall_time_s"]) == {"data", "a-c"}
    assert sorted(path.name for path in plots.iterdir()) == sorted(
        ["alexnet_results.json", *PART_FIGURES]
    )


def failure(tmp_path, **parameters):
    """The message of the error that the notebook, run on the tiny data, stops with."""
    if "DATA_DIR" not in parameters:
        parameters["DATA_DIR"] = str(write_tiny_cifar(tmp_path / "data"))
    settings = dict(DOWNLOAD=False, OUT_DIR=str(tmp_path / "plots"), QUICK=True)
    with pytest.raises(CellExecutionError) as raised:
        execute(tmp_path, **(settings | parameters))
    return str(raised.value)


@pytest.mark.parametrize(
    ("parameters", "complaint"),
    [
        (dict(EPOCHS=0), "EPOCHS = 0 must be an integer from 1 to 10"),
        (dict(PARTS="b"), "PARTS = 'b' must be 'a-c', 'a-d' or 'all'"),
        (dict(BONUS_SEEDS=[]), "BONUS_SEEDS = [] must be a non-empty list"),
    ],
    ids=lambda value: str(value),
)
def test_bad_parameters_stop_the_notebook_before_any_work(tmp_path, parameters, complaint):
    message = failure(tmp_path, **parameters)
    assert complaint in message
    assert "read_batch" not in message  # no data was read
    assert not (tmp_path / "plots").exists() or not any((tmp_path / "plots").iterdir())


def test_without_a_gpu_the_notebook_stops_and_says_how_to_get_one(tmp_path):
    message = failure(tmp_path, QUICK=False)
    assert "no GPU: in Colab choose Runtime > Change runtime type > T4 GPU" in message
    assert "read_batch" not in message


def test_earlier_results_are_kept_when_overwrite_is_false(tmp_path):
    plots = tmp_path / "plots"
    plots.mkdir()
    (plots / "alexnet_results.json").write_text("{}")
    message = failure(tmp_path, OVERWRITE=False)
    assert "holds an earlier run's results (alexnet_results.json)" in message
    assert (plots / "alexnet_results.json").read_text() == "{}"


def test_an_output_folder_that_is_a_file_is_refused_at_once(tmp_path):
    out = tmp_path / "taken"
    out.write_text("a file, not a folder")
    message = failure(tmp_path, OUT_DIR=str(out))
    assert f"OUT_DIR = {str(out)!r} is not a writable folder" in message


def test_missing_data_folder_is_a_clear_error(tmp_path):
    message = failure(tmp_path, DATA_DIR=str(tmp_path / "absent"))
    assert "cifar-10-batches-py does not exist" in message
    assert "DOWNLOAD = True" in message


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (b"not a pickle", "is not a CIFAR-10 batch file"),
        (
            pickle.dumps({b"data": np.zeros((3, 3072), np.uint8), b"labels": [0, 12, 3]}),
            "labels outside 0..9: [12] at positions [1]",
        ),
    ],
    ids=["garbage", "bad-label"],
)
def test_malformed_batch_is_a_clear_error(tmp_path, content, complaint):
    root = write_tiny_cifar(tmp_path / "data")
    (root / "cifar-10-batches-py" / "data_batch_3").write_bytes(content)
    message = failure(tmp_path, DATA_DIR=str(root))
    assert "data_batch_3" in message
    assert complaint in message
