"""The catalogue as frozen data: what the YAML says, validated, with where it said it.

Nothing here knows about YAML or HTTP. Consumers (compat, codemod, shadow, report) read these
objects; `catalogue.py` builds them and does the transforms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["direct", "search", "merge-update", "flow", "gap"]
KINDS: tuple[Kind, ...] = ("direct", "search", "merge-update", "flow", "gap")

Paging = Literal["none", "offset-to-cursor", "all-to-cursor"]
PAGINGS: tuple[Paging, ...] = ("none", "offset-to-cursor", "all-to-cursor")

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def template_shape(path: str) -> str:
    """A path template with its parameter names blanked, so `{id}` and `{expenseId}` match."""
    return _PARAM.sub("{}", path)


@dataclass(frozen=True)
class Where:
    """A place in a mapping file, for error messages and reports."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Endpoint:
    """An HTTP method and a path template such as `/v1/expenses/{expenseId}`."""

    method: str
    path: str

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(_PARAM.findall(self.path))

    @property
    def shape(self) -> str:
        """Method and path with parameter names blanked: `GET /v1/expenses/{}`."""
        return f"{self.method} {template_shape(self.path)}"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Envelope:
    """Where the payload sits in a body.

    `key[]` a list under a key (`employees[]`, `data[]`); `[]` a bare list; `key` one object
    under a key (`data`); `.` the bare object; `-` no body at all.
    """

    spec: str

    @property
    def key(self) -> str | None:
        stripped = self.spec.removesuffix("[]")
        return None if stripped in ("", ".", "-") else stripped

    @property
    def many(self) -> bool:
        return self.spec.endswith("[]")

    @property
    def empty(self) -> bool:
        return self.spec == "-"


@dataclass(frozen=True)
class EnumTable:
    name: str
    forward: Mapping[str, str]  # legacy value → new value
    inverse: Mapping[str, str]  # new value → legacy value (with `inverse_only` extras)
    assumed: tuple[str, ...]  # legacy values whose translation is an assumption
    where: Where
    lossy: bool = False  # some new values have no legacy value of their own


@dataclass(frozen=True)
class Assumption:
    """Something the research could not confirm, written down once so a user can correct it."""

    id: str
    value: Any
    choices: tuple[Any, ...]
    statement: str
    evidence: str
    where: Where


@dataclass(frozen=True)
class Field:
    """One field of a model: its canonical name and where it lives on each side."""

    name: str
    legacy: str | None  # dotted path in the legacy record; None: the legacy API has no such field
    new: str | None  # dotted path in the new record; None: the new API has no such field
    converter: str
    options: Mapping[str, Any]
    model: str | None  # a nested model (object, or list of objects when `many`)
    many: bool
    loss: str | None  # declared loss; required where information cannot survive the trip
    note: str | None
    default: Any  # written on the new side when the legacy value is absent (writes)
    has_default: bool
    default_from: str | None  # or: copy this canonical field when the legacy value is absent
    where: Where

    @property
    def lossy(self) -> bool:
        return self.loss is not None


@dataclass(frozen=True)
class Model:
    name: str
    fields: tuple[Field, ...]
    where: Where

    def field(self, name: str) -> Field | None:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        return None


@dataclass(frozen=True)
class Filter:
    """A legacy query parameter and what it becomes on the new API."""

    legacy: str
    new_query: str | None
    new_body: str | None
    records: str | None  # applied to the canonical records after the call (unpaged lists)
    converter: str
    options: Mapping[str, Any]
    as_list: bool  # wrap the value in a list (legacy `status=X` → body `exportStatus: [X]`)
    loss: str | None
    where: Where


@dataclass(frozen=True)
class Example:
    """A legacy/new pair of the same data, run through every generic test."""

    name: str
    direction: Literal["response", "request", "path"]  # path: "METHOD /v1/…" ⇄ "METHOD /v0/…"
    legacy: Any
    new: Any
    where: Where


@dataclass(frozen=True)
class Operation:
    id: str
    resource: str
    summary: str
    kind: Kind
    legacy: Endpoint
    new: Endpoint | None
    scopes: tuple[str, ...]
    company: str  # "query:company_id", "query:companyId", "body:companyId" or "none"
    paging: Paging
    new_limit_max: int | None
    path_params: Mapping[str, str]  # legacy path parameter → new path parameter
    response: tuple[Envelope, Envelope] | None  # (legacy, new)
    request: tuple[Envelope, Envelope] | None
    model: str | None
    request_model: str | None
    filters: tuple[Filter, ...]
    search_body: Mapping[str, Any]
    new_query: Mapping[str, str]  # constant query parameters sent on every call
    flow: str | None
    gap: str | None
    alternative: str | None
    losses: tuple[str, ...]  # operation-level declared losses (besides the model's)
    docs: str
    examples: tuple[Example, ...]
    where: Where
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def mapped(self) -> bool:
        return self.kind != "gap"

    @property
    def is_read(self) -> bool:
        return self.legacy.method in ("GET", "HEAD")
