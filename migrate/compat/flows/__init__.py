"""Named multi-call flows: legacy operations that no single new-API call can serve.

The catalogue names a flow (`kind: flow`, `flow: <name>`) and `mapping/flow_names.py` lists
the calls it makes; each flow's steps live in a module of this package named after it. A flow
is a generator in the engine's sans-I/O style: it yields new-API requests, is sent the
answers, and returns the legacy response. It sees the engine only as a `FlowContext`.
Tests hold this registry, the names and the catalogue to each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from migrate.compat.flows import (
    expense_export_status,
    tag_create,
    tag_group_create,
    tag_groups_with_dimensions,
    tag_update,
    tags_with_values,
)
from migrate.compat.messages import Exchange, FlowContext
from migrate.mapping import LegacyMatch

__all__ = ["FLOWS", "Flow"]

# (engine, the matched legacy request, its JSON body, the company id) → the exchange
Flow = Callable[[FlowContext, LegacyMatch, Any, "str | None"], Exchange]

FLOWS: Mapping[str, Flow] = {
    "expense-export-status": expense_export_status.run,
    "tag-groups-with-dimensions": tag_groups_with_dimensions.run,
    "tag-group-create": tag_group_create.run,
    "tags-with-values": tags_with_values.run,
    "tag-create": tag_create.run,
    "tag-update": tag_update.run,
}
