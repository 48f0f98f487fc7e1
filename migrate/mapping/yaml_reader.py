"""Reads YAML: the only module in the package that imports PyYAML.

Mapping files are loaded with line numbers kept on every mapping and list, so that a
validation error anywhere downstream can point at `file:line`. Large third-party YAML (the
OpenAPI specs) is loaded plainly, as fast as PyYAML allows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from migrate.errors import CatalogueError

try:  # the C loader is several times faster on the 300 KB of specs
    _FastLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _FastLoader = yaml.SafeLoader


class LocatedDict(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each of its keys."""

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list[int] = []  # noqa: RUF012 - replaced per instance by the loader


class _LocatingLoader(yaml.SafeLoader):
    """SafeLoader that records 1-based line numbers and refuses duplicate keys."""


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise CatalogueError(
                f"duplicate key {key!r} (first on line {result.key_lines[key]})",
                file=loader.name,
                line=key_node.start_mark.line + 1,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    _construct_sequence,
)


def load_located(path: Path, *, display_name: str | None = None) -> Any:
    """Load one mapping file, keeping line numbers; any problem becomes a CatalogueError."""
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"cannot read the file: {exc}", file=name) from None
    loader = _LocatingLoader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise CatalogueError(f"invalid YAML: {problem}", file=name, line=line) from None
    except yaml.YAMLError as exc:
        raise CatalogueError(f"invalid YAML: {exc}", file=name) from None
    finally:
        loader.dispose()


def load_plain(path: Path) -> Any:
    """Load a large YAML document (an OpenAPI spec) without line tracking."""
    try:
        with path.open("rb") as handle:
            return yaml.load(handle, Loader=_FastLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"cannot load the spec: {exc}", file=str(path)) from None


def first_yaml_alias(text: str | bytes) -> int | None:
    """The line of the first alias (`*name`) in a YAML text, or None; read as events, so
    nothing is built or expanded (a 1 KB alias bomb stays 1 KB). Unreadable YAML is None: the
    real loader then reports it."""
    try:
        for event in yaml.parse(text, Loader=_FastLoader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1 if event.start_mark else 0
    except yaml.YAMLError:
        return None
    return None
