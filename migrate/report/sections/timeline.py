"""The timeline section: the project's dates (`[tool.pleo-migrate.timeline]`) against today."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any


def timeline_section(settings: Mapping[str, Any], today: date) -> dict[str, Any]:
    events = []
    for name, value in settings.items():
        try:
            when = date.fromisoformat(str(value))
        except ValueError:
            continue
        events.append(
            {
                "name": name.replace("-", " ").replace("_", " "),
                "date": when.isoformat(),
                "days_left": (when - today).days,
            }
        )
    events.sort(key=lambda e: str(e["date"]))
    return {"today": today.isoformat(), "events": events}
