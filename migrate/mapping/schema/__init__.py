"""Turns loaded mapping files into validated, frozen catalogue objects.

`read_folder` reads a catalogue folder: the models first (`models.py`: assumptions, enum
tables, models), then the operations that refer to them (`operations.py`). Every check raises
a `CatalogueError` located at `file:line` (`reader.py`), with the operation id and the field
path when there is one, so a broken catalogue is fixed from one line of output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrate.errors import CatalogueError
from migrate.mapping.model import Assumption, EnumTable, Model, Operation
from migrate.mapping.schema.models import (
    ASSUMPTIONS_FILE,
    check_model_references,
    read_assumptions,
    read_enums,
    read_models,
)
from migrate.mapping.schema.operations import check_unique_legacy_endpoints, read_operations
from migrate.mapping.schema.reader import Reader
from migrate.mapping.yaml_reader import load_located

_FILE_KEYS = {"resource", "docs", "summary", "models", "enums", "operations"}


@dataclass(frozen=True)
class RawCatalogue:
    """Everything read from one folder, before cross-file checks."""

    assumptions: dict[str, Assumption]
    enums: dict[str, EnumTable]
    models: dict[str, Model]
    operations: tuple[Operation, ...]
    files: tuple[str, ...]


def read_folder(folder: Path) -> RawCatalogue:
    """Read and validate every `*.yaml` file of a catalogue folder."""
    if not folder.is_dir():
        raise CatalogueError(f"not a folder: {folder}")
    paths = sorted(p for p in folder.glob("*.yaml") if p.is_file())
    if not paths:
        raise CatalogueError(f"no *.yaml mapping files in {folder}")
    assumptions: dict[str, Assumption] = {}
    assumption_path = folder / ASSUMPTIONS_FILE
    if assumption_path.exists():
        assumptions = read_assumptions(assumption_path, _display(assumption_path))
    documents = [
        (path, _display(path), load_located(path, display_name=_display(path)))
        for path in paths
        if path.name != ASSUMPTIONS_FILE
    ]
    enums: dict[str, EnumTable] = {}
    for _, display, document in documents:
        reader = Reader(display)
        root = reader.mapping(document, 1, "a mapping file")
        reader.no_unknown_keys(root, _FILE_KEYS, "a mapping file")
        for table in read_enums(reader, root.get("enums")):
            if table.name in enums:
                first = enums[table.name].where
                raise reader.fail(
                    f"enum table {table.name!r} is defined twice (also at {first})",
                    table.where.line,
                )
            enums[table.name] = table
    models: dict[str, Model] = {}
    for _, display, document in documents:
        reader = Reader(display)
        for model in read_models(reader, document.get("models"), enums, assumptions):
            if model.name in models:
                raise reader.fail(
                    f"model {model.name!r} is defined twice (also at {models[model.name].where})",
                    model.where.line,
                )
            models[model.name] = model
    check_model_references(models)
    operations: list[Operation] = []
    seen: dict[str, Operation] = {}
    for _, display, document in documents:
        reader = Reader(display)
        resource = reader.text(document, "resource", "a mapping file")
        for operation in read_operations(reader, document, resource, models, enums, assumptions):
            if operation.id in seen:
                raise reader.fail(
                    f"duplicate operation id (first defined at {seen[operation.id].where})",
                    operation.where.line,
                    op=operation.id,
                )
            seen[operation.id] = operation
            operations.append(operation)
    check_unique_legacy_endpoints(operations)
    return RawCatalogue(
        assumptions=assumptions,
        enums=enums,
        models=models,
        operations=tuple(operations),
        files=tuple(display for _, display, _ in documents),
    )


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
