"""alexnet.ipynb executed top to bottom on the CPU against a tiny CIFAR-10 written in the official
batch layout, with its QUICK switch on; then its results JSON, figures and printed checks."""

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
RUN_KEYS = ["a_sgd", "a_adam", "b_adam_lr_5e-3", "c_adam_no_bn_dropout", "d_bonus"]
FIGURES = [
    "alexnet_loss.png",
    "alexnet_train_accuracy.png",
    "alexnet_val_accuracy.png",
    "alexnet_bonus.png",
]
TRAIN_PER_BATCH = 40  # 5 batches: 200 training images
TEST_IMAGES = 64
EPOCHS = 2
VALIDATION_SIZE = 40
SUBSET_SIZE = 32
QUICK_IMAGES = 64  # what the notebook's QUICK switch keeps of a larger set
ABLATION_ROWS = 10  # nine steps and the flip-TTA evaluation


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


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook run in QUICK mode on the tiny data: (notebook, results dict, plots folder)."""
    workdir = tmp_path_factory.mktemp("alexnet")
    plots = workdir / "plots"
    notebook = execute(
        workdir,
        DATA_DIR=str(write_tiny_cifar(workdir / "data")),
        DOWNLOAD=False,
        DATA_LABEL="tiny test data",
        RESULTS_PATH=str(plots / "results.json"),
        PLOTS_DIR=str(plots),
        VALIDATION_SIZE=VALIDATION_SIZE,
        SUBSET_SIZE=SUBSET_SIZE,
        EPOCHS=EPOCHS,
        QUICK=True,
    )
    results = json.loads((plots / "results.json").read_text())
    return notebook, results, plots


def outputs(notebook):
    """Every output of every code cell, in order."""
    return [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]


def text_of(notebook):
    """All printed text and markdown the executed notebook displayed."""
    parts = []
    for output in outputs(notebook):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/markdown", ""))
    return "\n".join(parts)


def test_results_name_the_data_and_the_device(executed):
    _, results, _ = executed
    assert results["data"] == "tiny test data"
    assert results["device"] == "cpu"
    assert results["total_wall_time_s"] > 0


def test_every_run_has_its_numbers(executed):
    _, results, _ = executed
    assert sorted(results["runs"]) == sorted(RUN_KEYS)
    for key, run in results["runs"].items():
        assert run["epochs"] == EPOCHS, key
        assert isinstance(run["label"], str) and run["label"], key
        assert isinstance(run["optimizer"], str) and run["optimizer"], key
        assert run["learning_rate"] > 0, key
        assert run["wall_time_s"] > 0, key
        assert len(run["train_loss"]) == len(run["train_accuracy"]) == EPOCHS, key
        assert all(math.isfinite(loss) and loss > 0 for loss in run["train_loss"]), key
        accuracies = run["train_accuracy"] + run["val_accuracy"] + [run["test_accuracy"]]
        assert all(0 <= accuracy <= 1 for accuracy in accuracies), key


def test_parts_a_to_c_use_the_subset_and_validate_every_epoch(executed):
    _, results, _ = executed
    for key in RUN_KEYS[:4]:
        run = results["runs"][key]
        assert run["train_images"] == SUBSET_SIZE, key
        assert len(run["val_accuracy"]) == EPOCHS, key
        assert run["test_accuracy_tta"] is None, key
    optimizers = [results["runs"][key]["optimizer"] for key in RUN_KEYS[:4]]
    assert optimizers == ["SGD", "Adam", "Adam", "Adam"]
    rates = [results["runs"][key]["learning_rate"] for key in RUN_KEYS[:4]]
    assert rates == [0.005, 5e-5, 5e-3, 5e-5]


def test_part_d_trains_on_everything_and_reports_tta(executed):
    _, results, _ = executed
    bonus = results["runs"]["d_bonus"]
    assert bonus["train_images"] == min(QUICK_IMAGES, 5 * TRAIN_PER_BATCH)
    assert bonus["val_accuracy"] == []
    assert 0 <= bonus["test_accuracy_tta"] <= 1


def test_ablation_rows(executed):
    notebook, results, _ = executed
    assert len(results["ablation"]) == ABLATION_ROWS
    for row in results["ablation"]:
        assert isinstance(row["change"], str) and row["change"]
        assert 0 <= row["val_accuracy"] <= 1
        assert row["wall_time_s"] >= 0
    table_rows = [
        line for line in text_of(notebook).splitlines() if line.startswith("| ") and "x1.5" in line
    ]
    assert table_rows, "the ablation table was not displayed"


def test_summary_table_lists_every_run_of_a_to_c(executed):
    notebook, results, _ = executed
    markdown = [
        output["data"]["text/markdown"]
        for output in outputs(notebook)
        if "text/markdown" in output.get("data", {})
    ]
    summary = [table for table in markdown if "test accuracy" in table]
    assert summary, "no summary table"
    for key in RUN_KEYS[:4]:
        assert results["runs"][key]["label"] in summary[0]


def test_figures_are_saved_and_shown(executed):
    notebook, _, plots = executed
    for name in FIGURES:
        image = matplotlib.image.imread(plots / name)
        assert image.ndim == 3 and image.shape[0] > 200 and image.shape[1] > 300, name
        assert image.std() > 0, f"{name} is blank"
    shown = [output for output in outputs(notebook) if "image/png" in output.get("data", {})]
    assert len(shown) >= len(FIGURES)


def test_network_variants_are_checked(executed):
    notebook, _, _ = executed
    text = text_of(notebook)
    assert "course AlexNet: (2, 3, 227, 227) -> (2, 10); 5 BatchNorm2d, 2 Dropout" in text
    assert (
        "without BatchNorm and Dropout: (2, 3, 227, 227) -> (2, 10); 0 BatchNorm2d, 0 Dropout"
        in text
    )
    assert "native 32x32 input: (2, 3, 32, 32) -> (2, 10); 5 BatchNorm2d, 2 Dropout" in text


def test_missing_data_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CellExecutionError) as raised:
        execute(tmp_path, DATA_DIR=str(tmp_path / "absent"), DOWNLOAD=False)
    message = str(raised.value)
    assert "FileNotFoundError" in message
    assert "cifar-10-batches-py does not exist" in message
    assert "DOWNLOAD = True" in message


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (b"not a pickle", "is not a pickled CIFAR-10 file"),
        (
            pickle.dumps({b"data": np.zeros((4, 100), np.uint8), b"labels": [0, 1, 2, 3]}),
            "is malformed",
        ),
        (pickle.dumps({b"labels": [0]}), "lacks the keys [b'data']"),
    ],
    ids=["garbage", "wrong-shape", "no-data"],
)
def test_malformed_batch_is_a_clear_error(tmp_path, content, complaint):
    root = write_tiny_cifar(tmp_path / "data")
    (root / "cifar-10-batches-py" / "data_batch_3").write_bytes(content)
    with pytest.raises(CellExecutionError) as raised:
        execute(tmp_path, DATA_DIR=str(root), DOWNLOAD=False)
    message = str(raised.value)
    assert "data_batch_3" in message
    assert complaint in message
