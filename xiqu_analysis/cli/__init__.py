"""The ``xiqu`` command line: a thin layer over the package (like papermill's CLI).

Each sub-command lives in ``xiqu_analysis/cli/<name>.py`` and exposes::

    def add_parser(subparsers) -> argparse.ArgumentParser
    def run(args: argparse.Namespace) -> int   # exit status

Exit codes: 0 success; 1 a run started and part of it failed; 2 bad input
(one line on stderr naming file, field and problem; nothing ran); 130
interrupted. A user's mistake never prints a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, InputError

#: sub-commands in the order ``xiqu --help`` lists them
COMMANDS = ("project", "targets", "audit", "simulate", "sensitivity", "forecast", "run", "rebase", "diff", "extract",
            "actuals", "region")


class _Parser(argparse.ArgumentParser):
    """argparse parser whose usage errors are one line and exit 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        raise InputError("command line", None, f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(
        prog="xiqu",
        description="Economic scenarios for Xiqu district (攀枝花市西区): projections, "
        "uncertainty, source audit and papermill reports.",
        epilog="Exit codes: 0 success; 1 part of a run failed; 2 bad input (nothing ran); "
        "130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f".{name}", __package__)
        p = module.add_parser(sub)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``xiqu`` console script. Returns the exit status."""
    from ..runner.worker import skip_iri_format_checks

    skip_iri_format_checks()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args._run(args) or 0)
    except InputError as exc:
        print(f"xiqu: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("xiqu: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `xiqu project ... | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
