"""Builds ``theory/solutions.pdf`` (``make pdf`` runs ``python -m theory.build_pdf``).

It writes the generated fragments into ``theory/build/`` (question 2's weights, question 3's dual,
the measured results and question 2's figure, all from ``plots/``), runs latexmk there, and fails
on LaTeX errors (a result the text uses and the generator does not write is one), undefined
references and overfull boxes.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from theory import alexnet_figure, l2_svm_dual, relu_max
from theory.make_results_tex import results_tex

THEORY = Path(__file__).resolve().parent
PLOTS = THEORY.parent / "plots"
# Fixed dates make rebuilds from the same inputs byte-identical; this is the homework's due date.
SOURCE_DATE_EPOCH = "1684886400"  # 2023-05-24 00:00 UTC
PROBLEMS = re.compile(
    r"^(!.*|\S+\.tex:\d+: .*|LaTeX Warning: .*undefined.*|Overfull \\[hv]box \((?!0\.)[\d.]+pt.*)$",
    re.MULTILINE,
)


def build(build_dir, plots_dir=PLOTS):
    """Build the PDF in ``build_dir`` from the results in ``plots_dir``; return the PDF's path and
    the problems the LaTeX log reports (none for a clean build)."""
    build_dir = Path(build_dir).resolve()
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / "generated_relu_max.tex").write_text(relu_max.tex_macros())
    (build_dir / "generated_l2_svm_dual.tex").write_text(l2_svm_dual.tex_macros())
    (build_dir / "generated_results.tex").write_text(results_tex(plots_dir))
    alexnet_figure.draw(plots_dir / "alexnet_a-c.json", build_dir / "alexnet_curves.png")
    env = os.environ | {
        "TEXINPUTS": f"{build_dir}{os.pathsep}{plots_dir.resolve()}{os.pathsep}",
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "FORCE_SOURCE_DATE": "1",
    }
    command = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    command += [f"-outdir={build_dir}", "solutions.tex"]
    run = subprocess.run(command, cwd=THEORY, env=env, capture_output=True, text=True)
    log = build_dir / "solutions.log"
    # latexmk can miss an .aux change made within a second of its last run and stop while LaTeX
    # still asks for a rerun; then force more runs, as LaTeX asks.
    for _ in range(2):
        if run.returncode or "Rerun to get" not in log.read_text(errors="replace"):
            break
        run = subprocess.run(command + ["-g"], cwd=THEORY, env=env, capture_output=True, text=True)
    problems = PROBLEMS.findall(log.read_text(errors="replace")) if log.exists() else []
    if run.returncode:
        problems.append(f"latexmk exited with {run.returncode}:\n{run.stdout[-3000:]}")
    return build_dir / "solutions.pdf", problems


def main():
    """Build in ``theory/build`` and, if clean, copy the PDF to ``theory/solutions.pdf``."""
    pdf, problems = build(THEORY / "build")
    if problems:
        print("theory/solutions.pdf not updated; the LaTeX build has problems:", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1
    shutil.copyfile(pdf, THEORY / "solutions.pdf")
    print("wrote theory/solutions.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
