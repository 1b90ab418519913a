"""Question 2's figure for the written solution, drawn from ``plots/alexnet_results.json``: the
training loss (log scale) and the validation accuracy per epoch of each run of parts (a)-(c), with
one legend below both panels, where it hides no curve."""

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def draw(results_path, figure_path):
    runs = json.loads(results_path.read_text())["runs"]
    figure, (loss, accuracy) = plt.subplots(1, 2, figsize=(7.5, 3.1))
    for run in runs.values():
        epochs = range(1, len(run["train_loss"]) + 1)
        loss.plot(epochs, run["train_loss"], marker=".", label=run["label"])
        accuracy.plot(epochs, [100 * a for a in run["val_accuracy"]], marker=".")
    loss.set(yscale="log", xlabel="epoch", ylabel="training loss (log scale)")
    accuracy.set(xlabel="epoch", ylabel="validation accuracy (%)")
    for axes in (loss, accuracy):
        axes.set_xticks(list(epochs))
        axes.grid(alpha=0.3)
    figure.legend(loc="lower center", ncol=2, fontsize=8, frameon=False)
    figure.tight_layout(rect=(0, 0.14, 1, 1))
    figure.savefig(figure_path, dpi=200)
    plt.close(figure)
