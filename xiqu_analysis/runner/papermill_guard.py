"""papermill's own command line, guarded: a parameter name that would run as code is refused first.

papermill writes each parameter into the notebook as ``f"{name} = {value}"``
and only warns about a name the notebook does not declare, so
``papermill notebooks/scenario_report.ipynb o.ipynb -p 'x=1;__import__("os").system("...");y' 1``
would run that command in the kernel before any check of this package. The
runner never goes that way (:mod:`xiqu_analysis.runner.validate` checks every
name first), but a user may run a notebook with plain ``papermill``.

This module is papermill's ``papermill.engine`` entry point ``xiqu``
(``pyproject.toml``), so papermill imports it whenever papermill itself is
imported in an environment where this package is installed; on import it
registers, through papermill's own registries:

* a Python translator that refuses a parameter name that is not a Python
  identifier (or is a keyword) as it writes the injected cell: for every
  Python notebook, because such a name can only be broken code or injected
  code;
* the default engine: papermill's own (nbclient), which before the first cell
  runs checks a notebook of this package (one whose code imports
  ``xiqu_analysis``): its injected cell may hold nothing but assignments of a
  literal value to a name its ``parameters`` cell declares. Other notebooks
  are executed exactly as before.

A refusal is :class:`ParameterRefused`: for papermill's command line a one-line
``Error: ...`` and exit status 1, before the output notebook is written and
before a kernel starts. ``papermill --engine xiqu`` selects the checking
engine explicitly.
"""
from __future__ import annotations

import ast
import keyword
import logging
import re
from typing import Any, Iterable

__all__ = ["ParameterRefused", "XiquEngine", "GuardedPythonTranslator", "check_injected", "declared_names",
           "is_package_notebook"]

log = logging.getLogger("xiqu_analysis.runner.papermill_guard")

_USES_PACKAGE = re.compile(r"^\s*(?:from|import)\s+xiqu_analysis\b", re.MULTILINE)


class XiquEngine:
    """papermill's nbclient engine, with :func:`check_injected` before the first cell (and before any save).

    Defined before this module imports papermill: papermill imports its
    entry points while it is itself being imported, and finds this class then.
    """

    @classmethod
    def execute_notebook(cls, nb, kernel_name, *args, **kwargs):
        from papermill.engines import NBClientEngine

        check_injected(nb, kwargs.get("input_path"))
        return NBClientEngine.execute_notebook(nb, kernel_name, *args, **kwargs)

    @classmethod
    def nb_kernel_name(cls, nb, name=None):
        from papermill.engines import NBClientEngine

        return NBClientEngine.nb_kernel_name(nb, name)

    @classmethod
    def nb_language(cls, nb, language=None):
        from papermill.engines import NBClientEngine

        return NBClientEngine.nb_language(nb, language)


import click  # noqa: E402 - after XiquEngine (see its docstring)
from papermill.exceptions import PapermillException  # noqa: E402


class ParameterRefused(PapermillException, click.ClickException):
    """A parameter papermill must not inject; papermill's command line prints it as one line and exits 1."""

    def __init__(self, message: str):
        message = " ".join(str(message).split())
        message = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in message)
        click.ClickException.__init__(self, message)

    def __str__(self) -> str:
        return self.message


def _name_problem(name: Any) -> str | None:
    if type(name) is not str or not name.isidentifier() or keyword.iskeyword(name):
        return (f"parameter name {name!r} is not a Python identifier: papermill would write it into the "
                "notebook as code; refused before the notebook ran")
    return None


def _source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _tagged(nb: Any, tag: str) -> Any:
    return next((c for c in nb.get("cells", []) if tag in (c.get("metadata", {}).get("tags") or [])), None)


def declared_names(source: str) -> set[str] | None:
    """Names assigned at the top level of a ``parameters`` cell (None when it is not plain Python)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def is_package_notebook(nb: Any) -> bool:
    """A notebook of this package: one of its code cells imports ``xiqu_analysis``."""
    return any(c.get("cell_type") == "code" and _USES_PACKAGE.search(_source(c)) for c in nb.get("cells", []))


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):  # papermill writes nan and infinities as float('nan'), float('-inf')
        return (isinstance(node.func, ast.Name) and node.func.id == "float" and not node.keywords
                and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in ("nan", "inf", "-inf"))
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False


def check_injected(nb: Any, where: str | None = None) -> None:
    """Refuse a notebook of this package whose injected cell is anything but declared names = literals.

    Raises
    ------
    ParameterRefused
        A statement that is not one assignment of a literal to a name, or a
        name the ``parameters`` cell does not declare.
    """
    injected = _tagged(nb, "injected-parameters")
    if injected is None or not is_package_notebook(nb):
        return
    what = where or "the notebook"
    params = _tagged(nb, "parameters")
    declared = declared_names(_source(params)) if params is not None else None
    if declared is None:
        raise ParameterRefused(f"{what}: no plain 'parameters' cell to check the injected parameters against; "
                               "refused before the notebook ran")
    source = _source(injected)
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError) as exc:
        raise ParameterRefused(f"{what}: the injected parameters are not valid Python ({exc.msg}): a parameter "
                               "name that is not a Python identifier; refused before the notebook ran") from None
    lines = source.splitlines()
    for node in tree.body:
        plain = (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                 and _literal(node.value))
        if not plain:
            text = lines[node.lineno - 1].strip() if node.lineno <= len(lines) else ""
            raise ParameterRefused(f"{what}: the injected parameters hold code, not a parameter = value "
                                   f"({text[:120]!r}): a parameter name that is not a Python identifier; "
                                   "refused before the notebook ran")
    for node in tree.body:  # every statement is plain: now the names
        name = node.targets[0].id
        if name not in declared:
            import difflib

            close = difflib.get_close_matches(name, sorted(declared), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ParameterRefused(f"{what}: {name!r} is not a parameter of the notebook ({hint}declared: "
                                   f"{', '.join(sorted(declared)) or 'none'}); refused before the notebook ran")


def _guarded_translator(base: type) -> type:
    class GuardedPythonTranslator(base):
        """papermill's Python translator, refusing a parameter name that is not an identifier."""

        @classmethod
        def assign(cls, name, str_val):
            problem = _name_problem(name)
            if problem:
                raise ParameterRefused(problem)
            return super().assign(name, str_val)

    return GuardedPythonTranslator


GuardedPythonTranslator: type | None = None


def _register(languages: Iterable[str] = ("python",)) -> None:
    """Install the guarded translator and the checking default engine (each only over papermill's own)."""
    global GuardedPythonTranslator
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.translators import PythonTranslator, papermill_translators

    for lang in languages:
        if papermill_translators._translators.get(lang) is PythonTranslator:
            if GuardedPythonTranslator is None:
                GuardedPythonTranslator = _guarded_translator(PythonTranslator)
            papermill_translators.register(lang, GuardedPythonTranslator)
    if papermill_engines._engines.get(None) is NBClientEngine:
        papermill_engines.register(None, XiquEngine)
        papermill_engines.register("nbclient", XiquEngine)


try:
    _register()
except Exception as exc:  # noqa: BLE001 - never keep papermill from importing
    log.warning("xiqu_analysis: papermill's parameter guard not installed: %s: %s", type(exc).__name__, exc)
