"""What is known about one legacy call site: the types the finder fills in and the rules read.

A `Site` is one call that reaches the legacy API. Its parts come from the finder's
collaborators: `resolve` (the URL and the operation), `queries` (the query parameters),
`responses` (how the body is read) and `paging_loops` (a recognised `nextPageOffset` loop).
The small `ast` helpers at the end are shared by them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Literal

from migrate.codemod.find.evaluate import Hole, Part, Template
from migrate.codemod.find.facts import CallFacts
from migrate.codemod.find.index import OperationFacts
from migrate.codemod.find.value_sets import ValueSet
from migrate.mapping import LegacyMatch

VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
HTTP_MODULES = ("requests", "httpx")
CLIENT_NAMES = ("session", "client", "http", "api")  # how a client object's name ends
COMPAT_NAMES = {"_pleo_session", "_pleo_client"}
# A placeholder for a part of a URL that is only known at run time.
TOKEN = "__pm{}__"
TOKEN_PATTERN = re.compile(r"__pm(\d+)__")

How = Literal["literal host", "base", "client base_url", "wrapper", "helper", "constant"]
Status = Literal["matched", "dynamic", "unknown-path", "unknown-method"]
SiteKind = Literal["http", "wrapper", "helper", "urllib"]
ClientKind = Literal["requests", "httpx", "object", "function", "urllib"]


@dataclass(eq=False)
class QueryItem:
    key: str
    # params: a key of the params= dict; keywords: a keyword argument of a request helper that
    # sends its extra keywords as the query; url: written in the URL
    where: Literal["params", "keywords", "url"]
    value: ast.expr | None  # the value expression (params, keywords) or the hole in the URL
    literal: object  # the value when it is a literal (URL text is a str)
    is_literal: bool
    key_node: ast.Constant | None = None  # params: the key literal
    keyword: ast.keyword | None = None  # keywords: the whole `key=value` argument


@dataclass(eq=False)
class QuerySource:
    items: list[QueryItem]
    static: bool
    reason: str | None  # why it is not static
    params: ast.expr | None  # the params= argument as written
    params_dict: ast.Dict | None  # the dict display we may edit (at the call or its binding)
    url_query: bool  # some keys are written in the URL itself

    def get(self, key: str) -> QueryItem | None:
        for item in self.items:
            if item.key == key:
                return item
        return None


@dataclass(eq=False)
class KeyRead:
    node: ast.expr  # the Subscript, or the `.get(...)` Call
    key: str
    base: ast.expr  # what is read from: a `.json()` call or a name holding it


@dataclass(eq=False)
class TotalRead:
    """`X["metadata"]["pageInfo"]["totalCount"]` (or the `.get` chain), step by step."""

    metadata: ast.expr  # `X["metadata"]`: its key becomes the new API's pagination
    page_info: ast.expr  # `…["pageInfo"]`: the step the new path drops
    total: ast.expr  # `…["totalCount"]`: the whole read


@dataclass(eq=False)
class ResponseUse:
    json_calls: list[ast.expr] = field(default_factory=list)  # `r.json()` (or its await)
    reads: list[KeyRead] = field(default_factory=list)
    next_offsets: list[ast.expr] = field(default_factory=list)  # …["nextPageOffset"] chains
    other_meta: list[ast.expr] = field(default_factory=list)  # other …["metadata"] reads
    totals: list[TotalRead] = field(default_factory=list)  # those of them that read the total
    escapes: list[str] = field(default_factory=list)  # why the body cannot be followed
    used: bool = False
    # `return list(await gather(*tasks))`: a list of the bodies handed on whole (each gets
    # its envelope there, `find/responses.py`)
    handed: list[ast.expr] = field(default_factory=list)


@dataclass(eq=False)
class PagingLoop:
    loop: ast.While
    var: str
    chain: ast.expr  # the nextPageOffset expression to replace
    chain_base: ast.expr  # what it reads from (B or R.json())
    style: Literal["subscript", "get"]
    init: ast.Constant | None  # the `0` the offset starts at, set before the loop
    tests_cursor: bool = False  # `while offset is not None:` (the start must not be None)
    store: ast.Subscript | None = None  # `params["pageOffset"]` set in the loop (0 at first)
    # `info = X["metadata"]["pageInfo"]` read as `info.get("nextPageOffset")`: that value
    held: ast.expr | None = None


@dataclass(eq=False)
class Resolution:
    how: How
    status: Status
    match: LegacyMatch | None
    environment: str | None
    host_own: bool  # the host is written in this URL expression (so a rebuild replaces it)
    path: list[Part]  # the path after the base (text split at the query)
    query: list[Part]
    path_editable: bool
    slash: bool  # the path starts with "/"
    tokens: dict[str, Part]
    display: str


@dataclass(eq=False)
class Shape:
    """What kind of HTTP call a call is, before its URL is looked at."""

    kind: SiteKind
    client: ClientKind
    receiver: str | None
    verb: str | None
    method: str | None
    method_node: ast.expr | None
    url_node: ast.expr


@dataclass(eq=False)
class Site(Shape):
    """A call that reaches the legacy API: its shape, and all the finder learned about it."""

    call: CallFacts
    template: Template
    resolution: Resolution
    query: QuerySource
    json_node: ast.expr | None
    json_dict: ast.Dict | None
    has_data: bool
    response: ResponseUse
    loop: PagingLoop | None
    loop_problem: str | None
    facts: OperationFacts | None

    drops_none_params: bool = False  # requests leaves out None parameters; httpx sends "a="
    # A URL chosen in branches: the same call with each other URL it can take (this site is
    # the first); each is reviewed, and rewritten at its own assignment, like a call of its own.
    alternatives: tuple[Site, ...] = ()

    @property
    def variants(self) -> tuple[Site, ...]:
        return (self, *self.alternatives)
    helper: str | None = None  # the module's request helper the call goes through
    helper_problem: str | None = None  # why a helper call cannot be rewritten at the call
    carries: str | None = None  # the HTTP call of this request helper: its callers are sites
    # A path part its callers choose from a finite set (`value_sets.py`): on the first variant,
    # the set and the hole it fills; on every variant, the value it stands for.
    value_set: ValueSet | None = None
    value_hole: Hole | None = None
    value: str | None = None

    @property
    def node(self) -> ast.Call:
        return self.call.node

    @property
    def operation_id(self) -> str | None:
        return self.facts.operation.id if self.facts else None


# --- small ast helpers -----------------------------------------------------------------------


def call_receiver(call: ast.Call) -> ast.expr | None:
    """The expression a method call is made on, if it is a method call."""
    return call.func.value if isinstance(call.func, ast.Attribute) else None


def receiver_of(site: Site) -> ast.expr | None:
    """The expression a method call is made on (`self.session` in `self.session.get(…)`)."""
    return call_receiver(site.node)


def argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    for item in call.keywords:
        if item.arg == name:
            return item.value
    if len(call.args) > position and not any(
        isinstance(arg, ast.Starred) for arg in call.args[: position + 1]
    ):
        return call.args[position]
    return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for item in call.keywords:
        if item.arg == name:
            return item.value
    return None


def constant_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
