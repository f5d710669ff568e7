#!/usr/bin/env python
"""Check that the command line's outputs and the reports' tables are byte-identical.

For every shipped scenario (``scenarios/*.yaml``) this produces the standard
output of ``xiqu project``, ``xiqu targets``, ``xiqu audit``, ``xiqu simulate``
and ``xiqu sensitivity`` (default options and seeds, table and CSV formats),
and the ``tables/*.csv`` of every report of a default ``xiqu run --fresh
--formats html`` (in each language asked for), for two trees, and lists every
file that differs. Manifests, logs, pages and time stamps are not compared.

Usage (from the project folder, with the project's virtual environment)::

    .venv/bin/python scripts/compare_outputs.py                # HEAD against the working tree
    .venv/bin/python scripts/compare_outputs.py REV            # a git revision against the working tree
    .venv/bin/python scripts/compare_outputs.py --save DIR     # the working tree's outputs into DIR
    .venv/bin/python scripts/compare_outputs.py REV --save DIR # REV's outputs into DIR
    .venv/bin/python scripts/compare_outputs.py --against DIR  # the working tree against a saved DIR

Exit status: 0 "identical"; 1 a file differs, is missing on one side, or a
command failed (each listed); 2 bad arguments or a tree that cannot be run.

A revision is checked out with ``git worktree add --detach`` in a temporary
folder (removed at the end) and run with this same Python, ``PYTHONPATH``
pointing at that tree and ``XIQU_DATA_DIR``, ``XIQU_SCENARIO_DIR`` and
``XIQU_NOTEBOOK_DIR`` at its folders, so its package, data, scenarios and
notebooks are the ones executed (checked before anything runs).
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: a target solved over every scenario (``xiqu targets --solve``)
SOLVE_TARGET = "gdp_real x2 from 2020 by 2035"
#: the run's report formats: HTML only (the tables/*.csv are the same for every format)
RUN_FORMATS = "html"


def tree_env(tree: Path, outputs: Path) -> dict[str, str]:
    """Environment that makes ``tree``'s package, data, scenarios and notebooks the ones used."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tree), *filter(None, [env.get("PYTHONPATH")])])
    env["XIQU_DATA_DIR"] = str(tree / "data")
    env["XIQU_SCENARIO_DIR"] = str(tree / "scenarios")
    env["XIQU_NOTEBOOK_DIR"] = str(tree / "notebooks")
    env["XIQU_OUTPUT_DIR"] = str(outputs)
    env["PYTHONHASHSEED"] = "0"
    env.pop("XIQU_PLAN_TEXT", None)
    return env


def check_package_origin(tree: Path, env: dict[str, str]) -> None:
    """Refuse to go on unless ``import xiqu_analysis`` resolves inside ``tree``."""
    out = subprocess.run(
        [sys.executable, "-c", "import xiqu_analysis, xiqu_analysis.config as c; "
         "print(xiqu_analysis.__file__); print(c.notebook_dir()); print(c.data_dir())"],
        cwd=tree, env=env, capture_output=True, text=True, check=False)
    lines = out.stdout.split()
    if out.returncode != 0 or len(lines) != 3:
        sys.exit(f"compare_outputs: cannot import xiqu_analysis from {tree}: {out.stderr.strip()}")
    for line in lines:
        if not Path(line).resolve().is_relative_to(tree.resolve()):
            sys.exit(f"compare_outputs: {line} is not inside {tree}: another tree's package or files would run")


def cli_commands(tree: Path) -> list[tuple[str, list[str]]]:
    """(file name, ``xiqu`` arguments) of every command-line output compared."""
    scenarios = sorted(p.relative_to(tree).as_posix() for p in (tree / "scenarios").glob("*.yaml"))
    commands: list[tuple[str, list[str]]] = []
    for fmt in ("table", "csv"):
        commands.append((f"audit/all.{fmt}.txt", ["audit", "--format", fmt]))
        commands.append((f"targets/solve.{fmt}.txt", ["targets", "--solve", SOLVE_TARGET, "--format", fmt]))
        for scenario in scenarios:
            name = Path(scenario).stem
            for command in ("project", "targets", "simulate", "sensitivity"):
                commands.append((f"{command}/{name}.{fmt}.txt", [command, scenario, "--format", fmt]))
            commands.append((f"audit/{name}.{fmt}.txt", ["audit", "--scenario", scenario, "--format", fmt]))
    return commands


def produce(tree: Path, dest: Path, languages: list[str], jobs: int) -> None:
    """Write ``tree``'s outputs under ``dest`` (``cli/...`` and ``run/<lang>/<report>/tables/*.csv``)."""
    tree = tree.resolve()
    with tempfile.TemporaryDirectory(prefix="xiqu-compare-") as tmp:
        env = tree_env(tree, Path(tmp) / "outputs")
        check_package_origin(tree, env)
        for name, args in cli_commands(tree):
            out = subprocess.run([sys.executable, "-m", "xiqu_analysis", *args], cwd=tree, env=env,
                                 capture_output=True, check=False)
            path = dest / "cli" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(out.stdout)
            if out.returncode != 0:  # a failure is an output too: it shows as a file on one side only
                path.with_suffix(".exit").write_bytes(b"exit %d\n" % out.returncode + out.stderr)
        for lang in languages:
            runs = Path(tmp) / f"runs-{lang}"
            args = ["run", "--fresh", "--formats", RUN_FORMATS, "--language", lang, "--jobs", str(jobs),
                    "--out", str(runs)]
            out = subprocess.run([sys.executable, "-m", "xiqu_analysis", *args], cwd=tree, env=env,
                                 capture_output=True, check=False)
            target = dest / "run" / lang
            target.mkdir(parents=True, exist_ok=True)
            if out.returncode != 0:
                (target / "run.exit").write_bytes(b"exit %d\n" % out.returncode + out.stderr)
                continue
            run_dirs = [p for p in runs.iterdir() if p.is_dir() and not p.is_symlink()]
            if len(run_dirs) != 1:
                sys.exit(f"compare_outputs: expected one run folder in {runs}, found {len(run_dirs)}")
            check_run_notebooks(run_dirs[0], tree)
            for csv in sorted(run_dirs[0].glob("*/tables/*.csv")):
                rel = csv.relative_to(run_dirs[0])
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(csv, target / rel)


def check_run_notebooks(run_dir: Path, tree: Path) -> None:
    """Refuse a run whose manifest names a notebook outside ``tree``."""
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))

    def notebooks(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and value.endswith(".ipynb") and "notebook" in key:
                    yield value
                else:
                    yield from notebooks(value)
        elif isinstance(node, list):
            for value in node:
                yield from notebooks(value)

    executed = list(notebooks(manifest))
    if not executed:
        sys.exit(f"compare_outputs: {run_dir / 'manifest.json'} names no notebook")
    for nb in executed:
        if not (tree / nb).resolve().is_relative_to(tree.resolve()):
            sys.exit(f"compare_outputs: the run executed {nb}, outside {tree}")


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and p.relative_to(folder).parts[0] in ("cli", "run")}


def compare(a: Path, b: Path, label_a: str, label_b: str) -> list[str]:
    """Lines naming every file that differs between the output folders ``a`` and ``b``."""
    fa, fb = files_under(a), files_under(b)
    problems = [f"only in {label_a}: {name}" for name in sorted(fa - fb)]
    problems += [f"only in {label_b}: {name}" for name in sorted(fb - fa)]
    problems += [f"differs: {name}" for name in sorted(fa & fb)
                 if not filecmp.cmp(a / name, b / name, shallow=False)]
    return problems


def checkout(rev: str, parent: Path) -> Path:
    """``rev`` checked out (detached) in a new worktree under ``parent``."""
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if sha.returncode != 0:
        sys.exit(f"compare_outputs: not a git revision: {rev}")
    tree = parent / f"rev-{sha.stdout.strip()[:12]}"
    subprocess.run(["git", "worktree", "add", "--quiet", "--detach", str(tree), sha.stdout.strip()],
                   cwd=ROOT, check=True)
    return tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Exit status: 0 identical; 1 differences (listed); 2 bad arguments.")
    parser.add_argument("rev", nargs="?", default=None, metavar="REV",
                        help="git revision compared with the working tree (default HEAD); with --save: the tree saved")
    parser.add_argument("--save", metavar="DIR", type=Path, help="write the outputs to DIR (must not exist) and stop")
    parser.add_argument("--against", metavar="DIR", type=Path,
                        help="compare the working tree with outputs saved earlier by --save")
    parser.add_argument("--languages", default="en,zh",
                        help="report languages of the runs, comma-separated (default en,zh)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once in each run (default 2)")
    args = parser.parse_args(argv)
    if args.save and args.against:
        parser.error("--save and --against exclude each other")
    if args.against and args.rev:
        parser.error("--against compares the working tree; give no REV")
    if args.save and args.save.exists():
        parser.error(f"--save: {args.save} exists")
    if args.against and not (args.against / "cli").is_dir():
        parser.error(f"--against: {args.against} holds no saved outputs (no cli/ folder)")
    languages = [x for x in args.languages.split(",") if x]

    with tempfile.TemporaryDirectory(prefix="xiqu-compare-trees-") as tmp:
        tmp = Path(tmp)
        worktree = None
        try:
            if args.save:
                tree = worktree = checkout(args.rev, tmp) if args.rev else ROOT
                produce(tree, args.save, languages, args.jobs)
                print(f"saved {len(files_under(args.save))} files of {args.rev or 'the working tree'} in {args.save}")
                return 0
            current = tmp / "working-tree"
            produce(ROOT, current, languages, args.jobs)
            if args.against:
                reference, label = args.against, str(args.against)
            else:
                rev = args.rev or "HEAD"
                worktree = checkout(rev, tmp)
                reference, label = tmp / "reference", rev
                produce(worktree, reference, languages, args.jobs)
            problems = compare(reference, current, label, "working tree")
            count = len(files_under(current))
        finally:
            if worktree is not None and worktree != ROOT:
                subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} difference(s) between {label} and the working tree")
        return 1
    print(f"identical ({count} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
