"""Reading and writing Python literals as text: quote styles, f-string fields, new literals.

New string literals keep the quote character and prefix of the literal they replace, so an
edited line still looks like the code around it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_PREFIX_CHARS = "rRbBuUfF"
_QUOTES = ('"""', "'''", '"', "'")


@dataclass(frozen=True)
class LiteralStyle:
    prefix: str  # as written, e.g. "", "r", "F", "rf"
    quote: str

    @property
    def raw(self) -> bool:
        return "r" in self.prefix.lower()

    @property
    def is_f(self) -> bool:
        return "f" in self.prefix.lower()


def style_of(text: str) -> LiteralStyle | None:
    """The prefix and quote of a single string literal written as `text` (None otherwise)."""
    index = 0
    while index < len(text) and text[index] in _PREFIX_CHARS:
        index += 1
    for quote in _QUOTES:
        if text.startswith(quote, index):
            if len(text) >= index + 2 * len(quote) and text.endswith(quote):
                return LiteralStyle(text[:index], quote)
            return None
    return None


def _escape(value: str, quote: str) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == "\n" and len(quote) == 1:
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif char == quote[0]:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def str_literal(value: str, style: LiteralStyle | None = None) -> str:
    """A plain string literal for `value` in the given style (raw kept only when it can be)."""
    quote = style.quote if style else '"'
    prefix = "".join(c for c in (style.prefix if style else "") if c.lower() not in "fb")
    if "r" in prefix.lower() and not _raw_ok(value, quote):
        prefix = "".join(c for c in prefix if c.lower() != "r")
    body = value if "r" in prefix.lower() else _escape(value, quote)
    return f"{prefix}{quote}{body}{quote}"


def _raw_ok(value: str, quote: str) -> bool:
    return quote[0] not in value and not value.endswith("\\") and "\n" not in value


def fstring_text(value: str, style: LiteralStyle) -> str:
    """Literal text inside an f-string of `style`: braces doubled, escaped unless raw."""
    body = value if style.raw and _raw_ok(value, style.quote) else _escape(value, style.quote)
    return body.replace("{", "{{").replace("}", "}}")


def fstring_fields(text: str) -> tuple[LiteralStyle, list[tuple[int, int]]] | None:
    """The style of a single f-string literal and the spans of its replacement fields.

    Each span covers what is between a field's braces (expression, `!r`, `:spec`), relative
    to the start of `text`. None when `text` is not exactly one f-string (for instance an
    implicit concatenation of several literals).
    """
    style = style_of(text)
    if style is None or not style.is_f:
        return None
    start = len(style.prefix) + len(style.quote)
    end = len(text) - len(style.quote)
    fields: list[tuple[int, int]] = []
    index = start
    while index < end:
        char = text[index]
        if (
            (char == "\\" and not style.raw)
            or text.startswith("{{", index)
            or text.startswith("}}", index)
        ):
            index += 2
        elif char == "{":
            close = _field_end(text, index + 1, end)
            if close is None:
                return None
            fields.append((index + 1, close))
            index = close + 1
        elif char == "}":
            return None
        elif text.startswith(style.quote, index):
            return None  # the literal ended early: several literals side by side
        else:
            index += 1
    return style, fields


def _field_end(text: str, index: int, end: int) -> int | None:
    depth = 0
    while index < end:
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                return index if char == "}" else None
            depth -= 1
        elif char in "'\"":
            close = text.find(char, index + 1, end)
            if close < 0:
                return None
            index = close
        index += 1
    return None


def py_literal(value: Any) -> str:
    """Python source for a JSON-like value (None, bools, numbers, strings, lists, dicts)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as a literal")
