"""Filters only known at run time whose conversion the rewrite can still write out.

The catalogue converts some legacy filters on the way to the new API; a literal is converted
when the codemod runs, a run-time value only when the conversion is a small expression of it.
One such conversion is known: a day becoming the first or last second of that day
(`dateFrom=since` → `performedAtStart`), found by asking the filter's own converter, so the
day bound always agrees with what the planner sends:

    "dateFrom": since   →   **({"performedAtStart": f"{since}T00:00:00Z"
                                 if len(str(since)) == 10 else since} if since else {})

Only a bare day (`2024-03-01`, or a `date`: ten characters) gets the time; anything else, a
date-time above all (the legacy API took both), passes through as written. An empty or None
value sends no filter, as requests did with the legacy query. Only a plain name or attribute is
written out (the expression reads it more than once).
"""

from __future__ import annotations

import ast
import re

from migrate.errors import ConversionError
from migrate.mapping import Filter

_DAY = "2000-01-02"
_STAMP = "2000-01-02T03:04:05Z"
_BOUND = re.compile(r"T\d\d:\d\d:\d\dZ")


def day_bound(found: Filter) -> str | None:
    """The time the filter's converter appends to a day (`T00:00:00Z`), when it does exactly
    that and leaves a whole-second UTC date-time as it is; else None."""
    if found.as_list or found.new_body is None:
        return None
    try:
        day, stamp = found.convert(_DAY), found.convert(_STAMP)
    except ConversionError:
        return None
    if not isinstance(day, str) or not day.startswith(_DAY) or stamp != _STAMP:
        return None
    suffix = day[len(_DAY) :]
    return suffix if _BOUND.fullmatch(suffix) else None


def writable(found: Filter, value: ast.expr | None) -> bool:
    """Whether a run-time value of this filter can be converted by a written expression."""
    return isinstance(value, ast.Name | ast.Attribute) and day_bound(found) is not None


def body_entry(found: Filter, text: str) -> str:
    """The whole JSON body entry for a run-time value (`text`: its code, a name or attribute);
    only for a filter that is `writable`."""
    suffix = day_bound(found)
    assert suffix is not None and found.new_body is not None
    value = f'f"{{{text}}}{suffix}" if len(str({text})) == 10 else {text}'
    return f'**({{"{found.new_body}": {value}}} if {text} else {{}})'
