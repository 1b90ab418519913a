"""Question 2's figure for the written solution, drawn from ``plots/alexnet_a-c.json``: the
training loss (log scale) and the validation accuracy per epoch of each setting of parts (a)-(c),
the mean over its seeds with a band from the lowest to the highest seed, and one legend below
both panels, where it hides no curve."""

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def draw(results_path, figure_path):
    runs = json.loads(results_path.read_text())["runs"]
    figure, (loss, accuracy) = plt.subplots(1, 2, figsize=(7.5, 2.7))
    for run in runs.values():
        for axes, name, scale in ((loss, "train_loss", 1), (accuracy, "val_accuracy", 100)):
            curves = scale * np.array([seed[name] for seed in run["seeds"]])
            epochs = range(1, curves.shape[1] + 1)
            label = run["label"] if axes is loss else None
            (line,) = axes.plot(epochs, curves.mean(0), marker=".", label=label)
            axes.fill_between(
                epochs, curves.min(0), curves.max(0), color=line.get_color(), alpha=0.2
            )
    loss.set(yscale="log", xlabel="epoch", ylabel="training loss (log scale)")
    accuracy.set(xlabel="epoch", ylabel="validation accuracy (%)")
    for axes in (loss, accuracy):
        axes.set_xticks(list(epochs))
        axes.grid(alpha=0.3)
    figure.legend(loc="lower center", ncol=2, fontsize=8, frameon=False)
    figure.tight_layout(rect=(0, 0.16, 1, 1))
    figure.savefig(figure_path, dpi=200)
    plt.close(figure)
