"""The measured numbers of the programming answers, as LaTeX: one ``\\setresult{key}{value}`` line
for each number or table that ``programming.tex`` prints with ``\\result{key}``.

Everything is read from the files the runs wrote under ``plots/``: question 1's ``part_b.json``,
``part_c.json``, ``part_d.json`` and ``part_ablation.json`` (``backprop_main.py``) and question
2's ``alexnet_a-c.json``, ``alexnet_d.json`` and ``alexnet_ablation.json`` (``alexnet.ipynb``).
Only numbers and tables come from here; the words around them are written by hand, and
``tests/test_claims.py`` checks every direction they state.
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


def paired_noise(a, b, n):
    """Twice the standard error of the difference of two accuracies measured on the same n images
    if both networks were equally accurate: 2 sqrt(d) / n, where d counts the images that exactly
    one of the two gets wrong (McNemar's test at about the 5 % level). a and b are ablation rows
    with the indices of the images they get wrong."""
    return 2 * math.sqrt(len(set(a["validation_errors"]) ^ set(b["validation_errors"]))) / n


def seed_range(finals):
    """How far a setup moves with its seed alone: the highest minus the lowest final accuracy of
    its seeds (question 1: (d)'s validation accuracies in the spread; question 2: (d)'s test
    accuracies, as its final network trains on every training image)."""
    return max(finals) - min(finals)


def noise(a, b, n, finals):
    """The bound beyond which the difference of ablation rows a and b counts: the larger of the
    paired bound and twice the seed range of finals, the final setup's accuracies over its seeds
    (each row is one run, of one seed). Questions 1 and 2 both use it."""
    return max(paired_noise(a, b, n), 2 * seed_range(finals))


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
    out["d/seed-noise"], out["d/noise"] = (f"{k * seed_range(validation):.2f}" for k in (100, 200))
    out["d/train-time"] = seconds(d["train_seconds"])
    n, rows = ablation["config"]["validation_size"], []
    for i, row in enumerate(ablation["rows"], 1):
        rows.append([i, escape(row["change"]), pct(row["validation_accuracy"]), "", ""])
        if i > 1:
            above = ablation["rows"][i - 2]
            rows[-1][3] = points(row["validation_accuracy"] - above["validation_accuracy"])
            rows[-1][4] = f"{100 * noise(above, row, n, validation):.2f}"
        rows[-1].append(seconds(row["seconds"]))
    header = ["", "change", head("validation", "accuracy"), head("against", "row above")]
    header += [head("noise", "bound"), "time"]
    out["ablation/table"] = table("rL{9cm}rrrr", header, rows)
    out["ablation/row1-epochs"] = str(ablation["rows"][0]["config"]["epochs"])
    out["q1/time"] = seconds(sum(part["seconds"] for part in (b, c, d, ablation)))
    out["spread/time"] = seconds(spread["seconds"])
    return out


def percent(fraction):
    """An accuracy as a percentage without the sign, for tables: ``87.4``."""
    return f"{100 * fraction:.1f}"


def mean_span(values, form=lambda x: f"{100 * x:.2f}"):
    """The mean of per-seed values and, in brackets, their span: ``89.07 (88.73--89.25)``."""
    return f"{form(sum(values) / len(values))} ({span(values, form)})"


def question2(plots):
    """Question 2 from the notebook's files: ``alexnet_a-c.json`` ((a)-(c), several seeds each),
    ``alexnet_d.json`` ((d)'s final network per seed) and ``alexnet_ablation.json``."""
    a_to_c, bonus, ablation = (
        json.loads((plots / f"alexnet_{part}.json").read_text())
        for part in ("a-c", "d", "ablation")
    )
    out, rows = {}, []
    for key, run in a_to_c["runs"].items():
        seeds = run["seeds"]
        loss = [sum(epoch) / len(epoch) for epoch in zip(*(s["train_loss"] for s in seeds))]
        out |= {f"{key}/loss/{e}": f"{value:.3f}" for e, value in enumerate(loss, 1)}
        out[f"{key}/loss-first"], out[f"{key}/loss-last"] = f"{loss[0]:.3f}", f"{loss[-1]:.3f}"
        first = [s["train_loss"][0] for s in seeds]
        out[f"{key}/loss-first-spread"] = mean_span(first, "{:.1f}".format)
        train = [s["train_accuracy"][-1] for s in seeds]
        out[f"{key}/train"] = pct(sum(train) / len(train))
        val, test = [s["val_accuracy"][-1] for s in seeds], [s["test_accuracy"] for s in seeds]
        out[f"{key}/test-spread"] = mean_span(test) + "\\,\\%"
        rows.append([escape(run["label"]), f"{loss[0]:.3f} $\\to$ {loss[-1]:.3f}"])
        rows[-1] += [mean_span(val, percent), mean_span(test, percent)]
    header = ["run", head("training loss,", "epoch 1 $\\to$ last")]
    header += [head("final val., \\%", "(seeds' range)"), head("test, \\%", "(seeds' range)")]
    out["runs/table"] = table("L{7.6cm}rrr", header, rows)
    numbers = [str(s["seed"]) for s in a_to_c["runs"]["a_sgd"]["seeds"]]
    out["q2/seed-list"] = ", ".join(numbers[:-1]) + " and " + numbers[-1]
    for part, better, worse in (("a", "a_adam", "a_sgd"), ("c", "a_adam", "c_adam_no_bn_dropout")):
        pairs = list(zip(*(a_to_c["runs"][key]["seeds"] for key in (better, worse)), strict=True))
        val_gap = [b["val_accuracy"][-1] - w["val_accuracy"][-1] for b, w in pairs]
        test_gap = [b["test_accuracy"] - w["test_accuracy"] for b, w in pairs]
        out[f"{part}/val-gap"] = mean_span(val_gap, lambda x: f"{100 * x:.1f}")
        out[f"{part}/test-gap"] = mean_span(test_gap, lambda x: f"{100 * x:.1f}")

    seeds = bonus["seeds"]
    for name in ("test_accuracy", "test_accuracy_tta"):
        values = [s[name] for s in seeds]
        stats = {"mean": sum(values) / len(values), "min": min(values), "max": max(values)}
        out |= {f"d/{name.replace('_', '-')}/{k}": pct(v) for k, v in stats.items()}
    finals = [s["test_accuracy"] for s in seeds]
    out["q2/noise"] = f"{200 * seed_range(finals):.2f}"
    n, rows = ablation["validation_images"], []
    for i, row in enumerate(ablation["rows"], 1):
        rows.append([i, escape(row["change"]), pct(row["val_accuracy"]), "", ""])
        if row["against"]:
            other = ablation["rows"][row["against"] - 1]
            gain = points(row["val_accuracy"] - other["val_accuracy"])
            bound = noise(other, row, n, finals)
            rows[-1][3:5] = f"{gain} ({row['against']})", f"{100 * bound:.2f}"
    header = ["", "change", head("validation", "accuracy"), head("difference,", "points (row)")]
    header += [head("noise", "bound")]
    out["d/ablation-table"] = table("rL{10.1cm}rrr", header, rows)
    out["q2/time"] = seconds(sum(r["wall_time_s"] for r in (a_to_c, bonus, ablation)))
    return out


def results_tex(plots):
    """The ``\\setresult`` lines for the result files in the folder ``plots``."""
    values = question1(plots) | question2(plots)
    lines = ["% Written by theory/make_results_tex.py from the files under plots/."]
    lines += [f"\\setresult{{{key}}}{{{value}}}" for key, value in sorted(values.items())]
    return "\n".join(lines) + "\n"
