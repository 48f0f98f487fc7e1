"""The mapping catalogue: how each legacy Pleo endpoint maps onto the new API.

`load_catalogue()` reads `mappings/*.yaml` (or a user's folder) into a frozen `Catalogue`
that every other part of the toolkit consumes; `plan_call()` is the one planner that turns a
legacy request into the new call(s) that serve it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migrate.mapping.calls import (
        DEFAULT_LIMIT_MAX,
        NO_BODY,
        CallPlan,
        NewCall,
        PageWindow,
        Query,
        filter_body_value,
        filter_query,
        ignored_query,
        json_bytes,
        keep_records,
        legacy_answer,
        merged_body,
        new_records,
        place_company,
        plan_call,
        plan_request,
        query_text,
        request_body,
        unapplied_filters,
    )
    from migrate.mapping.catalogue import (
        LEGACY_BASE_PATH,
        Catalogue,
        LegacyMatch,
        Loss,
        load_catalogue,
        minimum_scopes,
    )
    from migrate.mapping.catalogue_cache import cached_build, cached_file
    from migrate.mapping.conformance import (
        check_against_specs,
        check_legacy_coverage,
        legacy_endpoints,
    )
    from migrate.mapping.converters import check_money_pair
    from migrate.mapping.describe import catalogue_summary, operation_detail
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
        fill_template,
        template_prefixes,
        template_regex,
    )
    from migrate.mapping.specs import NewApiSpecs, load_new_api_specs, schema_at
    from migrate.mapping.transform import Record
    from migrate.mapping.yaml_reader import first_yaml_alias, load_located

# Each name is imported from its module on first use: a scan reads only the catalogue's model
# and lookups, and must not pay for YAML, the schema or the request planner it never calls.
_HOMES = {
    "CallPlan": "migrate.mapping.calls",
    "DEFAULT_LIMIT_MAX": "migrate.mapping.calls",
    "NO_BODY": "migrate.mapping.calls",
    "NewCall": "migrate.mapping.calls",
    "PageWindow": "migrate.mapping.calls",
    "Query": "migrate.mapping.calls",
    "dropped_query": "migrate.mapping.calls",
    "filter_body_value": "migrate.mapping.calls",
    "filter_query": "migrate.mapping.calls",
    "ignored_query": "migrate.mapping.calls",
    "json_bytes": "migrate.mapping.calls",
    "keep_records": "migrate.mapping.calls",
    "legacy_answer": "migrate.mapping.calls",
    "merged_body": "migrate.mapping.calls",
    "new_records": "migrate.mapping.calls",
    "place_company": "migrate.mapping.calls",
    "plan_call": "migrate.mapping.calls",
    "plan_request": "migrate.mapping.calls",
    "query_text": "migrate.mapping.calls",
    "request_body": "migrate.mapping.calls",
    "unapplied_filters": "migrate.mapping.calls",
    "Catalogue": "migrate.mapping.catalogue",
    "LEGACY_BASE_PATH": "migrate.mapping.catalogue",
    "LegacyMatch": "migrate.mapping.catalogue",
    "Loss": "migrate.mapping.catalogue",
    "load_catalogue": "migrate.mapping.catalogue",
    "minimum_scopes": "migrate.mapping.catalogue",
    "cached_build": "migrate.mapping.catalogue_cache",
    "cached_file": "migrate.mapping.catalogue_cache",
    "check_against_specs": "migrate.mapping.conformance",
    "check_legacy_coverage": "migrate.mapping.conformance",
    "legacy_endpoints": "migrate.mapping.conformance",
    "check_money_pair": "migrate.mapping.converters",
    "EXPONENTS": "migrate.mapping.currencies",
    "catalogue_summary": "migrate.mapping.describe",
    "operation_detail": "migrate.mapping.describe",
    "FLOWS": "migrate.mapping.flow_names",
    "FlowInfo": "migrate.mapping.flow_names",
    "Bodies": "migrate.mapping.model",
    "CompanyScope": "migrate.mapping.model",
    "Endpoint": "migrate.mapping.model",
    "Envelope": "migrate.mapping.model",
    "Field": "migrate.mapping.model",
    "FieldPath": "migrate.mapping.model",
    "Filter": "migrate.mapping.model",
    "Model": "migrate.mapping.model",
    "Operation": "migrate.mapping.model",
    "Side": "migrate.mapping.model",
    "fill_template": "migrate.mapping.model",
    "template_prefixes": "migrate.mapping.model",
    "template_regex": "migrate.mapping.model",
    "NewApiSpecs": "migrate.mapping.specs",
    "load_new_api_specs": "migrate.mapping.specs",
    "schema_at": "migrate.mapping.specs",
    "Record": "migrate.mapping.transform",
    "first_yaml_alias": "migrate.mapping.yaml_reader",
    "load_located": "migrate.mapping.yaml_reader",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_LIMIT_MAX",
    "EXPONENTS",
    "FLOWS",
    "LEGACY_BASE_PATH",
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
    "NewApiSpecs",
    "NewCall",
    "Operation",
    "PageWindow",
    "Query",
    "Record",
    "Side",
    "cached_build",
    "cached_file",
    "catalogue_summary",
    "check_against_specs",
    "check_legacy_coverage",
    "check_money_pair",
    "dropped_query",
    "fill_template",
    "filter_body_value",
    "filter_query",
    "first_yaml_alias",
    "ignored_query",
    "json_bytes",
    "keep_records",
    "legacy_answer",
    "legacy_endpoints",
    "load_catalogue",
    "load_located",
    "load_new_api_specs",
    "merged_body",
    "minimum_scopes",
    "new_records",
    "operation_detail",
    "place_company",
    "plan_call",
    "plan_request",
    "query_text",
    "request_body",
    "schema_at",
    "template_prefixes",
    "template_regex",
    "unapplied_filters",
]
