"""The indexed legacy route lookup answers exactly as the scan over every template does.

`Catalogue.match_legacy` looks a request up in an index (a dict for templates without
parameters, the templated routes of its first segment otherwise). The reference here is the
plain scan: every route of the method, in matching order, first full match wins.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from migrate.mapping import LEGACY_BASE_PATH, Catalogue, load_catalogue
from migrate.mapping.model import fill_template, template_regex

CATALOGUE = load_catalogue()
_VALUES = ["e-1", "abc%2Fdef", "x.y", "1234", "ünï", "a:b", "{id}"]


def _scan(catalogue: Catalogue, method: str, url: str) -> tuple[Any, ...] | None:
    """What the scan over every route finds: (operation id, path parameters, query)."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    if not path.startswith(LEGACY_BASE_PATH + "/"):
        path = LEGACY_BASE_PATH + (path if path.startswith("/") else "/" + path)
    routes = sorted(
        (op for op in catalogue if op.legacy.method == method.upper()),
        key=lambda op: (len(op.legacy.params), op.legacy.path),
    )
    for operation in routes:
        found = template_regex(operation.legacy.path).fullmatch(path)
        if found:
            query = tuple(parse_qsl(parts.query, keep_blank_values=True))
            return operation.id, found.groupdict(), query
    return None


def _found(catalogue: Catalogue, method: str, url: str) -> tuple[Any, ...] | None:
    match = catalogue.match_legacy(method, url)
    if match is None:
        return None
    return match.operation.id, dict(match.path_params), match.query


def _urls() -> list[tuple[str, str]]:
    methods = [*sorted({op.legacy.method for op in CATALOGUE}), "get", "OPTIONS"]
    paths: set[str] = {"/", "", "/v1", "/v1/", "//v1/expenses", "/v2/expenses", "expenses"}
    for operation in CATALOGUE:
        template = operation.legacy.path
        for value in _VALUES:
            concrete = fill_template(template, dict.fromkeys(operation.legacy.params, value))
            paths |= {concrete, concrete + "/", concrete + "/extra", concrete + "?a=1&b="}
            paths.add(concrete.removeprefix(LEGACY_BASE_PATH))  # relative to the base
            paths.add("https://openapi.pleo.io" + concrete + "?pageSize=10")
        segments = template.split("/")
        paths.add("/".join(segments[:-1]))  # a parent that may be no route at all
        paths.add(template)  # the template's own text, braces and all
    return [(method, path) for method in methods for path in sorted(paths)]


def test_the_index_finds_what_the_scan_over_every_route_finds() -> None:
    urls = _urls()
    differ = [
        (method, url)
        for method, url in urls
        if _found(CATALOGUE, method, url) != _scan(CATALOGUE, method, url)
    ]
    assert not differ
    assert sum(_found(CATALOGUE, method, url) is not None for method, url in urls) > 100


def test_every_route_is_reachable_through_the_index() -> None:
    for operation in CATALOGUE:
        values = dict.fromkeys(operation.legacy.params, "v-1")
        concrete = fill_template(operation.legacy.path, values)
        expected = _scan(CATALOGUE, operation.legacy.method, concrete)
        assert expected is not None
        assert _found(CATALOGUE, operation.legacy.method, concrete) == expected


def test_a_template_with_a_parameter_first_is_tried_for_any_first_segment() -> None:
    """A route whose first segment is a parameter, next to a literal one: both orders kept."""
    operations = list(CATALOGUE)
    first = operations[0]
    legacy = type(first.legacy)
    anywhere = _replace(first, id="test.anywhere", legacy=legacy("GET", "/v1/{kind}/{id}"))
    literal = _replace(first, id="test.literal", legacy=legacy("GET", "/v1/things/{id}"))
    exact = _replace(first, id="test.exact", legacy=legacy("GET", "/v1/things/all"))
    catalogue = _with_operations([anywhere, literal, exact])
    for url in ("/v1/things/1", "/v1/others/1", "/v1/things/all", "/v1/things", "/v1/a/b/c"):
        assert _found(catalogue, "GET", url) == _scan(catalogue, "GET", url), url
    anywhere_found = ("test.anywhere", {"kind": "others", "id": "1"}, ())
    assert _found(catalogue, "GET", "/v1/others/1") == anywhere_found
    assert _found(catalogue, "GET", "/v1/things/all") == ("test.exact", {}, ())


def _replace(operation: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(operation, **changes)


def _with_operations(operations: list[Any]) -> Catalogue:
    """A catalogue like the shipped one with only `operations` (for routing alone)."""
    raw = type(
        "Raw",
        (),
        {
            "files": CATALOGUE.files,
            "operations": tuple(operations),
            "models": CATALOGUE.models,
            "enums": CATALOGUE.enums,
            "assumptions": CATALOGUE.assumptions,
        },
    )
    return Catalogue(raw, CATALOGUE.source)  # type: ignore[arg-type]


def test_template_regex_of_a_plain_path_matches_its_text_only() -> None:
    """Why a dict can stand for the templates without parameters."""
    for operation in CATALOGUE:
        if not operation.legacy.params:
            pattern = template_regex(operation.legacy.path)
            assert pattern.pattern == re.escape(operation.legacy.path)
