"""Renders the report: the only module that imports jinja2.

Autoescaping is on for everything, undefined names are errors (StrictUndefined), templates ship
inside the package, and no template marks data `|safe`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

_ENVIRONMENT = Environment(
    loader=PackageLoader("migrate.report", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _percent(value: Any) -> str:
    return "\N{EN DASH}" if value is None else f"{float(value):.1f} %"


def _https(url: Any) -> str | None:
    """Only https links become links; anything else is shown as text."""
    return url if isinstance(url, str) and url.startswith("https://") else None


def _shown(value: Any) -> str:
    """A record value as a reader sees it: `"Zoë"`, not the JSON escape `"Zo\\u00eb"`."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


_ENVIRONMENT.filters["percent"] = _percent
_ENVIRONMENT.filters["shown"] = _shown
_ENVIRONMENT.filters["https"] = _https


def render_html(context: Mapping[str, Any]) -> str:
    return _ENVIRONMENT.get_template("index.html.j2").render(**context)
