"""YAML that remembers where every value came from, so errors can quote file and line.

``load_located(path)`` returns the plain Python data and a ``Locations`` map from the
value's path (``("steps", 2, "probe", "sni")``) to its line in the file. ``!include
FILE`` inserts another YAML file (a shared fragment), resolved relative to the
including file; locations inside it point into that file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Location:
    file: Path
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Locations:
    entries: dict[PathKey, Location] = field(default_factory=dict)
    lines: dict[Path, list[str]] = field(default_factory=dict)

    def find(self, path: PathKey) -> Location | None:
        """The location of ``path``, or of its closest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.entries.get(tuple(path[:end]))
            if found is not None:
                return found
        return None

    def source_line(self, location: Location) -> str:
        text = self.lines.get(location.file, [])
        return text[location.line - 1].rstrip() if 0 < location.line <= len(text) else ""


class YamlError(Exception):
    """The file is not valid YAML (or an include is missing); message names file and line."""


def _read(path: Path, locations: Locations) -> yaml.Node:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise YamlError(f"{path}: cannot read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise YamlError(f"{path}: not UTF-8 text") from error
    locations.lines[path] = text.splitlines()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise YamlError(f"{path}:{line}: invalid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise YamlError(f"{path}: invalid YAML: {error}") from error
    if node is None:
        raise YamlError(f"{path}: the file is empty")
    return node


#: More values than any real scenario has: aliases that expand beyond it are refused
#: (a few hundred bytes of nested aliases can otherwise expand to millions of values).
MAX_VALUES = 100_000


class _Builder:
    """Builds Python values from YAML nodes, recording where each came from."""

    def __init__(self, locations: Locations) -> None:
        self.locations = locations
        self.count = 0
        self.active: set[int] = set()
        self.scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: PathKey, file: Path, depth: int) -> Any:
        line = node.start_mark.line + 1
        self.count += 1
        if self.count > MAX_VALUES:
            raise YamlError(
                f"{file}:{line}: the document expands to more than {MAX_VALUES} values "
                "(nested YAML aliases?); write the values out or use !include"
            )
        if id(node) in self.active:
            raise YamlError(f"{file}:{line}: a YAML alias refers to a value that contains it")
        self.locations.entries[path] = Location(file, line, node.start_mark.column + 1)
        self.active.add(id(node))
        try:
            return self._build(node, path, file, depth)
        finally:
            self.active.discard(id(node))

    def _build(self, node: yaml.Node, path: PathKey, file: Path, depth: int) -> Any:
        line = node.start_mark.line + 1
        if node.tag == "!include":
            if depth > 8:
                raise YamlError(f"{file}:{line}: includes nested too deeply")
            target = (file.parent / str(node.value)).resolve()
            try:
                included = _read(target, self.locations)
            except YamlError as error:
                raise YamlError(f"{file}:{line}: !include {node.value}: {error}") from error
            return self.build(included, path, target, depth + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, file, depth)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, path, file, depth)
        try:
            return self.scalars.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            raise YamlError(f"{file}:{line}: {error.problem}") from error

    def _mapping(self, node: yaml.MappingNode, path: PathKey, file: Path, depth: int) -> Any:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(
                    f"{file}:{key_line}: YAML merge keys are not supported; use !include"
                )
            key = key_node.value
            if not isinstance(key_node, yaml.ScalarNode) or not isinstance(key, str):
                raise YamlError(f"{file}:{key_line}: keys must be text")
            if key in result:
                raise YamlError(f"{file}:{key_line}: duplicate key {key!r}")
            result[key] = self.build(value_node, (*path, key), file, depth)
            self.locations.entries.setdefault(
                (*path, key), Location(file, key_line, key_node.start_mark.column + 1)
            )
        return result

    def _sequence(self, node: yaml.SequenceNode, path: PathKey, file: Path, depth: int) -> Any:
        # An ``!include`` item whose file holds a list is spliced into the including list.
        items: list[Any] = []
        for item in node.value:
            item_path = (*path, len(items))
            value = self.build(item, item_path, file, depth)
            if item.tag == "!include" and isinstance(value, list):
                first = len(items)
                for offset, spliced in enumerate(value):
                    _move(self.locations, (*item_path, offset), (*path, first + offset))
                    items.append(spliced)
            else:
                items.append(value)
        return items


def _move(locations: Locations, old: PathKey, new: PathKey) -> None:
    for key in [k for k in locations.entries if k[: len(old)] == old]:
        locations.entries[(*new, *key[len(old) :])] = locations.entries[key]


def load_located(path: Path) -> tuple[Any, Locations]:
    locations = Locations()
    node = _read(path, locations)
    builder = _Builder(locations)
    try:
        return builder.build(node, (), path, 0), locations
    finally:
        builder.scalars.dispose()
