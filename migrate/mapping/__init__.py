"""The mapping catalogue: how each legacy Pleo endpoint maps onto the new API.

`load_catalogue()` reads `mappings/*.yaml` (or a user's folder) into a frozen `Catalogue`
that every other part of the toolkit consumes; `plan_call()` is the one planner that turns a
legacy request into the new call(s) that serve it.
"""

from migrate.mapping.calls import (
    NO_BODY,
    CallPlan,
    NewCall,
    PageWindow,
    json_bytes,
    keep_records,
    plan_call,
    plan_request,
)
from migrate.mapping.catalogue import Catalogue, LegacyMatch, Loss, load_catalogue
from migrate.mapping.flow_names import FLOWS, FlowInfo
from migrate.mapping.model import (
    Bodies,
    CompanyScope,
    Endpoint,
    Envelope,
    Field,
    FieldPath,
    Filter,
    Model,
    Operation,
    Side,
)

__all__ = [
    "FLOWS",
    "NO_BODY",
    "Bodies",
    "CallPlan",
    "Catalogue",
    "CompanyScope",
    "Endpoint",
    "Envelope",
    "Field",
    "FieldPath",
    "Filter",
    "FlowInfo",
    "LegacyMatch",
    "Loss",
    "Model",
    "NewCall",
    "Operation",
    "PageWindow",
    "Side",
    "json_bytes",
    "keep_records",
    "load_catalogue",
    "plan_call",
    "plan_request",
]
