"""The timeline section: the project's dates (`[tool.pleo-migrate.timeline]`) against today."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from migrate.errors import ConfigurationError


def timeline_section(settings: Mapping[str, Any], today: date) -> dict[str, Any]:
    events = []
    for name, value in settings.items():
        try:
            when = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise ConfigurationError(
                f"timeline: {name} = {value!r} is not a date; write it as YYYY-MM-DD"
            ) from None
        days = (when - today).days
        events.append(
            {
                "name": name.replace("-", " ").replace("_", " "),
                "date": when.isoformat(),
                "days_left": days,
                "overdue": days < 0,
            }
        )
    events.sort(key=lambda e: str(e["date"]))
    return {"today": today.isoformat(), "events": events}
