"""One-step record converters generated from the catalogue's models.

The generic path turns a new record into a canonical dict and that dict into a legacy record,
walking a list of steps twice. The compat layer does this for every record of every page, so
each model is also compiled here, once per direction, into one straight-line Python function:
it reads every field of the source record into a local variable (the canonical values, with no
dict in between), then writes the target record in the model's field order. Reading and then
writing mirrors the two-step path exactly: the same output (key order included), the same
errors in the same order, the same lenient handling of values the legacy API cannot express.
`tests/mapping/test_compiled.py` proves it over every catalogue example and generated records.

The generator knows the model's structure only (paths, converters, nested models, defaults),
so a new field or converter in the catalogue needs no change here. Catalogue text never
becomes code: names, paths and messages reach the generated function as constants.

Towards the legacy shape (the compat layer's answers), the three converters every record
uses (enum, money, timestamp-seconds) also get their usual case written inline: a value in
the enum table, `{minors: int, currency: known code}`, a `…:30Z` stamp. Anything else goes
to the converter itself, so the inline case only ever saves a call: it gives what the
converter gives (the tests compare both on every catalogue example and on edge values).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from migrate.errors import ConversionError
from migrate.mapping import converters
from migrate.mapping.converters import get_converter
from migrate.mapping.currencies import EXPONENTS
from migrate.mapping.model import Field, Model, Side

Record = dict[str, Any]
Convert = Callable[[Any], Record]
MISSING = object()
_IMMUTABLE = (str, int, float, bool, type(None))
Target = Side | Literal["canonical"]


@dataclass(frozen=True)
class Route:
    """One direction of conversion: from `source` to `target` records.

    A `canonical` target is the dict keyed by the model's field names that the shadow
    comparator diffs. `fill`: the legacy target shows every legacy field (null where nothing
    is known) and keeps a value its vocabulary cannot express as it came. `with_defaults`: the
    new target gets the catalogue's defaults for fields the source lacks (create bodies).
    `comparable` (canonical target): only the fields the legacy API has, nulls dropped, as
    the shadow comparator diffs them.
    """

    source: Side
    target: Target
    fill: bool = False
    with_defaults: bool = False
    comparable: bool = False


def get_path(record: Any, parts: tuple[str, ...]) -> Any:
    """Value at a split dotted path, or the MISSING marker when any step is absent."""
    current = record
    for part in parts:
        if not isinstance(current, Mapping) or part not in current:
            return MISSING
        current = current[part]
    return current


def set_path(record: Record, parts: tuple[str, ...], value: Any) -> None:
    """Sets a split dotted path, making (or replacing non-dict) intermediate objects."""
    current = record
    for part in parts[:-1]:
        child = current.get(part)
        if not isinstance(child, dict):
            child = {}
            current[part] = child
        current = child
    current[parts[-1]] = value


def shown_as_sent(model: str, name: str, exc: ConversionError) -> None:
    """Say that a value which could not be converted is passed on as the new API sent it.
    `logging` is imported here, when it happens: a scan never needs it."""
    from migrate.quiet_log import logger

    logger("migrate.mapping").warning("%s.%s: shown as the new API sent it: %s", model, name, exc)


def _fresh(default: Any) -> Any:
    return copy.deepcopy(default)  # never share a mutable default


class Compiler:
    """The generated converters of one route, one function per model, made on first use."""

    def __init__(self, models: Mapping[str, Model], route: Route) -> None:
        self._models = models
        self._route = route
        self._names: dict[str, str] = {}
        self._namespace: dict[str, Any] = {
            "_Mapping": Mapping,
            "_CE": ConversionError,
            "_M": MISSING,
            "_get_path": get_path,
            "_set_path": set_path,
            "_shown": shown_as_sent,
            "_fresh": _fresh,
            # a known currency's 10**exponent, 0 for exponent 0 (whole units stay integers)
            "_DIVISORS": {code: 10**power if power else 0 for code, power in EXPONENTS.items()},
            "_EXACT": 2**53,  # below it, minors / 10**e is the correctly rounded double
            # the converter's `…:30Z` shape in ASCII digits, a third quicker than `\d` (any
            # Unicode digit); a stamp in other digits goes to the converter, which keeps it
            "_NEW_STAMP": re.compile(converters._NEW_STAMP.pattern, re.ASCII).fullmatch,
        }
        self._constants = 0
        self._readers: Compiler | None = None

    def converter(self, model: str) -> Convert:
        """The compiled function for `model` (and, on the way, for the models it nests)."""
        name = self._function(model)
        function: Convert = self._namespace[name]
        return function

    # --- generating ------------------------------------------------------------------------

    def _function(self, model: str) -> str:
        if model in self._names:
            return self._names[model]
        name = f"_convert_{len(self._names)}"
        self._names[model] = name  # before nested models, which may refer back to this one
        source = self._source(self._models[model], name)
        exec(compile(source, f"<compiled {model}: {self._route}>", "exec"), self._namespace)
        return name

    def _constant(self, value: Any) -> str:
        """A namespace name holding `value`, so catalogue text is never spliced into code."""
        self._constants += 1
        name = f"_k{self._constants}"
        self._namespace[name] = value
        return name

    def _source(self, model: Model, function: str) -> str:
        route = self._route
        lines = [
            f"def {function}(record):",
            "    if type(record) is not dict and not isinstance(record, _Mapping):",
            f"        raise _CE({self._constant(f'expected a {model.name} object, got ')}"
            " + type(record).__name__)",
            "    get = record.get",
        ]
        local: dict[str, str] = {}  # canonical name → local holding its canonical value
        used = {field.name for field in model.fields if self._target_path(field) is not None}
        if route.with_defaults:
            used |= {field.default_from for field in model.fields if field.default_from}
        copied = self._copied(model)
        display = self._displayed(model)
        plain = self._plain_reads(model, copied) if display else set()
        for index, field in enumerate(model.fields):
            path = _path(field, route.source)
            if index in copied:
                continue
            if path is not None and (field.name in used or self._checks_on_read(field)):
                variable = f"v{index}"
                lines += self._read(model, field, path, variable, index in plain)
                if field.name in local:  # a repeated name: the last value present wins
                    lines.append(f"    if {variable} is _M: {variable} = {local[field.name]}")
                local[field.name] = variable
        if display:
            return "\n".join([*lines, *self._display(model, copied, local, plain)]) + "\n"
        writes: list[str] = []
        entries: list[str] | None = []  # `key: value` while every write is one plain store
        written: set[str] = set()  # target keys every record has by now
        for index, field in enumerate(model.fields):
            path = self._target_path(field)
            if path is None:
                continue
            if index in copied:  # `get` gives None for a missing key, as the fill would
                written.add(path[0])
                step = [f"    out[{_literal(path[0])}] = get({_literal(copied[index])})"]
            elif route.fill and not route.with_defaults:
                step = self._fill(model, field, path, local.get(field.name), index, written)
            else:
                step = self._write(model, field, path, local.get(field.name), local, index)
            writes += step
            store = f"    out[{_literal(path[0])}] = "
            if entries is not None and all(line.startswith(store) for line in step):
                entries += (f"{_literal(path[0])}: {line[len(store) :]}" for line in step)
            else:
                entries = None
        if entries is not None:  # one dict display: the same keys, order and values, faster
            lines.append("    return {" + ", ".join(entries) + "}")
        else:
            lines += ["    out = {}", *writes, "    return out"]
        return "\n".join(lines) + "\n"

    def _copied(self, model: Model) -> dict[int, str]:
        """Fields a legacy target that shows every field takes as they are (index → source
        key): one key each side, no converter, the first to write its key, a unique name."""
        route = self._route
        if not route.fill or route.with_defaults:
            return {}
        names = [field.name for field in model.fields]
        copied: dict[int, str] = {}
        roots: set[str] = set()
        for index, field in enumerate(model.fields):
            target = self._target_path(field)
            if target is None:
                continue
            first = target[0] not in roots
            roots.add(target[0])
            source = _path(field, route.source)
            if (
                first
                and source is not None
                and len(source) == 1
                and len(target) == 1
                and field.model is None
                and field.converter == "same"
                and names.count(field.name) == 1
            ):
                copied[index] = source[0]
        return copied

    def _displayed(self, model: Model) -> bool:
        """Whether the record is built as one dict display: a legacy target that shows every
        field, where each target key takes its value from the first field that writes it
        (a later field of the same key has nothing to read, so `_fill` writes nothing for it):
        each key is then written once, in field order, as the stores into `out` write it."""
        route = self._route
        if not route.fill or route.with_defaults:
            return False
        sourced = {field.name for field in model.fields if _path(field, route.source)}
        roots: set[str] = set()
        for field in model.fields:
            path = self._target_path(field)
            if path is None:
                continue
            if path[0] in roots and field.name in sourced:
                return False
            roots.add(path[0])
        return True

    def _plain_reads(self, model: Model, copied: Mapping[int, str]) -> set[int]:
        """Fields read with `get(key)` (None when absent): one key each side and a name no
        other field has, so absent and null are both shown as null (neither is converted)."""
        names = [field.name for field in model.fields]
        plain: set[int] = set()
        for index, field in enumerate(model.fields):
            source = _path(field, self._route.source)
            target = self._target_path(field)
            if (
                index not in copied
                and source is not None
                and len(source) == 1
                and target is not None
                and len(target) == 1
                and names.count(field.name) == 1
            ):
                plain.add(index)
        return plain

    def _display(
        self, model: Model, copied: Mapping[int, str], local: Mapping[str, str], plain: set[int]
    ) -> list[str]:
        """`_fill` for a record built as one dict display (see `_displayed`): each field's
        conversion into a local, in field order, then the record from those locals."""
        lines: list[str] = []
        entries: list[str] = []
        roots: set[str] = set()
        for index, field in enumerate(model.fields):
            path = self._target_path(field)
            if path is None or path[0] in roots:  # a later field of a key: nothing to read
                continue
            roots.add(path[0])
            key = _literal(path[0])
            variable = local.get(field.name)
            if index in copied:
                entries.append(f"{key}: get({_literal(copied[index])})")
                continue
            if variable is None:
                entries.append(f"{key}: None")
                continue
            if index in plain:  # None when absent: the step leaves it None
                lines += (f"    {line}" for line in self._write_step(model, field, variable))
                entries.append(f"{key}: {variable}")
                continue
            value = f"w{index}"
            step = self._write_step(model, field, value)
            if len(path) == 1 and not step:
                entries.append(f"{key}: None if {variable} is _M else {variable}")
                continue
            nested = value  # what `_set_path` makes under a key nothing else writes
            for part in reversed(path[1:]):
                nested = f"{{{_literal(part)}: {nested}}}"
            lines += [
                f"    if {variable} is not _M:",
                f"        {value} = {variable}",
                *(f"        {line}" for line in step),
            ]
            if len(path) > 1:
                lines.append(f"        {value} = {nested}")
            lines += ["    else:", f"        {value} = None"]
            entries.append(f"{key}: {value}")
        return [*lines, "    return {" + ", ".join(entries) + "}"]

    def _checks_on_read(self, field: Field) -> bool:
        """Whether reading the field can fail (a nested model, a converter): such a read stays
        even when nothing is written from it, so the same records are refused."""
        return field.model is not None or (
            self._route.source != "new" and field.converter != "same"
        )

    def _fill(
        self,
        model: Model,
        field: Field,
        path: tuple[str, ...],
        variable: str | None,
        index: int,
        written: set[str],
    ) -> list[str]:
        """`_write` for a legacy target that shows every field: the first field of a key
        writes it on every path (its value or null), so later ones need no "not in out"."""
        key = _literal(path[0])
        first = path[0] not in written
        written.add(path[0])
        if variable is None:
            return [f"    out[{key}] = None"] if first else []
        value = f"w{index}"
        step = self._write_step(model, field, value)
        if len(path) == 1 and not step and first:
            return [f"    out[{key}] = None if {variable} is _M else {variable}"]
        if len(path) == 1:
            store = f"out[{key}] = {value}"
        else:
            store = f"_set_path(out, {_literal(path)}, {value})"
        lines = [
            f"    if {variable} is not _M:",
            f"        {value} = {variable}",
            *(f"        {line}" for line in step),
            f"        {store}",
        ]
        return [*lines, "    else:", f"        out[{key}] = None"] if first else lines

    def _read(
        self, model: Model, field: Field, path: tuple[str, ...], variable: str, plain: bool = False
    ) -> list[str]:
        """Lines that set `variable` to the field's canonical value, or to the missing marker
        (`plain`: to None, for a field whose answer is the same either way)."""
        if plain:
            lines = [f"    {variable} = get({_literal(path[0])})"]
        elif len(path) == 1:
            lines = [f"    {variable} = get({_literal(path[0])}, _M)"]
        else:
            lines = [f"    {variable} = _get_path(record, {_literal(path)})"]
        step = self._read_step(field, variable)
        if step is None:
            return lines
        prefix = self._constant(f"{model.name}.{field.name}: ")
        present = (
            f"{variable} is not None"
            if plain
            else f"{variable} is not _M and {variable} is not None"
        )
        return [
            *lines,
            f"    if {present}:",
            "        try:",
            *(f"            {line}" for line in step),
            "        except _CE as exc:",
            f"            raise _CE({prefix} + str(exc)) from None",
        ]

    def _read_step(self, field: Field, variable: str) -> list[str] | None:
        """The conversion of one non-null source value to its canonical value."""
        route = self._route
        if field.model is not None:
            # Reading and writing a nested model is the nested model's own compiled function,
            # except when nothing is written: then only the reading's checks remain.
            if self._target_path(field) is None:
                apply = self._constant(self._reader(field.model))
            else:
                apply = self._function(field.model)
        elif route.source == "new" or field.converter == "same":
            return None
        else:
            converter = get_converter(field.converter)
            assert converter is not None
            forward = self._constant(converter.forward)
            return [f"{variable} = {forward}({variable}, {self._constant(field.options)})"]
        copy = self._copy_literal(field.model, "item") if self._target_path(field) else None
        each = f"{apply}(item)"
        if copy is not None:  # a dict is copied in place; anything else gets the checks
            each = f"{copy} if type(item) is dict else {each}"
        if not field.many:
            return [f"item = {variable}", f"{variable} = {each}"]
        return [
            f"if not isinstance({variable}, list):",
            f"    raise _CE('expected a list, got ' + type({variable}).__name__)",
            f"{variable} = [{each} for item in {variable}]",
        ]

    def _copy_literal(self, name: str, item: str) -> str | None:
        """The record `name`'s compiled function makes of a dict `item`, as one dict display,
        when it only copies values (or shows null); None when it does more."""
        model = self._models[name]
        copied = self._copied(model)
        if not copied:
            return None
        entries: list[str] = []
        roots: set[str] = set()
        for index, field in enumerate(model.fields):
            source = _path(field, self._route.source)
            target = self._target_path(field)
            if target is None:
                if source is not None and self._checks_on_read(field):
                    return None
                continue
            first = target[0] not in roots
            roots.add(target[0])
            if index in copied:
                entries.append(f"{_literal(target[0])}: {item}.get({_literal(copied[index])})")
            elif source is None and len(target) == 1:
                if first:
                    entries.append(f"{_literal(target[0])}: None")
            else:
                return None
        return "{" + ", ".join(entries) + "}"

    def _target_path(self, field: Field) -> tuple[str, ...] | None:
        if self._route.comparable and field.legacy is None:
            return None
        return _path(field, self._route.target)

    def _reader(self, model: str) -> Convert:
        """A reader of the source side alone, for nested fields the target does not have."""
        if self._readers is None:
            self._readers = Compiler(self._models, Route(self._route.source, "canonical"))
        return self._readers.converter(model)

    def _write(
        self,
        model: Model,
        field: Field,
        path: tuple[str, ...],
        variable: str | None,
        local: Mapping[str, str],
        index: int,
    ) -> list[str]:
        """Lines that put the field into `out`: its value, a default, or (fill) a null."""
        route = self._route
        value = f"w{index}"
        if len(path) == 1:
            store = f"out[{_literal(path[0])}] = {value}"
        else:
            store = f"_set_path(out, {_literal(path)}, {value})"
        lines: list[str] = []
        otherwise = "if"
        if variable is not None:
            present = f"{variable} is not _M" + (
                f" and {variable} is not None" if route.comparable else ""
            )
            lines += [f"    if {present}:", f"        {value} = {variable}"]
            lines += (f"        {line}" for line in self._write_step(model, field, value))
            lines.append(f"        {store}")
            otherwise = "elif"
        has_default = route.with_defaults and field.has_default
        source = local.get(field.default_from or "") if route.with_defaults else None
        if has_default:
            default = self._constant(field.default)
            copied = default if isinstance(field.default, _IMMUTABLE) else f"_fresh({default})"
            lines += [f"    {otherwise} True:", f"        {value} = {copied}", f"        {store}"]
        elif source is not None:
            lines += [
                f"    {otherwise} {source} is not _M:",
                f"        {value} = {source}",
                f"        {store}",
            ]
            otherwise = "elif"
        if route.fill and not has_default:
            root = _literal(path[0])
            lines += [f"    {otherwise} {root} not in out:", f"        out[{root}] = None"]
        return lines

    def _write_step(self, model: Model, field: Field, value: str) -> list[str]:
        """The conversion of one canonical value to the target's (nested models are already
        converted by the reading step's compiled function)."""
        route = self._route
        if field.model is not None or route.target != "legacy" or field.converter == "same":
            return []
        converter = get_converter(field.converter)
        assert converter is not None
        inverse = self._constant(converter.inverse)
        options = self._constant(field.options)
        if not route.fill:
            prefix = self._constant(f"{model.name}.{field.name}: ")
            call = [
                "try:",
                f"    {value} = {inverse}({value}, {options})",
                "except _CE as exc:",
                f"    raise _CE({prefix} + str(exc)) from None",
            ]
        else:
            names = f"{self._constant(model.name)}, {self._constant(field.name)}"
            call = [
                "try:",
                f"    {value} = {inverse}({value}, {options})",
                "except _CE as exc:",
                f"    _shown({names}, exc)",
            ]
        usual = self._usual_inverse(field, value)
        if usual is None:
            return [f"if {value} is not None:", *(f"    {line}" for line in call)]
        test, result = usual
        return [
            f"if {value} is not None:",
            f"    if {test}:",
            f"        {value} = {result}",
            "    else:",
            *(f"        {line}" for line in call),
        ]

    def _usual_inverse(self, field: Field, value: str) -> tuple[str, str] | None:
        """(a test, the converter's result when it holds) for the common value of the
        converters every record uses; None: always call the converter."""
        if field.converter == "enum":
            table = self._constant(dict(field.options["table"].inverse))
            return f"type({value}) is str and {value} in {table}", f"{table}[{value}]"
        if field.converter == "timestamp-seconds":
            # the stamp has one "Z", its last character: the same as `value[:19] + ".000Z"`
            return f"type({value}) is str and _NEW_STAMP({value})", f"{value}.replace('Z', '.000Z')"
        if field.converter != "money":
            return None
        currency, divisor, minors = f"{value}c", f"{value}d", f"{value}m"
        known = (
            f"type({value}) is dict and type({currency} := {value}.get('currency')) is str"
            f" and ({divisor} := _DIVISORS.get({currency})) is not None"
            f" and type({minors} := {value}.get('minors')) is int"
        )
        if field.options["assumption"] == "minor":
            return known, f"{{'value': {minors}, 'currency': {currency}}}"
        test = f"{known} and -_EXACT < {minors} < _EXACT"
        major = f"{minors} / {divisor} if {divisor} else {minors}"
        return test, f"{{'value': {major}, 'currency': {currency}}}"


def _path(field: Field, side: Target) -> tuple[str, ...] | None:
    if side == "canonical":
        return (field.name,)
    path = field.legacy if side == "legacy" else field.new
    return None if path is None else tuple(path.split("."))


def _literal(value: str | tuple[str, ...]) -> str:
    """A Python literal for a key or a path: `repr` of text is always one inert literal."""
    assert isinstance(value, str) or all(isinstance(part, str) for part in value)
    return repr(value)
