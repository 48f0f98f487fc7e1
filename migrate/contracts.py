"""The JSON files one tool writes and another reads, checked against their JSON Schemas.

A scan (`pleo-migrate scan -o json`) feeds `shadow --from-scan` and `report --scan`; a shadow
run's summary.json feeds `report --shadow`. Each has a schema file beside its writer and a
`schema_version`; a reader takes a document only through `read_document`, so a SARIF file, a
hand-made JSON object or a file from an unknown version is refused with one clear message
(a ConfigurationError: exit 2) instead of being guessed at.

This is the only module that imports jsonschema, and it does so on first use: commands that
read no contract do not pay for it at start-up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from migrate.errors import ConfigurationError

_PACKAGE = Path(__file__).resolve().parent
_SHOWN_ERRORS = 3


@dataclass(frozen=True)
class Contract:
    """One kind of document: its schema file, the versions we read, and how to make one."""

    what: str  # how messages name the document: "scan", "shadow summary"
    schema: Path
    versions: tuple[int, ...]
    made_by: str  # the command that writes a valid one


SCAN = Contract(
    what="scan",
    schema=_PACKAGE / "codemod" / "scan.schema.json",
    versions=(1,),
    made_by="pleo-migrate scan -o json",
)
SHADOW_SUMMARY = Contract(
    what="shadow summary",
    schema=_PACKAGE / "shadow" / "summary.schema.json",
    versions=(1,),
    made_by="pleo-migrate shadow --out DIR",
)


class ContractError(ConfigurationError):
    """A document that is not what its reader expects: not JSON, another format, bad fields."""


def validate(document: Any, contract: Contract) -> list[str]:
    """Every way `document` breaks the contract's schema, as `at path: message` lines."""
    from jsonschema import (  # type: ignore[import-untyped]  # lazily: see the docstring
        Draft202012Validator,
    )

    validator = Draft202012Validator(_schema(contract.schema))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [f"at {_pointer(error.path)}: {error.message}" for error in errors]


def check(document: Any, contract: Contract, where: str) -> dict[str, Any]:
    """The document, if it is a valid one of a version we read; a ContractError otherwise."""
    if not isinstance(document, dict):
        raise ContractError(f"{where} is not a pleo-migrate {contract.what} (not a JSON object)")
    if _is_sarif(document):
        raise ContractError(
            f"{where} is a SARIF file, not a pleo-migrate {contract.what}; "
            f"write one with `{contract.made_by}`"
        )
    version = document.get("schema_version")
    if version is None:
        raise ContractError(
            f"{where} is not a pleo-migrate {contract.what} (it has no schema_version); "
            f"write one with `{contract.made_by}`"
        )
    if version not in contract.versions:
        known = ", ".join(map(str, contract.versions))
        raise ContractError(
            f"{where} is a {contract.what} of schema_version {version!r}, which this "
            f"pleo-migrate cannot read (it reads {known}); write it again with "
            f"`{contract.made_by}`"
        )
    problems = validate(document, contract)
    if problems:
        more = len(problems) - _SHOWN_ERRORS
        shown = "; ".join(problems[:_SHOWN_ERRORS]) + (f"; and {more} more" if more > 0 else "")
        raise ContractError(f"{where} is not a valid pleo-migrate {contract.what}: {shown}")
    return document


def read_document(path: Path, contract: Contract) -> dict[str, Any]:
    """Read, parse and check one document; every failure names the file."""
    return check(read_json(path, contract.what), contract, str(path))


def read_json(path: Path, what: str) -> Any:
    """A JSON file, or a ContractError that says what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContractError(f"no {what} at {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContractError(f"cannot read the {what} {path}: {type(exc).__name__}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContractError(
            f"{path}:{exc.lineno}: invalid JSON: {exc.msg} (the {what} is not valid JSON)"
        ) from None


@cache
def _schema(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _is_sarif(document: dict[str, Any]) -> bool:
    schema = document.get("$schema")
    return (isinstance(schema, str) and "sarif" in schema.lower()) or (
        "runs" in document and "version" in document and "schema_version" not in document
    )


def _pointer(path: Any) -> str:
    parts = [f"[{part}]" if isinstance(part, int) else f".{part}" for part in path]
    return "".join(parts).lstrip(".") or "(top level)"
