"""The mapping catalogue: how each legacy Pleo endpoint maps onto the new API.

`load_catalogue()` reads `mappings/*.yaml` (or a user's folder) into a frozen `Catalogue`
that every other part of the toolkit consumes; `plan_call()` is the one planner that turns a
legacy request into the new call(s) that serve it.
"""

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
from migrate.mapping.catalogue_cache import cached_file
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

__all__ = [
    "DEFAULT_LIMIT_MAX",
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
    "cached_file",
    "catalogue_summary",
    "check_against_specs",
    "check_legacy_coverage",
    "check_money_pair",
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
