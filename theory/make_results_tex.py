"""The measured numbers of the programming answers, as LaTeX: one ``\\setresult{key}{value}`` line
for each number or table that ``programming.tex`` prints with ``\\result{key}``.

Everything is read from the files the runs wrote under ``plots/``: question 1's ``part_b.json``,
``part_c.json``, ``part_d.json`` and ``part_ablation.json`` (``backprop_main.py``) and question
2's ``alexnet_results.json`` (``alexnet.ipynb``). Only numbers and tables come from here; the words
around them are written by hand, and ``tests/test_claims.py`` checks every direction they state.
"""

import json
import math


def escape(text):
    """Free text (a run's label or change) for LaTeX."""
    return "".join("\\" + char if char in "&%_#$" else char for char in text)


def pct(fraction):
    """An accuracy (a fraction) as a percentage: ``87.40\\,\\%``."""
    return f"{100 * fraction:.2f}\\,\\%"


def points(difference):
    """A difference of two accuracies in percentage points, signed: ``+4.94``, ``$-$2.92``."""
    return f"{100 * difference:+.2f}".replace("-", "$-$")


def seconds(value):
    """A duration: seconds up to two minutes, minutes above."""
    return f"{value:.1f}\\,s" if value < 120 else f"{value / 60:.1f}\\,min"


def head(*lines):
    """A column heading set on several lines."""
    return "\\begin{tabular}[b]{@{}c@{}}" + " \\\\ ".join(lines) + "\\end{tabular}"


def table(columns, header, rows):
    """A centred booktabs table in small type."""
    lines = [" & ".join(map(str, row)) + " \\\\" for row in [header, *rows]]
    return (
        f"{{\\centering\\small\\begin{{tabular}}{{{columns}}}\\toprule\n{lines[0]} \\midrule\n"
        + "\n".join(lines[1:])
        + " \\bottomrule\\end{tabular}\\par}"
    )


def best(curve):
    """The best value of a per-epoch curve and its epoch (from 1)."""
    epoch = max(range(len(curve)), key=curve.__getitem__)
    return curve[epoch], epoch + 1


def paired_noise(a, b, n):
    """Twice the standard error of the difference of two accuracies measured on the same n images
    if both networks were equally accurate: 2 sqrt(d) / n, where d counts the images that exactly
    one of the two gets wrong (McNemar's test at about the 5 % level). a and b are ablation rows
    with the indices of the images they get wrong."""
    return 2 * math.sqrt(len(set(a["validation_errors"]) ^ set(b["validation_errors"]))) / n


def question1(plots):
    b, c, d, ablation = (
        json.loads((plots / f"part_{part}.json").read_text())
        for part in ("b", "c", "d", "ablation")
    )
    out, rows = {}, []
    for run in b["runs"]:
        key, test, loss = f"b/{run['learning_rate']:g}", run["test_accuracy"], run["train_loss"]
        top, epoch = best(test)
        dead = round(run["dead_hidden_units"] * b["config"]["sizes"][1])
        out[f"{key}/test"] = pct(test[-1])
        out[f"{key}/best-epoch"] = str(epoch)
        out[f"{key}/loss-first"], out[f"{key}/loss-last"] = f"{loss[0]:.2f}", f"{loss[-1]:.2f}"
        out[f"{key}/dead"] = str(dead)
        rows.append([f"{run['learning_rate']:g}", f"{loss[0]:.2f} $\\to$ {loss[-1]:.2f}"])
        rows[-1] += [pct(run["train_accuracy"][-1]), pct(test[-1]), f"{pct(top)} ({epoch})"]
        rows[-1] += [f"{dead} of 40", run["predicted_classes"]]
    header = ["$\\eta$", head("training loss,", "epoch 1 $\\to$ 30"), head("training", "accuracy")]
    header += [head("test", "accuracy"), head("best test", "accuracy (epoch)")]
    out["b/table"] = table("rrrrrrr", header + ["dead ReLUs", "classes"], rows)

    top, epoch = best(c["test_accuracy"])
    above = next(e for e, accuracy in enumerate(c["test_accuracy"], 1) if accuracy > 0.9)
    out |= {"c/test": pct(c["test_accuracy"][-1]), "c/best": pct(top), "c/best-epoch": str(epoch)}
    out["c/above-90"] = str(above)
    out["d/test"], out["d/validation"] = pct(d["test_accuracy"]), pct(d["validation_accuracy"][-1])
    out["d/train-time"] = seconds(d["train_seconds"])
    n, rows = ablation["config"]["validation_size"], []
    for i, row in enumerate(ablation["rows"], 1):
        rows.append([i, escape(row["change"]), pct(row["validation_accuracy"]), "", ""])
        if i > 1:
            above = ablation["rows"][i - 2]
            rows[-1][3] = points(row["validation_accuracy"] - above["validation_accuracy"])
            rows[-1][4] = f"{100 * paired_noise(above, row, n):.2f}"
        rows[-1].append(seconds(row["seconds"]))
    header = ["", "change", head("validation", "accuracy"), head("against", "row above")]
    header += [head("noise", "bound"), "time"]
    out["ablation/table"] = table("rL{7.6cm}rrrr", header, rows)
    out["ablation/row1-epochs"] = str(ablation["rows"][0]["config"]["epochs"])
    out["q1/time"] = seconds(sum(part["seconds"] for part in (b, c, d, ablation)))
    return out


def question2(results):
    runs, bonus, ablation = results["runs"], results["bonus"], results["ablation"]
    out, rows = {}, []
    for key, run in runs.items():
        top, epoch = best(run["val_accuracy"])
        loss = run["train_loss"]
        out |= {f"{key}/loss/{e}": f"{value:.3f}" for e, value in enumerate(loss, 1)}
        out[f"{key}/loss-first"], out[f"{key}/loss-last"] = f"{loss[0]:.3f}", f"{loss[-1]:.3f}"
        out[f"{key}/train"] = pct(run["train_accuracy"][-1])
        out[f"{key}/val"], out[f"{key}/test"] = (
            pct(run["val_accuracy"][-1]),
            pct(run["test_accuracy"]),
        )
        out[f"{key}/val-best"], out[f"{key}/val-best-epoch"] = pct(top), str(epoch)
        rows.append([escape(run["label"]), f"{loss[0]:.3f} $\\to$ {loss[-1]:.3f}"])
        rows[-1] += [out[f"{key}/train"], f"{pct(top)} ({epoch})", out[f"{key}/val"]]
        rows[-1] += [out[f"{key}/test"], seconds(run["wall_time_s"])]
    header = ["run", head("training loss,", "epoch 1 $\\to$ 10"), head("training", "accuracy")]
    header += [head("best val.", "(epoch)"), head("final", "val.")]
    out["runs/table"] = table("L{3.6cm}rrrrrr", header + ["test", "time"], rows)
    adam, without = runs["a_adam"], runs["c_adam_no_bn_dropout"]
    out["c/val-gap"] = f"{100 * (adam['val_accuracy'][-1] - without['val_accuracy'][-1]):.1f}"
    out["c/test-gap"] = f"{100 * (adam['test_accuracy'] - without['test_accuracy']):.1f}"

    rows = [
        [s["seed"], pct(s["test_accuracy"]), pct(s["test_accuracy_tta"]), seconds(s["wall_time_s"])]
        for s in bonus["seeds"]
    ]
    header = ["seed", head("test", "accuracy"), head("with", "flip TTA"), head("training", "time")]
    out["d/seeds-table"] = table("rrrr", header, rows)
    for name in ("test_accuracy", "test_accuracy_tta"):
        for stat in ("mean", "min", "max"):
            out[f"d/{name.replace('_', '-')}/{stat}"] = pct(bonus[name][stat])
    number = {row["name"]: i for i, row in enumerate(ablation, 1)}
    rows = []
    for i, row in enumerate(ablation, 1):
        against = f"{points(row['gain'])} ({number[row['against']]})" if row["against"] else ""
        rows.append([i, escape(row["change"]), pct(row["val_accuracy"]), against])
        rows[-1].append(seconds(row["wall_time_s"]))
    header = ["", "change", head("validation", "accuracy"), head("difference,", "points (row)")]
    out["d/ablation-table"] = table("rL{7.4cm}rrr", header + ["time"], rows)
    out["q2/time"] = seconds(results["total_wall_time_s"])
    return out


def results_tex(plots):
    """The ``\\setresult`` lines for the result files in the folder ``plots``."""
    values = question1(plots) | question2(json.loads((plots / "alexnet_results.json").read_text()))
    lines = ["% Written by theory/make_results_tex.py from the files under plots/."]
    lines += [f"\\setresult{{{key}}}{{{value}}}" for key, value in sorted(values.items())]
    return "\n".join(lines) + "\n"
