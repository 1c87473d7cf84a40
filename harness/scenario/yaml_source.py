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


def _construct(node: yaml.Node, path: PathKey, file: Path, locations: Locations, depth: int) -> Any:
    locations.entries[path] = Location(file, node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag == "!include":
        if depth > 8:
            raise YamlError(f"{file}:{node.start_mark.line + 1}: includes nested too deeply")
        target = (file.parent / str(node.value)).resolve()
        included = _read(target, locations)
        return _construct(included, path, target, locations, depth + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(
                    f"{file}:{key_node.start_mark.line + 1}: YAML merge keys are not "
                    "supported; use !include"
                )
            key = key_node.value
            if not isinstance(key_node, yaml.ScalarNode) or not isinstance(key, str):
                raise YamlError(f"{file}:{key_node.start_mark.line + 1}: keys must be text")
            if key in result:
                raise YamlError(f"{file}:{key_node.start_mark.line + 1}: duplicate key {key!r}")
            result[key] = _construct(value_node, (*path, key), file, locations, depth)
            locations.entries.setdefault(
                (*path, key),
                Location(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
            )
        return result
    if isinstance(node, yaml.SequenceNode):
        # An ``!include`` item whose file holds a list is spliced into the including list.
        items: list[Any] = []
        for item in node.value:
            item_path = (*path, len(items))
            value = _construct(item, item_path, file, locations, depth)
            if item.tag == "!include" and isinstance(value, list):
                first = len(items)
                for offset, spliced in enumerate(value):
                    _move(locations, (*item_path, offset), (*path, first + offset))
                    items.append(spliced)
            else:
                items.append(value)
        return items
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as error:
        raise YamlError(f"{file}:{node.start_mark.line + 1}: {error.problem}") from error
    finally:
        loader.dispose()


def _move(locations: Locations, old: PathKey, new: PathKey) -> None:
    for key in [k for k in locations.entries if k[: len(old)] == old]:
        locations.entries[(*new, *key[len(old) :])] = locations.entries[key]


def load_located(path: Path) -> tuple[Any, Locations]:
    locations = Locations()
    node = _read(path, locations)
    return _construct(node, (), path, locations, 0), locations
