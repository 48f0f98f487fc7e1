"""The catalogue as frozen data: what the YAML says, validated, with where it said it.

Nothing here knows about YAML or HTTP. Consumers (compat, codemod, shadow, report) read these
typed objects instead of decoding strings: a `CompanyScope` says where the company id goes, a
`Bodies` pair names the legacy and the new envelope, `Filter.convert` is the one conversion of
a filter value, and path templates are parsed by the functions below only. `schema/` builds
these objects; `catalogue.py` looks them up and does the transforms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote as url_quote

from migrate.errors import ConversionError
from migrate.mapping.converters import get_converter

Kind = Literal["direct", "search", "merge-update", "flow", "gap"]
KINDS: tuple[Kind, ...] = ("direct", "search", "merge-update", "flow", "gap")

Paging = Literal["none", "offset-to-cursor", "all-to-cursor"]
PAGINGS: tuple[Paging, ...] = ("none", "offset-to-cursor", "all-to-cursor")

Side = Literal["legacy", "new"]
Direction = Literal["response", "request"]

# --- path templates: `/v1/expenses/{expenseId}`, parsed here and nowhere else ------------------

_PARAM = re.compile(r"\{([^{}/]+)\}")


def template_params(path: str) -> tuple[str, ...]:
    """The parameter names of a path template, in order."""
    return tuple(_PARAM.findall(path))


def template_shape(path: str) -> str:
    """A path template with its parameter names blanked, so `{id}` and `{expenseId}` match."""
    return _PARAM.sub("{}", path)


def template_regex(path: str, *, named: bool = True) -> re.Pattern[str]:
    """A regex that matches concrete paths of the template (one segment per parameter).

    `named` gives each parameter a named group, so `fullmatch(...).groupdict()` reads them.
    """
    parts = _PARAM.split(path)
    pattern = "".join(
        (f"(?P<{part}>[^/]+)" if named else "[^/]+") if index % 2 else re.escape(part)
        for index, part in enumerate(parts)
    )
    return re.compile(pattern)


def fill_template(
    path: str, values: Mapping[str, str], *, quote: bool = False, keep_missing: bool = False
) -> str:
    """A concrete path: each `{name}` replaced by its value.

    `quote` percent-encodes each value as one path segment; `keep_missing` leaves a parameter
    without a value as `{name}` (for display) instead of raising `ConversionError`.
    """

    def value(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in values:
            if keep_missing:
                return found.group(0)
            raise ConversionError(f"no value for the path parameter {{{name}}}")
        text = str(values[name])
        return url_quote(text, safe="") if quote else text

    return _PARAM.sub(value, path)


def template_prefixes(path: str) -> tuple[tuple[str, str], ...]:
    """(parameter, the template before its segment) for each parameter, outer first.

    `/v1/tag-groups/{tagGroupId}/tags/{tagId}` → (tagGroupId, /v1/tag-groups),
    (tagId, /v1/tag-groups/{tagGroupId}/tags).
    """
    return tuple(
        (found.group(1), path[: found.start()].removesuffix("/"))
        for found in _PARAM.finditer(path)
    )


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
        return template_params(self.path)

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
class Bodies:
    """The envelopes of one body on each side: `response: {legacy: employees[], new: data[]}`."""

    legacy: Envelope
    new: Envelope

    def on(self, side: Side) -> Envelope:
        return self.legacy if side == "legacy" else self.new


CompanyWhere = Literal["query", "body"]


@dataclass(frozen=True)
class CompanyScope:
    """Where the new API wants the company id: a query parameter or a body field, by name.

    The legacy token implied the company; the new API's key may see several, so the call
    names it. An operation whose new call needs no company has no scope (None).
    """

    where: CompanyWhere
    name: str

    @classmethod
    def parse(cls, text: str) -> CompanyScope | None:
        """`query:company_id`, `body:companyId` or `none` (the catalogue's spelling)."""
        if text == "none":
            return None
        where, _, name = text.partition(":")
        if where not in ("query", "body") or not name:
            raise ValueError(f"not a company placement: {text!r}")
        return cls("query" if where == "query" else "body", name)

    def __str__(self) -> str:
        return f"{self.where}:{self.name}"


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
    default: str | None = None  # the legacy API's value when the parameter is absent
    omit_when: str | None = None  # this legacy value sends nothing (the new API's own default)

    def values(self, given: list[str]) -> list[str]:
        """The legacy values in force: those given, else the legacy default (if any)."""
        if given:
            return given
        return [] if self.default is None else [self.default]

    def sends(self, value: str) -> bool:
        """Whether this legacy value goes to the new call (`omit_when` sends nothing)."""
        return self.omit_when is None or value.lower() != self.omit_when.lower()

    @property
    def carried(self) -> bool:
        """Whether the new call itself takes this filter (in its query or its body)."""
        return self.new_query is not None or self.new_body is not None

    def convert(self, value: Any) -> Any:
        """One legacy value as the new API wants it; `ConversionError` when it cannot be."""
        converter = get_converter(self.converter)
        if converter is None:
            raise ConversionError(f"unknown converter {self.converter!r}")
        return converter.forward(value, self.options)


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
    company: CompanyScope | None  # None: the new call names no company
    paging: Paging
    new_limit_max: int | None
    path_params: Mapping[str, str]  # legacy path parameter → new path parameter
    response: Bodies | None
    request: Bodies | None
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
    # What the legacy list's own default adds to a search body (e.g. leave card authorisations
    # out); sent by the planner, not a filter a client writes.
    list_default_body: Mapping[str, Any] = field(default_factory=dict)
    evidence: str | None = None  # legacy-openapi.yml `x-evidence`: documented | inferred

    @property
    def mapped(self) -> bool:
        return self.kind != "gap"

    @property
    def is_read(self) -> bool:
        return self.legacy.method in ("GET", "HEAD")


@dataclass(frozen=True)
class FieldPath:
    """One field of a model tree, addressed from the top model (see `Catalogue.fields`)."""

    path: str  # canonical path: `lines[].tagIds[].id`
    top: str  # the top-level field it belongs to: `lines`
    model: str  # the model that declares the field
    field: Field
    new_path: str | None  # path in the new record; None when it or an enclosing field is absent
    loss: str | None  # its own declared loss, or the nearest enclosing field's
    parent: str | None  # the canonical path of the enclosing field

    @property
    def new_missing(self) -> bool:
        """The new API has no such field (it or an enclosing field is `new: null`)."""
        return self.new_path is None
