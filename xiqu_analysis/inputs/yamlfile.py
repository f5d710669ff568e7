"""One strict YAML reader for every YAML file the package reads.

Scenario files, ``region.yaml`` files and the report locales are read by
:func:`read_yaml`, which is stricter than ``yaml.safe_load``:

* duplicate keys are an error (YAML would silently keep the last one), named
  by their dotted field and line;
* YAML 1.1 numbers that do not mean what they look like are an error
  (``0123`` is octal 83 in YAML 1.1, ``1:30`` is 90), while ``1e3`` is read as
  a number as YAML 1.2 does;
* the file must be a regular UTF-8 file of at most :data:`MAX_YAML_BYTES`
  (read through :func:`xiqu_analysis.fileio.read_bytes_limited`).

Every problem is an :class:`~xiqu_analysis.errors.InputError` naming the file.
``name: no`` is read by YAML 1.1 as the boolean false; the schemas that read
these files reject it as "not text" (quote it).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Message
from ..fileio import read_bytes_limited

__all__ = ["MAX_YAML_BYTES", "read_yaml", "parse_yaml"]

#: largest YAML file read (bytes); a scenario or region file is a few kB
MAX_YAML_BYTES = 1_000_000

_AMBIGUOUS_INT = re.compile(r"[-+]?(0[0-7_]+|0b[0-1_]+|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)")
_YAML12_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+")


class _Strict:
    """A safe loader's constructor that rejects duplicate keys and ambiguous YAML 1.1 numbers; reads ``1e3`` as float."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark
                    ) from None
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key {key!r} (first at line {seen[key].line + 1})",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        text = str(node.value)
        if _AMBIGUOUS_INT.fullmatch(text):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"ambiguous number '{text}' (YAML 1.1 reads it as {yaml.SafeLoader.construct_yaml_int(self, node)}): "
                "write it in plain decimal or quote it",
                node.start_mark,
            )
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        text = str(node.value)
        if ":" in text:
            raise yaml.constructor.ConstructorError(
                None, None, f"ambiguous number '{text}' (YAML 1.1 reads it as base 60): quote it", node.start_mark
            )
        return super().construct_yaml_float(node)


class _StrictLoader(_Strict, yaml.SafeLoader):
    """The strict loader on PyYAML's own parser (its messages name what is wrong in a user's file)."""


_FastStrictLoader: type = _StrictLoader
if getattr(yaml, "__with_libyaml__", False):
    class _FastStrictLoader(_Strict, yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same strict loader on libyaml's parser (the same checks and values)."""


for _loader in {_StrictLoader, _FastStrictLoader}:
    _loader.add_constructor("tag:yaml.org,2002:int", _Strict.construct_yaml_int)
    _loader.add_constructor("tag:yaml.org,2002:float", _Strict.construct_yaml_float)
    _loader.add_implicit_resolver("tag:yaml.org,2002:float", _YAML12_FLOAT, list("-+.0123456789"))


def _check_duplicates(node: yaml.Node, source: str, path: str = "", _seen: set[int] | None = None) -> None:
    """Walk a composed YAML tree; raise InputError naming the dotted field of a duplicate key."""
    seen_nodes = _seen if _seen is not None else set()
    if id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            field = f"{path}.{key}" if path and key is not None else (key or path)
            if key is not None:
                if key in keys:
                    mark = key_node.start_mark
                    raise InputError(
                        source,
                        field,
                        "duplicate key '{key}' at line {line}, column {column} (first at line {first}); YAML would "
                        "silently keep the last", key=key, line=mark.line + 1, column=mark.column + 1,
                        first=keys[key].start_mark.line + 1,
                    )
                keys[key] = key_node
            _check_duplicates(value_node, source, field, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicates(item, source, f"{path}[{i}]", seen_nodes)


def _yaml_problem(exc: yaml.YAMLError) -> Message:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context and "ambiguous" not in str(problem) and "duplicate" not in str(problem) else problem
    if mark is None:
        return Message("YAML does not parse: {text}", text=text)
    return Message("YAML does not parse at line {line}, column {column}: {text}", line=mark.line + 1,
                   column=mark.column + 1, text=text)


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML ``text`` strictly (see the module docstring); ``source`` names it in errors.

    The text is parsed with libyaml when PyYAML has it (about ten times
    faster: the command line reads its locale files at every start); a text
    libyaml does not accept is parsed again by PyYAML's own parser, so every
    problem is reported in that parser's words, as before.
    """
    if _FastStrictLoader is not _StrictLoader:
        try:
            return _parse(_FastStrictLoader, text, source)
        except InputError:
            pass
    return _parse(_StrictLoader, text, source)


def _parse(loader_class: type, text: str, source: str) -> Any:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_duplicates(node, source)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        problem = _yaml_problem(exc)
        raise InputError(source, None, problem) from None
    except RecursionError:
        raise InputError(source, None, "YAML nests too deeply") from None
    finally:
        loader.dispose()


def read_yaml(path: str | Path, limit: int = MAX_YAML_BYTES) -> Any:
    """Read a YAML file strictly (see the module docstring).

    Raises
    ------
    InputError
        Missing, unreadable, not a regular file, larger than ``limit``, not
        UTF-8, or not strict YAML.
    """
    source = str(path)
    raw = read_bytes_limited(path, limit)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, None, "is not UTF-8 text (byte {start}); save the file as UTF-8",
                         start=exc.start) from None
    return parse_yaml(text, source)
