"""The function a native rewrite adds so a module keeps reading the legacy fields it reads.

A module that reads `e["amountSettled"]["value"]` or `tc["rate"]` from records that now come
from the new API would read a missing key or another unit. Instead of holding such a call
(PLM109), the rewrite passes the records through one generated, standalone function per model
(`_pleo_legacy_expense(record)`): a copy of the new record plus exactly the legacy fields the
module reads that change, each converted as the catalogue converts new → legacy (see
`migrate/mapping/converters.py`): a rename; money in minor units back to `{value, currency}` in
major units by the currency's ISO 4217 exponent (a literal table of the exponents that differ
from 2); an enum through a literal dict of the inverse table; whole-second timestamps with
`.000Z`; a fraction back to a percent; bytes back to kilobytes with one decimal; a link as
each API signs it; a nested model (`lines[]`) back to its legacy records. A value the
converter would refuse stays as the new API sent it, as compat shows it. A field with no new
equivalent whose loss the catalogue declares is given back as None when the caller says the
module only copies it (`lost`).

No adapter (the call keeps its PLM109 hold) when a field the module reads has no new
equivalent (unless given in `lost`), lives under another legacy object
(`cardTransaction.settledAt`), or has a converter not written here. The generated code
imports nothing from `migrate`: only the standard library (`re`, `datetime`, `decimal`),
inside the function.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from migrate.mapping import EXPONENTS, Catalogue, Field

PREFIX = "_pleo_legacy_"
# How a reader should read the new field instead, by converter.
_HOW = {
    "money": "minor units",
    "enum": "new values",
    "timestamp-seconds": "whole seconds",
    "rate": "a fraction",
    "not": "inverted",
    "kilobytes": "bytes",
    "link": "a link of its own",
}
_INDENT = "    "
_NEW_STAMP = 'r"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"'  # converters' `_NEW_STAMP`


@dataclass(frozen=True)
class Restored:
    """One legacy field the function restores, and the new field to read instead."""

    legacy: str
    new: str
    how: str  # "" for a plain rename

    @property
    def advice(self) -> str:
        if not self.new:
            return f"no {self.legacy} ({self.how})"
        return f"{self.new} ({self.how})" if self.how else self.new


@dataclass(frozen=True)
class LegacyAdapter:
    name: str  # `_pleo_legacy_expense`
    model: str
    restored: tuple[Restored, ...]
    code: str  # the function's text (module level, no trailing newline)


class NoAdapter(Exception):
    """A field the module reads cannot be restored exactly; the message says which and why."""


def adapter_name(model: str) -> str:
    """`Expense` → `_pleo_legacy_expense`, `TaxCode` → `_pleo_legacy_tax_code`."""
    return PREFIX + re.sub(r"(?<!^)(?=[A-Z])", "_", model).lower()


def legacy_adapter(
    catalogue: Catalogue, model: str, keys: Iterable[str], lost: Collection[str] = ()
) -> LegacyAdapter:
    """The function restoring the legacy fields `keys` (top-level legacy keys) of `model`.
    `lost`: keys of fields the new API has no equivalent for and the catalogue declares lost,
    which the module only copies (`copied_values`): given back as None, as compat shows them."""
    wanted = set(keys)
    top = {field.legacy.split(".")[0] for field in catalogue.models[model].fields if field.legacy}
    inner = wanted - top  # `supplier` keeps its key, its `CIF` does not: restore the supplier
    fields = [
        field
        for field in catalogue.models[model].fields
        if field.legacy is not None
        and (
            field.legacy.split(".")[0] in wanted
            or (field.model is not None and inner & _nested_keys(catalogue, field.model, ()))
        )
    ]
    writer = _Writer(catalogue)
    restored: list[Restored] = []
    body: list[str] = []
    done: set[str] = set()
    for field in fields:
        legacy = field.legacy or ""
        if legacy in done:
            continue
        done.add(legacy)
        restored.append(_restorable(catalogue, field, lost=lost))
        if field.new is None:
            body.append(f"{_INDENT}out[{_q(legacy)}] = None  # lost on the new API")
        else:
            body += writer.field_lines(field, "record", "out", 1)
    if not restored:
        raise NoAdapter("no field to restore")
    names = ", ".join(item.legacy for item in restored)
    name = adapter_name(model)
    about = (
        f'"""The new-API {model} with the legacy fields this module reads restored '
        f"({names}). Added by pleo-migrate (PLM109): read the new fields instead, then delete "
        'this function."""'
    )
    lines = [
        f"def {name}(record):",
        *textwrap.wrap(about, 96, initial_indent=_INDENT, subsequent_indent=_INDENT),
        *writer.imports(),
        f"{_INDENT}out = dict(record)",
        *body,
        f"{_INDENT}return out",
    ]
    return LegacyAdapter(name, model, tuple(restored), "\n".join(writer.helpers + lines))


def _restorable(
    catalogue: Catalogue, field: Field, seen: tuple[str, ...] = (), lost: Collection[str] = ()
) -> Restored:
    """What restoring `field` means, or NoAdapter when it cannot be done exactly."""
    legacy = field.legacy or ""
    if "." in legacy:
        raise NoAdapter(f"`{legacy.split('.')[0]}` is gone on the new API")
    if field.new is None and field.loss is not None and legacy in lost and not seen:
        return Restored(legacy, "", "lost: null")
    if field.new is None:
        raise NoAdapter(f"`{legacy}` has no new-API equivalent")
    if "." in field.new:
        raise NoAdapter(f"`{legacy}` comes from the nested `{field.new}`")
    if field.model is not None:
        if field.model in seen:
            raise NoAdapter(f"`{legacy}` nests {field.model} in itself")
        for inner in catalogue.models[field.model].fields:
            if inner.legacy is not None:
                _restorable(catalogue, inner, (*seen, field.model))
        return Restored(legacy, field.new, "new shape")
    if field.converter != "same" and field.converter not in _HOW:
        raise NoAdapter(f"`{legacy}` ({field.converter}) has no generated conversion")
    return Restored(legacy, field.new, _HOW.get(field.converter, ""))


def _nested_keys(catalogue: Catalogue, model: str, seen: tuple[str, ...]) -> set[str]:
    """Every legacy key of `model` and of the models it nests."""
    found: set[str] = set()
    for field in catalogue.models[model].fields:
        if field.legacy is not None:
            found.add(field.legacy.split(".")[0])
        if field.model is not None and field.model not in seen:
            found |= _nested_keys(catalogue, field.model, (*seen, model))
    return found


class _Writer:
    """Writes the conversion lines; nested models become small module-level functions."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.helpers: list[str] = []
        self._nested: dict[str, str] = {}
        self._needs: set[str] = set()
        self._tables: list[str] = []  # enum tables, one local each

    def imports(self) -> list[str]:
        found = []
        if "re" in self._needs:
            found.append(f"{_INDENT}import re")
        if "datetime" in self._needs:
            found.append(f"{_INDENT}from datetime import datetime, timezone")
        if "decimal" in self._needs:
            found.append(f"{_INDENT}from decimal import Decimal, InvalidOperation")
        if "exponents" in self._needs:  # ISO 4217 exponents other than 2
            table = {code: exponent for code, exponent in EXPONENTS.items() if exponent != 2}
            found.append(f"{_INDENT}exponents = {_wrapped(table, 1)}")
        for line in self._tables:
            found.append(line)
        self._tables = []
        return found

    def field_lines(self, field: Field, source: str, target: str, depth: int) -> list[str]:
        """`target[legacy] = <converted source.get(new)>`, null where the new API has none."""
        pad = _INDENT * depth
        lines = [f"{pad}value = {source}.get({_q(field.new or '')})"]
        lines += self._convert(field, "value", depth)
        lines.append(f"{pad}{target}[{_q(field.legacy or '')}] = value")
        return lines

    def _convert(self, field: Field, value: str, depth: int) -> list[str]:
        pad, inner = _INDENT * depth, _INDENT * (depth + 1)
        if field.model is not None:
            function = self._nested_function(field.model)
            each = f"{function}(item) if isinstance(item, dict) else item"
            if field.many:
                return [
                    f"{pad}if isinstance({value}, list):",
                    f"{inner}{value} = [",
                    f"{inner}{_INDENT}{each}",
                    f"{inner}{_INDENT}for item in {value}",
                    f"{inner}]",
                ]
            return [f"{pad}if isinstance({value}, dict):", f"{inner}{value} = {function}({value})"]
        converter = field.converter
        if converter in ("same", "link"):  # a link: each API signs its own (its loss says so)
            return []
        if converter == "kilobytes":  # bytes back to kilobytes with one decimal
            number = f"isinstance({value}, (int, float)) and not isinstance({value}, bool)"
            return [f"{pad}if {number}:", f"{inner}{value} = round({value} / 1024, 1)"]
        if converter == "not":
            return [f"{pad}if isinstance({value}, bool):", f"{inner}{value} = not {value}"]
        if converter == "enum":
            table = dict(field.options["table"].inverse)
            local = re.sub(r"\W", "_", field.legacy or "").lower() + "_values"
            self._tables.append(f"{_INDENT}{local} = {_wrapped(table, 1)}")
            return [
                f"{pad}if isinstance({value}, str):",
                f"{inner}{value} = {local}.get({value}, {value})",
            ]
        if converter == "money":
            return self._money(field, value, depth)
        if converter == "timestamp-seconds":
            self._needs |= {"re", "datetime"}
            return [
                f"{pad}if isinstance({value}, str):",
                f"{inner}if re.fullmatch({_NEW_STAMP}, {value}):",
                f'{inner}{_INDENT}{value} = {value}[:19] + ".000Z"',
                f"{inner}else:",
                f"{inner}{_INDENT}try:",
                f"{inner}{_INDENT * 2}stamp = datetime.fromisoformat({value})",
                f"{inner}{_INDENT}except ValueError:",
                f"{inner}{_INDENT * 2}stamp = None",
                f"{inner}{_INDENT}if stamp is not None and stamp.tzinfo is not None:",
                f"{inner}{_INDENT * 2}stamp = stamp.astimezone(timezone.utc)",
                f'{inner}{_INDENT * 2}{value} = stamp.strftime("%Y-%m-%dT%H:%M:%S.")'
                f' + f"{{stamp.microsecond // 1000:03d}}Z"',
            ]
        if converter == "rate":
            if field.options["assumption"] == "fraction":
                return []
            self._needs.add("decimal")
            number = f"isinstance({value}, (int, float, str)) and not isinstance({value}, bool)"
            return [
                f"{pad}if {number}:",
                f"{inner}try:",
                f"{inner}{_INDENT}exact = Decimal(repr({value}) if isinstance({value}, float)"
                f" else {value})",
                f"{inner}except InvalidOperation:",
                f"{inner}{_INDENT}exact = None",
                f"{inner}if exact is not None and exact.is_finite():",
                f"{inner}{_INDENT}{value} = float(exact * 100)",
            ]
        raise NoAdapter(f"`{field.legacy}` ({converter}) has no generated conversion")

    def _money(self, field: Field, value: str, depth: int) -> list[str]:
        """`{minors, currency}` → `{value, currency}`: minors / 10**exponent (a correctly
        rounded division, as `minor_to_major`), the minors themselves for exponent 0."""
        pad, inner = _INDENT * depth, _INDENT * (depth + 1)
        known = [
            f"{pad}if (",
            f"{inner}isinstance({value}, dict)",
            f'{inner}and isinstance({value}.get("currency"), str)',
            f'{inner}and type({value}.get("minors")) is int',
            f"{pad}):",
        ]
        if field.options["assumption"] == "minor":
            return [
                *known,
                f'{inner}{value} = {{"value": {value}["minors"], "currency": {value}["currency"]}}',
            ]
        self._needs.add("exponents")
        return [
            *known,
            f'{inner}exponent = exponents.get({value}["currency"].upper(), 2)',
            f'{inner}minors = {value}["minors"]',
            f"{inner}major = minors / 10**exponent if exponent else minors",
            f'{inner}{value} = {{"value": major, "currency": {value}["currency"]}}',
        ]

    def _nested_function(self, model: str) -> str:
        if model in self._nested:
            return self._nested[model]
        name = adapter_name(model)
        self._nested[model] = name
        outer, self._needs = self._needs, set()
        tables, self._tables = self._tables, []
        body: list[str] = []
        for field in self.catalogue.models[model].fields:
            if field.legacy is not None:
                body += self.field_lines(field, "record", "out", 1)
        code = [
            f"def {name}(record):",
            f'{_INDENT}"""A new-API {model} as the legacy API showed it (added by pleo-migrate)."""'
            if len(model) < 20
            else f'{_INDENT}"""A new-API {model} as the legacy API showed it."""',
            *self.imports(),
            f"{_INDENT}out = {{}}",
            *body,
            f"{_INDENT}return out",
        ]
        self._needs, self._tables = outer, tables
        self.helpers.append("\n".join(code) + "\n\n\n")
        return name


def _q(text: str) -> str:
    """A string literal in double quotes."""
    return json.dumps(text)


def _wrapped(table: Mapping[str, object], depth: int) -> str:
    """A dict literal of `table`, wrapped to stay within 100 columns."""
    pad = _INDENT * depth
    items = [f"{_q(key)}: {json.dumps(value)}" for key, value in table.items()]
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current} {item}," if current else f"{item},"
        if len(pad) + len(_INDENT) + len(candidate) > 96:
            lines.append(current)
            current = f"{item},"
        else:
            current = candidate
    lines.append(current)
    inner = "\n".join(f"{pad}{_INDENT}{line}" for line in lines)
    return "{\n" + inner + f"\n{pad}}}"
