"""Legacy call sites: which calls reach the legacy API, and everything the rules ask about them.

A call is a legacy call site when its URL evaluates to something on a legacy host (directly,
through a base-URL constant, attribute or environment variable, or through an httpx client
created with a legacy `base_url`), or when it passes a legacy path literal (`"/expenses"`)
through a wrapper or helper in a module that talks about Pleo. For each site we work out the
operation (or that the path is chosen at run time), where its query parameters live, how its
response body is read, and whether it sits in a recognised `nextPageOffset` loop.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Literal

from migrate.codemod.find.evaluate import Base, Evaluator, Hole, Part, Template, Text
from migrate.codemod.find.facts import CallFacts, ModuleFacts, Scope, dotted
from migrate.codemod.find.hosts import LEGACY_BASE, environment_of_host
from migrate.codemod.find.index import CatalogueIndex, OperationFacts
from migrate.codemod.text.source import Source
from migrate.mapping.catalogue import LEGACY_BASE_PATH, LegacyMatch

VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
HTTP_MODULES = ("requests", "httpx")
CLIENT_FACTORIES = {
    ("requests", "Session"): "requests.Session",
    ("requests", "session"): "requests.Session",
    ("httpx", "Client"): "httpx.Client",
    ("httpx", "AsyncClient"): "httpx.AsyncClient",
    ("migrate.compat", "legacy_session"): "compat",
    ("migrate.compat", "legacy_client"): "compat",
    ("migrate.compat", "legacy_async_client"): "compat",
}
COMPAT_NAMES = {"_pleo_session", "_pleo_client"}
HARMLESS_RESPONSE_ATTRS = frozenset(
    {
        "status_code",
        "ok",
        "is_success",
        "is_error",
        "raise_for_status",
        "headers",
        "reason",
        "reason_phrase",
        "url",
        "elapsed",
        "request",
        "close",
        "aclose",
        "cookies",
        "encoding",
        "links",
        "history",
        "is_redirect",
    }
)
TOKEN = "__pm{}__"
_TOKEN = re.compile(r"__pm(\d+)__")

How = Literal["literal host", "base", "client base_url", "wrapper", "helper", "constant"]
Status = Literal["matched", "dynamic", "unknown-path", "unknown-method"]


@dataclass(eq=False)
class QueryItem:
    key: str
    where: Literal["params", "url"]
    value: ast.expr | None  # the value expression (params) or the hole in the URL
    literal: object  # the value when it is a literal (URL text is a str)
    is_literal: bool
    key_node: ast.Constant | None = None  # params: the key literal


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
class ResponseUse:
    json_calls: list[ast.expr] = field(default_factory=list)  # `r.json()` (or its await)
    reads: list[KeyRead] = field(default_factory=list)
    next_offsets: list[ast.expr] = field(default_factory=list)  # …["nextPageOffset"] chains
    other_meta: list[ast.expr] = field(default_factory=list)  # other …["metadata"] reads
    escapes: list[str] = field(default_factory=list)  # why the body cannot be followed
    used: bool = False


@dataclass(eq=False)
class PagingLoop:
    loop: ast.While
    var: str
    chain: ast.expr  # the nextPageOffset expression to replace
    chain_base: ast.expr  # what it reads from (B or R.json())
    style: Literal["subscript", "get"]
    init: ast.Constant | None  # the `0` the offset starts at, set before the loop


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
class Site:
    call: CallFacts
    kind: Literal["http", "wrapper", "helper", "urllib"]
    client: Literal["requests", "httpx", "object", "function", "urllib"]
    receiver: str | None
    verb: str | None
    method: str | None
    method_node: ast.expr | None
    url_node: ast.expr
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

    @property
    def node(self) -> ast.Call:
        return self.call.node

    @property
    def operation_id(self) -> str | None:
        return self.facts.operation.id if self.facts else None


class SiteFinder:
    """Finds the legacy call sites of one module."""

    def __init__(self, facts: ModuleFacts, source: Source, index: CatalogueIndex) -> None:
        self.facts = facts
        self.source = source
        self.index = index
        self.evaluator = Evaluator(facts)
        self.imports = facts.imports
        self.other_http = 0

    # --- entry point ---------------------------------------------------------------------

    def find(self) -> list[Site]:
        sites = []
        self.other_http = 0  # HTTP calls to something other than the legacy API
        for call in self.facts.calls:
            site = self._site(call)
            if site is not None:
                sites.append(site)
            elif self._shape(call) is not None:
                self.other_http += 1
        return sites

    def _site(self, call: CallFacts) -> Site | None:
        shape = self._shape(call)
        if shape is None:
            return self._helper(call)
        kind, client, receiver, verb, method, method_node, url_node = shape
        template = self.evaluator.template(url_node, call.scope)
        receiver_node = _receiver(call.node)
        made = self.constructions(receiver_node, call.scope) if client == "object" else []
        legacy_client = any(
            self._legacy_base_url(construction, call.scope) for construction in made
        )
        if made and not legacy_client and _relative(template):
            return None  # a client of this module with another base URL: not a wrapper
        resolution = self._resolve(template, method, client, legacy_client)
        if resolution is None:
            return None
        if resolution.how == "wrapper":
            kind = "wrapper"
        return self._complete(
            call, kind, client, receiver, verb, method, method_node, url_node, template, resolution
        )

    def _complete(
        self,
        call: CallFacts,
        kind: Literal["http", "wrapper", "helper", "urllib"],
        client: Literal["requests", "httpx", "object", "function", "urllib"],
        receiver: str | None,
        verb: str | None,
        method: str | None,
        method_node: ast.expr | None,
        url_node: ast.expr,
        template: Template,
        resolution: Resolution,
    ) -> Site:
        match = resolution.match
        op_facts = self.index.facts[match.operation.id] if match else None
        query = self._query(call, resolution)
        json_node = _keyword(call.node, "json")
        json_dict = self._editable_dict(json_node, call.scope) if json_node is not None else None
        response = self._response(call)
        site = Site(
            call=call,
            kind=kind,
            client=client,
            receiver=receiver,
            verb=verb,
            method=method,
            method_node=method_node,
            url_node=url_node,
            template=template,
            resolution=resolution,
            query=query,
            json_node=json_node,
            json_dict=json_dict,
            has_data=_keyword(call.node, "data") is not None,
            response=response,
            loop=None,
            loop_problem=None,
            facts=op_facts,
        )
        site.drops_none_params = self._drops_none_params(site)
        if op_facts is not None and query.get("pageOffset") is not None:
            site.loop, site.loop_problem = self._paging_loop(site)
        return site

    def _drops_none_params(self, site: Site) -> bool:
        """Whether the client is requests, which leaves out parameters whose value is None."""
        if site.client == "requests":
            return True
        if site.client == "function":
            origin = self.imports.names.get(getattr(site.node.func, "id", ""))
            return origin is not None and origin[0] == "requests"
        if site.client != "object":
            return False
        made = self.constructions(_receiver(site.node), site.call.scope)
        return bool(made) and all(
            self.factory_of(call) in ("requests.Session", "compat") for call in made
        )

    # --- what kind of call ---------------------------------------------------------------

    def _shape(
        self, call: CallFacts
    ) -> (
        tuple[
            Literal["http", "wrapper", "helper", "urllib"],
            Literal["requests", "httpx", "object", "function", "urllib"],
            str | None,
            str | None,
            str | None,
            ast.expr | None,
            ast.expr,
        ]
        | None
    ):
        node = call.node
        func = node.func
        verb: str | None = None
        client: Literal["requests", "httpx", "object", "function", "urllib"]
        receiver = None
        if isinstance(func, ast.Attribute):
            verb = func.attr
            if verb not in VERBS and verb != "request":
                if verb == "urlopen" or (
                    verb == "Request" and dotted(func.value) == "urllib.request"
                ):
                    return _urllib(node)
                return None
            module = next(
                (m for m in HTTP_MODULES if self.imports.module_alias(func.value, m)), None
            )
            if module == "requests":
                client = "requests"
            elif module == "httpx":
                client = "httpx"
            else:
                client = "object"
                receiver = dotted(func.value)
        elif isinstance(func, ast.Name):
            origin = self.imports.names.get(func.id)
            if origin and origin[0] in HTTP_MODULES and origin[1] in (*VERBS, "request"):
                verb, client = origin[1], "function"
            elif origin and origin[0] == "urllib.request" and origin[1] in ("urlopen", "Request"):
                return _urllib(node)
            else:
                return None
        else:
            return None
        method_node: ast.expr | None = None
        if verb == "request":
            method_node = _argument(node, 0, "method")
            url_node = _argument(node, 1, "url")
            method = _constant_str(method_node)
            method = method.upper() if method else None
        else:
            url_node = _argument(node, 0, "url")
            method = verb.upper() if verb else None
        if url_node is None:
            return None
        return "http", client, receiver, verb, method, method_node, url_node

    def _helper(self, call: CallFacts) -> Site | None:
        """A call that passes a legacy path literal to something other than an HTTP client."""
        for arg in call.node.args:
            text = _constant_str(arg)
            if (
                text is None
                or not text.startswith("/")
                or not self.index.looks_like_legacy_path(text)
            ):
                continue
            template = Template((Text(text, True),), "literal", arg)
            resolution = self._resolve(template, "GET", "function", False, helper=True)
            if resolution is None:
                continue
            func = call.node.func
            name = dotted(func) if isinstance(func, ast.Name | ast.Attribute) else None
            return self._complete(
                call, "helper", "function", name, None, "GET", None, arg, template, resolution
            )
        return None

    def _legacy_base_url(self, construction: ast.Call, scope: Scope) -> bool:
        base_url = _keyword(construction, "base_url")
        return base_url is not None and self.evaluator.base_of(base_url, scope) is not None

    def constructions(self, node: ast.expr | None, scope: Scope) -> list[ast.Call]:
        """The `requests.Session()` / `httpx.Client(...)` calls a receiver is bound to."""
        if node is None:
            return []
        if isinstance(node, ast.Name):
            bindings = self.evaluator.bindings(node.id, scope)
        elif isinstance(node, ast.Attribute):
            bindings = self.evaluator.attribute_bindings(node, scope)
        else:
            bindings = None
        found = []
        for binding in bindings or []:
            if binding.value is None:
                continue
            for value in _alternatives(binding.value):
                if isinstance(value, ast.Call) and self.factory_of(value):
                    found.append(value)
        return found

    def factory_of(self, call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Attribute):
            module_name = dotted(func.value)
            for module in HTTP_MODULES:
                if self.imports.module_alias(func.value, module):
                    return CLIENT_FACTORIES.get((module, func.attr))
            if module_name == "migrate.compat":
                return CLIENT_FACTORIES.get((module_name, func.attr))
        elif isinstance(func, ast.Name):
            origin = self.imports.names.get(func.id)
            if origin is not None:
                return CLIENT_FACTORIES.get(origin)
        return None

    # --- resolving the URL -----------------------------------------------------------------

    def _resolve(
        self,
        template: Template,
        method: str | None,
        client: str,
        legacy_client: bool,
        helper: bool = False,
    ) -> Resolution | None:
        parts = list(template.parts)
        if not parts:
            return None
        first = parts[0]
        environment = None
        host_own = False
        how: How
        if isinstance(first, Base):
            how = "base"
            if first.value:
                found = LEGACY_BASE.match(first.value)
                environment = environment_of_host(found["host"]) if found else None
            rest = parts[1:]
            if first.value is None and not self._legacy_rest(rest):
                return None  # a base we only guess at needs a legacy path after it
        elif isinstance(first, Text | Hole) and _text_of(first) is not None:
            text = _text_of(first)
            assert text is not None
            found = LEGACY_BASE.match(text)
            if found and (
                found.end() == len(text)
                or text[found.end() - 1] == "/"
                or text[found.end()] in "/?"
            ):
                environment = environment_of_host(found["host"])
                host_own = isinstance(first, Text) and first.own
                how = "literal host" if host_own else "constant"
                remainder = text[found.end() :]
                if found["slash"]:
                    remainder = "/" + remainder
                if remainder and not remainder.startswith(("/", "?")):
                    return None
                rest = ([Text(remainder, host_own)] if remainder else []) + parts[1:]
            elif legacy_client and text.startswith("/"):
                how, rest = "client base_url", parts
            elif (
                isinstance(first, Text)
                and first.own
                and text.startswith("/")
                and self.index.looks_like_legacy_path(text)
                and (client in ("object", "function") or helper)
            ):
                how, rest = ("helper" if helper else "wrapper"), parts
            else:
                return None
        elif isinstance(first, Hole) and len(parts) > 1:
            second = parts[1]
            if not (
                isinstance(second, Text)
                and second.value.startswith("/")
                and self.index.looks_like_legacy_path(second.value)
                and client != "urllib"
            ):
                return None
            how = "base"
            parts[0] = Base(None, _short(first.node), first.node, first.field)
            rest = parts[1:]
        else:
            return None
        return self._match(how, rest, method, environment, host_own)

    def _legacy_rest(self, rest: list[Part]) -> bool:
        if not rest or not isinstance(rest[0], Text):
            return True  # the path is chosen at run time: that is for PLM101 to say
        return self.index.looks_like_legacy_path(rest[0].value)

    def _match(
        self,
        how: How,
        rest: list[Part],
        method: str | None,
        environment: str | None,
        host_own: bool,
    ) -> Resolution | None:
        path_parts: list[Part] = []
        query_parts: list[Part] = []
        in_query = False
        for part in rest:
            if in_query:
                query_parts.append(part)
            elif isinstance(part, Text) and "?" in part.value:
                before, after = part.value.split("?", 1)
                if before:
                    path_parts.append(Text(before, part.own))
                query_parts.append(Text(after, part.own))
                in_query = True
            else:
                path_parts.append(part)
        tokens: dict[str, Part] = {}
        chunks = []
        editable = True
        for part in path_parts:
            if isinstance(part, Text):
                chunks.append(part.value)
                editable = editable and part.own
            elif isinstance(part, Hole) and part.value is not None:
                chunks.append(part.value)  # a name with a known value: kept as written
                editable = False
            else:
                token = TOKEN.format(len(tokens))
                tokens[token] = part
                chunks.append(token)
        path = "".join(chunks)
        slash = path.startswith("/")
        normalised = "/" + path.lstrip("/")
        if normalised == LEGACY_BASE_PATH or normalised.startswith(LEGACY_BASE_PATH + "/"):
            normalised = normalised[len(LEGACY_BASE_PATH) :] or "/"
        match = self.index.match(method, normalised) if method else None
        if match is None and self.index.is_new_path("/" + path.lstrip("/")):
            return None  # already a new-API path (on a base not rewritten yet)
        status: Status
        if method is None:
            status = "unknown-method"
        elif match is None:
            status = "dynamic" if tokens else "unknown-path"
        else:
            status = "matched"
            used = "".join(match.path_params.values())
            if any(token not in used for token in tokens):
                status, match = "dynamic", None
        display_path = _TOKEN.sub(
            lambda m: "{" + self._hole_text(tokens[m.group(0)]) + "}", LEGACY_BASE_PATH + normalised
        )
        display = f"{method or '?'} {display_path}"
        return Resolution(
            how,
            status,
            match,
            environment,
            host_own,
            path_parts,
            query_parts,
            editable,
            slash,
            tokens,
            display,
        )

    def _hole_text(self, part: Part) -> str:
        node = part.node if isinstance(part, Base | Hole) else None
        if node is None:
            return "…"
        text = self.source.text
        start = self.source.offset(node.lineno, node.col_offset)
        end = self.source.offset(node.end_lineno or node.lineno, node.end_col_offset or 0)
        snippet = " ".join(text[start:end].split())
        return snippet if len(snippet) <= 30 else "…"

    # --- query parameters ------------------------------------------------------------------

    def _query(self, call: CallFacts, resolution: Resolution) -> QuerySource:
        items: list[QueryItem] = []
        static, reason = True, None
        url_query = False
        if resolution.query:
            url_query = True
            url_items = _url_query_items(resolution.query)
            if url_items is None:
                static, reason = False, "the query string in the URL is built at run time"
            else:
                items.extend(url_items)
        params = _keyword(call.node, "params")
        params_dict = None
        if params is not None:
            params_dict = self._editable_dict(params, call.scope)
            if params_dict is None:
                static, reason = False, "the query parameters are built at run time"
            else:
                for key, value in zip(params_dict.keys, params_dict.values, strict=True):
                    assert isinstance(key, ast.Constant) and isinstance(key.value, str)
                    is_literal = isinstance(value, ast.Constant)
                    literal = value.value if isinstance(value, ast.Constant) else None
                    items.append(QueryItem(key.value, "params", value, literal, is_literal, key))
        return QuerySource(items, static, reason, params, params_dict, url_query)

    def _editable_dict(self, node: ast.expr, scope: Scope) -> ast.Dict | None:
        """A dict display with literal string keys: the node itself or a local used once."""
        if isinstance(node, ast.Name):
            binding = self.evaluator.single_use(node.id, scope)
            if binding is None or binding.value is None:
                return None
            node = binding.value
        if not isinstance(node, ast.Dict):
            return None
        for key in node.keys:
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None
        return node

    # --- the response ------------------------------------------------------------------------

    def _response(self, call: CallFacts) -> ResponseUse:
        use = ResponseUse()
        root: ast.expr = call.node
        parent = self.facts.parent(root)
        if isinstance(parent, ast.Await):
            root, parent = parent, self.facts.parent(parent)
        if isinstance(parent, ast.Expr):
            return use
        use.used = True
        json_call = _json_call(self.facts, root)
        if json_call is not None:
            self._json_uses(json_call, call.scope, use)
            return use
        if (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            name = parent.targets[0].id
            bindings = self.evaluator.bindings(name, call.scope) or []
            if len(bindings) != 1:
                use.escapes.append(f"`{name}` is assigned more than once")
                return use
            for load in call.scope.function_scope().loads.get(name, []):
                holder = self.facts.parent(load)
                json_of_load = _json_call(self.facts, load)
                if json_of_load is not None:
                    self._json_uses(json_of_load, call.scope, use)
                elif isinstance(holder, ast.Attribute) and holder.attr in HARMLESS_RESPONSE_ATTRS:
                    continue
                elif isinstance(holder, ast.Attribute):
                    use.escapes.append(f"the body is read as `{name}.{holder.attr}`")
                else:
                    use.escapes.append(f"the response `{name}` is passed on")
            return use
        use.escapes.append("the response is passed on")
        return use

    def _json_uses(self, json_call: ast.Call, scope: Scope, use: ResponseUse) -> None:
        body: ast.expr = json_call
        parent = self.facts.parent(json_call)
        if isinstance(parent, ast.Await):  # aiohttp: `await response.json()`
            body, parent = parent, self.facts.parent(parent)
        use.json_calls.append(body)
        if (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            name = parent.targets[0].id
            bindings = self.evaluator.bindings(name, scope) or []
            if len(bindings) != 1:
                use.escapes.append(f"`{name}` is assigned more than once")
                return
            for load in scope.function_scope().loads.get(name, []):
                self._read(load, load, use, f"the body `{name}` is passed on")
            return
        self._read(body, body, use, "the body is passed on")

    def _read(self, node: ast.expr, base: ast.expr, use: ResponseUse, escape: str) -> None:
        key, holder = _key_access(self.facts, node)
        if key is None or holder is None:
            use.escapes.append(escape)
            return
        use.reads.append(KeyRead(holder, key, base))
        if key == "metadata":
            chain = _meta_chain(self.facts, holder)
            if chain is not None:
                use.next_offsets.append(chain)
            else:
                use.other_meta.append(holder)

    # --- paging loops ------------------------------------------------------------------------

    def _paging_loop(self, site: Site) -> tuple[PagingLoop | None, str | None]:
        item = site.query.get("pageOffset")
        assert item is not None
        loop = site.call.loop
        if item.is_literal:
            return None, None
        if loop is None:
            return None, "the offset is not set in a loop around the call"
        if not isinstance(loop, ast.While):
            return None, "the offset loop is a `for` loop"
        if item.where != "params":
            return None, "the offset is written into the URL; the first request must leave it out"
        if not (isinstance(item.value, ast.Name)):
            return None, "pageOffset is not a plain variable"
        var = item.value.id
        scope = site.call.scope.function_scope()
        init: ast.Constant | None = None
        chain: ast.expr | None = None
        for binding in scope.bindings.get(var, []):
            stmt = binding.stmt
            if binding.kind != "assign" or stmt is None or binding.value is None:
                return None, f"`{var}` is changed in a way the codemod does not follow"
            inside = any(ancestor is loop for ancestor in self.facts.ancestors(stmt))
            if inside and binding.value in site.response.next_offsets:
                chain = binding.value
            elif (
                not inside
                and isinstance(binding.value, ast.Constant)
                and binding.value.value == 0
                and init is None
            ):
                init = binding.value
            else:
                return None, f"`{var}` is set from something other than nextPageOffset"
        if chain is None or init is None:
            return None, "the loop does not start at offset 0 and follow nextPageOffset"
        if not (isinstance(loop.test, ast.Constant) and loop.test.value is True):
            return (
                None,
                "the loop condition tests the offset (only `while True:` loops are rewritten)",
            )
        for load in scope.loads.get(var, []):
            if load is item.value:
                continue
            if not _truthiness_use(self.facts, load):
                return None, f"`{var}` is used as a number"
        base = _chain_base(chain)
        style: Literal["subscript", "get"] = "get" if isinstance(chain, ast.Call) else "subscript"
        return PagingLoop(loop, var, chain, base, style, init), None


# --- helpers ---------------------------------------------------------------------------------


def _urllib(
    node: ast.Call,
) -> tuple[Literal["urllib"], Literal["urllib"], None, None, str, None, ast.expr] | None:
    url = _argument(node, 0, "url")
    if url is None:
        return None
    method = _constant_str(_keyword(node, "method"))
    data = _argument(node, 1, "data")
    return (
        "urllib",
        "urllib",
        None,
        None,
        (method or ("POST" if data else "GET")).upper(),
        None,
        url,
    )


def _relative(template: Template) -> bool:
    first = template.parts[0] if template.parts else None
    return isinstance(first, Text) and first.value.startswith("/")


def _receiver(call: ast.Call) -> ast.expr | None:
    return call.func.value if isinstance(call.func, ast.Attribute) else None


def receiver_of(site: Site) -> ast.expr | None:
    """The expression a method call is made on (`self.session` in `self.session.get(…)`)."""
    return _receiver(site.node)


def _alternatives(node: ast.expr) -> list[ast.expr]:
    """`a or b` and `a if c else b` can be either side."""
    if isinstance(node, ast.BoolOp):
        return [item for value in node.values for item in _alternatives(value)]
    if isinstance(node, ast.IfExp):
        return [*_alternatives(node.body), *_alternatives(node.orelse)]
    return [node]


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if len(call.args) > position and not any(
        isinstance(arg, ast.Starred) for arg in call.args[: position + 1]
    ):
        return call.args[position]
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _constant_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _text_of(part: Part) -> str | None:
    if isinstance(part, Text):
        return part.value
    if isinstance(part, Hole):
        return part.value
    return None


def _short(node: ast.expr) -> str:
    text = dotted(node)
    return text if text else "expression"


def _url_query_items(parts: list[Part]) -> list[QueryItem] | None:
    tokens: dict[str, Part] = {}
    chunks = []
    for part in parts:
        if isinstance(part, Text):
            chunks.append(part.value)
        else:
            token = TOKEN.format(len(tokens))
            tokens[token] = part
            chunks.append(token)
    items = []
    for pair in "".join(chunks).split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        if _TOKEN.search(key):
            return None
        token_match = _TOKEN.fullmatch(value)
        if token_match:
            hole = tokens[value]
            node = hole.node if isinstance(hole, Base | Hole) else None
            items.append(QueryItem(key, "url", node, None, False))
        elif _TOKEN.search(value):
            return None
        else:
            items.append(QueryItem(key, "url", None, value, True))
    return items


def _json_call(facts: ModuleFacts, node: ast.expr) -> ast.Call | None:
    """`node.json()` (or `(await node).json()`), if that is how `node` is used."""
    parent = facts.parent(node)
    if isinstance(parent, ast.Attribute) and parent.attr == "json":
        call = facts.parent(parent)
        if isinstance(call, ast.Call) and call.func is parent and not call.args:
            return call
    return None


def _key_access(facts: ModuleFacts, node: ast.expr) -> tuple[str | None, ast.expr | None]:
    parent = facts.parent(node)
    if (
        isinstance(parent, ast.Subscript)
        and parent.value is node
        and isinstance(parent.slice, ast.Constant)
        and isinstance(parent.slice.value, str)
        and isinstance(parent.ctx, ast.Load)
    ):
        return parent.slice.value, parent
    if isinstance(parent, ast.Attribute) and parent.attr == "get":
        call = facts.parent(parent)
        if (
            isinstance(call, ast.Call)
            and call.func is parent
            and call.args
            and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str)
        ):
            return call.args[0].value, call
    return None, None


def _meta_chain(facts: ModuleFacts, metadata: ast.expr) -> ast.expr | None:
    """`X["metadata"]["pageInfo"]["nextPageOffset"]` (or the `.get` chain) from its first step."""
    key, page_info = _key_access(facts, metadata)
    if key != "pageInfo" or page_info is None:
        return None
    key, offset = _key_access(facts, page_info)
    if key != "nextPageOffset" or offset is None:
        return None
    return offset


def _chain_base(chain: ast.expr) -> ast.expr:
    node = chain
    for _ in range(3):
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
    return node


def _truthiness_use(facts: ModuleFacts, load: ast.Name) -> bool:
    """`x is None`, `x is not None`, `not x`, `if x:`, `while x:`, `x and …`."""
    parent = facts.parent(load)
    if isinstance(parent, ast.Compare):
        return (
            len(parent.ops) == 1
            and isinstance(parent.ops[0], ast.Is | ast.IsNot)
            and isinstance(parent.comparators[0], ast.Constant)
            and parent.comparators[0].value is None
        )
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, ast.If | ast.While | ast.IfExp) and parent.test is load:
        return True
    return isinstance(parent, ast.BoolOp)
