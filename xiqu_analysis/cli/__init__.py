"""The ``xiqu`` command line: a thin layer over the package (like papermill's CLI).

Each sub-command lives in ``xiqu_analysis/cli/<name>.py`` and exposes::

    def add_parser(subparsers) -> argparse.ArgumentParser
    def run(args: argparse.Namespace) -> int   # exit status

Exit codes: 0 success; 1 a run started and part of it failed; 2 bad input
(one line on stderr naming file, field and problem; nothing ran); 130
interrupted. A user's mistake never prints a traceback.

Messages and help are in the language :func:`~.words.message_language` finds
(``--language``, ``$XIQU_LANGUAGE``, the locale): the help texts of
``reports/locale/<lang>/cli.yaml``, an error line through the language's
``errors.yaml`` (:func:`~xiqu_analysis.reports.words.messages.error_text`).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, InputError
from ..runner import skip_iri_format_checks
from . import words as W

#: sub-commands in the order ``xiqu --help`` lists them
COMMANDS = ("project", "targets", "audit", "simulate", "sensitivity", "forecast", "run", "rebase", "diff", "extract",
            "actuals", "region")


class _Parser(argparse.ArgumentParser):
    """argparse parser in the language of the messages; its usage errors are one line and exit 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", W.HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=W.words("argparse.help"))

    def error(self, message: str):  # noqa: D401 - argparse API
        raise InputError("command line", None, "{message} (see '{prog} --help')", message=W.usage_message(message),
                         prog=self.prog)


def build_parser(language: str | None = None, commands: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    """The ``xiqu`` parser, its help texts in ``language`` (default: the current language of messages).

    Only the sub-commands in ``commands`` are built in full (their modules imported); the others are
    listed with their help line, so ``xiqu project`` does not import what ``xiqu run`` needs.
    """
    from .. import __version__
    from ..reports.words.locales import languages

    if language is not None:
        W.use_language(language)
    w = W.CommandWords("main")
    parser = _Parser(prog="xiqu", description=w.plain("description", **W.region_params()), epilog=w.plain("epilog"))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help=W.words("argparse.version"))
    parser.add_argument("--language", choices=languages(), default=None, dest="message_language", metavar="LANG",
                        help=w("opt.language", choices=", ".join(languages())))
    title = W.words("argparse.commands")  # English: none (the commands are listed with the positional arguments)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                **({"title": title} if title else {}))
    sub.required = True
    for name in COMMANDS:
        if name not in commands:
            sub.add_parser(name, help=W.CommandWords(name)("help"))
            continue
        module = importlib.import_module(f".{name}", __package__)
        p = module.add_parser(sub)
        p.set_defaults(_run=module.run)
        try:  # a command without a report language still takes --language: the language of its messages
            p.add_argument("--language", choices=languages(), default=None, dest="message_language", metavar="LANG",
                           help=W.words("argparse.language"))
        except argparse.ArgumentError:  # it has one (its report's language, and its messages')
            pass
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``xiqu`` console script. Returns the exit status."""
    from ..reports.words.messages import error_text

    argv = sys.argv[1:] if argv is None else list(argv)
    lang = W.message_language(argv)
    skip_iri_format_checks()
    try:
        parser = build_parser(lang, [next((a for a in argv if a in COMMANDS), "")])  # the command asked for
        args = parser.parse_args(argv)
        return int(args._run(args) or 0)
    except InputError as exc:
        print(W.words("error_line", lang, line=error_text(exc, lang)), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(W.words("interrupted", lang), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `xiqu project ... | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
