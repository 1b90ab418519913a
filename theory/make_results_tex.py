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


def seed_noise(spread):
    """How far part (d)'s network moves with its seed alone: the highest minus the lowest final
    validation accuracy of its runs in the spread."""
    final = [run["validation_accuracy"][-1] for run in spread["d"]]
    return max(final) - min(final)


def noise(a, b, n, spread):
    """The bound beyond which the difference of ablation rows a and b counts: the larger of the
    paired bound and twice (d)'s seed spread (each row is one run, of one seed)."""
    return max(paired_noise(a, b, n), 2 * seed_noise(spread))


def span(values, form=lambda x: f"{100 * x:.2f}"):
    """The lowest and the highest of values, a percentage by default: ``89.12--90.16``, or one
    value where they are equal."""
    low, high = form(min(values)), form(max(values))
    return low if low == high else f"{low}--{high}"


def runs(accuracies):
    """``10 runs: 89.12--90.16 %``: how many accuracies, and their span."""
    return f"{len(accuracies)} runs: {span(accuracies)}\\,\\%"


def question1(plots):
    b, c, d, ablation, spread = (
        json.loads((plots / f"part_{part}.json").read_text())
        for part in ("b", "c", "d", "ablation", "spread")
    )
    out, rows, two = {}, [], lambda x: f"{x:.2f}"
    for lr in b["config"]["learning_rates"]:  # every number of (b) from its ten runs, seed 0 first
        key, seeds = f"b/{lr:g}", [r for r in spread["b"] if r["learning_rate"] == lr]
        test, loss = [r["test_accuracy"][-1] for r in seeds], [r["train_loss"] for r in seeds]
        dead = [round(r["dead_hidden_units"] * b["config"]["sizes"][1]) for r in seeds]
        classes = [r["predicted_classes"] for r in seeds]
        out[f"{key}/test"], out[f"{key}/test/runs"] = pct(test[0]), runs(test)
        out[f"{key}/loss-first/runs"] = span([curve[0] for curve in loss], two)
        out[f"{key}/loss-last/runs"] = span([curve[-1] for curve in loss], two)
        out[f"{key}/dead/runs"], out[f"{key}/classes/runs"] = span(dead, str), span(classes, str)
        fell = [r["test_accuracy"][-1] < max(r["test_accuracy"]) for r in seeds]
        out[f"{key}/fell"] = str(sum(fell))
        train = [r["train_accuracy"][-1] for r in seeds]
        rows.append([f"{lr:g}", f"{100 * test[0]:.2f}", span(test), span(train)])
        rows[-1] += [out[f"{key}/{name}/runs"] for name in ("loss-last", "dead", "classes")]
    n_runs = len(spread["config"]["seeds"]["b"])
    out["b/runs"] = str(n_runs)
    header = " & \\multicolumn{2}{c}{test accuracy (\\%)} & \\multicolumn{4}{c}{after epoch 30, "
    header += (
        f"lowest--highest of {n_runs} runs}} \\\\ \\cmidrule(lr){{2-3}}\\cmidrule(lr){{4-7}}\n"
    )
    columns = [head("training", "accuracy (\\%)"), head("training", "loss"), head("dead", "ReLUs")]
    header += f"$\\eta$ & seed 0 & {n_runs} runs & " + " & ".join([*columns, "classes"])
    out["b/table"] = table("rrrrrrr", [header], rows)

    curves = [r["test_accuracy"] for r in spread["c"]]
    final, top = [curve[-1] for curve in curves], [max(curve) for curve in curves]
    out["c/test"], out["c/test/runs"] = pct(final[0]), runs(final)
    out["c/best"], out["c/best/runs"] = pct(top[0]), runs(top)
    out["c/best-before-last"] = str(sum(f < t for f, t in zip(final, top)))
    above = [next(e for e, a in enumerate(curve, 1) if a > 0.9) for curve in curves]
    out["c/above-90/runs"] = span(above, str)
    test = [r["test_accuracy"] for r in spread["d"]]
    validation = [r["validation_accuracy"][-1] for r in spread["d"]]
    out["d/test"], out["d/test/runs"], out["d/runs"] = pct(test[0]), runs(test), str(len(test))
    out["d/validation"], out["d/validation/runs"] = pct(validation[0]), runs(validation)
    out["d/seed-noise"], out["d/noise"] = (f"{k * seed_noise(spread):.2f}" for k in (100, 200))
    out["d/train-time"] = seconds(d["train_seconds"])
    n, rows = ablation["config"]["validation_size"], []
    for i, row in enumerate(ablation["rows"], 1):
        rows.append([i, escape(row["change"]), pct(row["validation_accuracy"]), "", ""])
        if i > 1:
            above = ablation["rows"][i - 2]
            rows[-1][3] = points(row["validation_accuracy"] - above["validation_accuracy"])
            rows[-1][4] = f"{100 * noise(above, row, n, spread):.2f}"
        rows[-1].append(seconds(row["seconds"]))
    header = ["", "change", head("validation", "accuracy"), head("against", "row above")]
    header += [head("noise", "bound"), "time"]
    out["ablation/table"] = table("rL{7.6cm}rrrr", header, rows)
    out["ablation/row1-epochs"] = str(ablation["rows"][0]["config"]["epochs"])
    out["q1/time"] = seconds(sum(part["seconds"] for part in (b, c, d, ablation)))
    out["spread/time"] = seconds(spread["seconds"])
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
