"""Builds ``theory/solutions.pdf`` (``make pdf`` runs ``python3 -m theory.build_pdf``).

It writes the generated fragments (question 2's weights, question 3's dual, the measured results
from ``plots/``) into the build directory, runs latexmk there, and fails on LaTeX errors,
undefined references or citations, and overfull boxes wider than ``OVERFULL_LIMIT_PT``. Only the
standard library is needed, besides TeX Live.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from theory import l2_svm_dual, relu_max
from theory.make_results_tex import results_tex

THEORY = Path(__file__).resolve().parent
PLOTS = THEORY.parent / "plots"
# Fixed dates make rebuilds from the same inputs byte-identical; this is the homework's due date.
SOURCE_DATE_EPOCH = "1684886400"  # 2023-05-24 00:00 UTC
OVERFULL_LIMIT_PT = 1.0

_ERROR = re.compile(r"^(!.*|\S+\.tex:\d+: .*)$", re.MULTILINE)
_UNDEFINED = re.compile(
    r"^(LaTeX Warning: (Reference|Citation) .* undefined.*"
    r"|LaTeX Warning: There were undefined references.*"
    r"|LaTeX Warning: Label\(s\) may have changed.*)$",
    re.MULTILINE,
)
_RERUN = "Rerun to get cross-references right"
_OVERFULL = re.compile(r"^Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too \w+\).*$", re.MULTILINE)


def write_fragments(build_dir: Path, plots_dir: Path) -> None:
    """Write the ``generated_*.tex`` files that ``preamble.tex`` inputs."""
    fragments = {
        "generated_relu_max.tex": relu_max.tex_macros(),
        "generated_l2_svm_dual.tex": l2_svm_dual.tex_macros(),
        "generated_results.tex": results_tex(plots_dir, THEORY),
    }
    for name, text in fragments.items():
        (build_dir / name).write_text(text)


def log_problems(log: str) -> list[str]:
    """The lines of a LaTeX log that make a build unacceptable: errors, undefined references or
    citations, and overfull boxes wider than ``OVERFULL_LIMIT_PT``."""
    problems = [m.group(0) for m in _ERROR.finditer(log)]
    problems += [m.group(0) for m in _UNDEFINED.finditer(log)]
    problems += [
        m.group(0) for m in _OVERFULL.finditer(log) if float(m.group(1)) > OVERFULL_LIMIT_PT
    ]
    return problems


def build(build_dir: Path, plots_dir: Path = PLOTS) -> tuple[Path, list[str]]:
    """Build the PDF in ``build_dir`` from the results in ``plots_dir``; return the PDF's path and
    the problems found (empty when the build is clean)."""
    build_dir = build_dir.resolve()
    build_dir.mkdir(parents=True, exist_ok=True)
    write_fragments(build_dir, plots_dir)
    env = os.environ | {
        "TEXINPUTS": f"{build_dir}{os.pathsep}",
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "FORCE_SOURCE_DATE": "1",
    }
    command = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    command += [f"-outdir={build_dir}", "solutions.tex"]
    run = subprocess.run(command, cwd=THEORY, env=env, capture_output=True, text=True)
    log_file = build_dir / "solutions.log"
    # latexmk may miss a change of the .aux file made within the second of its last run and stop
    # while LaTeX still asks for a rerun; then force more runs (-g), as LaTeX asks.
    for _ in range(2):
        if run.returncode != 0 or _RERUN not in log_file.read_text(errors="replace"):
            break
        run = subprocess.run(command + ["-g"], cwd=THEORY, env=env, capture_output=True, text=True)
    problems = log_problems(log_file.read_text(errors="replace")) if log_file.exists() else []
    if run.returncode != 0:
        problems.append(f"latexmk exited with {run.returncode}:\n{run.stdout[-3000:]}")
    return build_dir / "solutions.pdf", problems


def main() -> int:
    """Build into ``theory/build`` and, if clean, copy the PDF to ``theory/solutions.pdf``."""
    try:
        pdf, problems = build(THEORY / "build")
    except ValueError as error:  # a results file under plots/ that lacks a field
        print(f"theory/solutions.pdf not updated: {error}", file=sys.stderr)
        return 1
    if problems:
        print("theory/solutions.pdf not updated; the LaTeX build has problems:", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1
    shutil.copyfile(pdf, THEORY / "solutions.pdf")
    print("wrote theory/solutions.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
