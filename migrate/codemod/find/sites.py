"""Legacy call sites: which calls reach the legacy API, and everything the rules ask about them.

A call is a legacy call site when its URL evaluates to something on a legacy host (directly,
through a base-URL constant, attribute or environment variable, or through an httpx client
created with a legacy `base_url`), or when it passes a legacy path literal (`"/expenses"`)
through a wrapper or helper in a module that talks about Pleo. For each site we work out the
operation (or that the path is chosen at run time), where its query parameters live, how its
response body is read, and whether it sits in a recognised `nextPageOffset` loop.

`SiteFinder` decides what kind of call each call is and puts a `Site` together; the work is
done by its collaborators: `resolve` (clients, URL, operation), `queries`, `responses` and
`paging_loops`.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from functools import partial

from migrate.codemod.find.evaluate import Base, Evaluator, Hole, Part, Template, Text
from migrate.codemod.find.facts import CallFacts, ModuleFacts, Scope, dotted
from migrate.codemod.find.hosts import LEGACY_BASE, LEGACY_HOST_IN_TEXT, LEGACY_HOST_ONLY, NEW_HOSTS
from migrate.codemod.find.index import CatalogueIndex
from migrate.codemod.find.paging_loops import paging_loop
from migrate.codemod.find.partials import partial_call, partial_problem, partial_target
from migrate.codemod.find.queries import editable_dict, query_source
from migrate.codemod.find.resolve import Clients, UrlResolver
from migrate.codemod.find.responses import ResponseReader
from migrate.codemod.find.site import (
    CLIENT_NAMES,
    HTTP_MODULES,
    VERBS,
    ClientKind,
    Resolution,
    Shape,
    Site,
    argument,
    call_receiver,
    constant_str,
    keyword,
)
from migrate.codemod.find.url_helpers import UrlHelpers
from migrate.codemod.find.value_sets import ValueSet, ValueSets
from migrate.codemod.find.wrappers import (
    KEYWORDS,
    RequestHelper,
    helper_called,
    request_helpers,
)
from migrate.codemod.text.source import Source
from migrate.pleo import LEGACY_NEXT_OFFSET


class SiteFinder:
    """Finds the legacy call sites of one module."""

    def __init__(self, facts: ModuleFacts, source: Source, index: CatalogueIndex) -> None:
        self.facts = facts
        self.source = source
        self.index = index
        self.legacy_module = names_legacy_host(facts)
        self.evaluator = Evaluator(facts, source.text if self.legacy_module else None)
        self.url_helpers = UrlHelpers(facts, self.evaluator)
        self.evaluator.url_helper = self.url_helpers
        self.imports = facts.imports
        self.clients = Clients(self.evaluator, self.imports)
        self.urls = UrlResolver(index, source)
        self.responses = ResponseReader(facts, self.evaluator)
        self.other_http = 0
        self.unsure: list[ast.Call] = []  # HTTP calls whose URL may reach the legacy API
        self.new_api_only = new_api_only(facts)
        self.helpers: list[RequestHelper] = []
        self.value_sets = ValueSets(facts, self.evaluator)
        self.partial_problems: dict[ast.Call, str | None] = {}  # calls through a partial

    def find(self) -> list[Site]:
        sites = []
        self.other_http = 0  # HTTP calls to something other than the legacy API
        self.unsure = []
        self.helpers = (
            []
            if self.new_api_only
            else request_helpers(self.facts, self.evaluator, self.clients, self._shape)
        )
        self.helpers = [h for h in self.helpers if not h.url or self._url_helper_in_use(h)]
        inner = {helper.inner for helper in self.helpers}
        for call in self.facts.calls:
            if self.clients.session_carrier(call.node):
                self.other_http += 1  # a Session subclass's own send: its callers are the sites
                continue
            if call.node in inner:
                # its callers are the sites; it only carries their base and auth
                carrier = self._site(call)
                shape = self._shape(call)
                if carrier is None and shape is not None:
                    carrier = self._unfollowed(call, shape)
                if carrier is not None:
                    carrier.carries = next(h.name for h in self.helpers if h.inner is call.node)
                    sites.append(carrier)
                continue
            helper = helper_called(call.node, self.helpers, self.facts) if self.helpers else None
            if helper is not None:
                found = self._helper_site(call, helper)
                if found is None:
                    self.other_http += 1  # a new-API path: moved by an earlier run
                else:
                    sites.append(found)
                continue
            site = self._site(call)
            if site is not None:
                sites.append(site)
                continue
            shape = self._shape(call)
            if shape is None:
                continue
            if self._elsewhere(shape, call) or not self._http_client(shape, call):
                self.other_http += 1
            elif self.legacy_module and not self._url_from_helper(shape, call):
                sites.append(self._unfollowed(call, shape))
            elif self.legacy_module:
                self.other_http += 1  # `get(self._url("/expenses"))`: the path's site says it
            else:
                self.other_http += 1
                self.unsure.append(call.node)
        # `self._url("/expenses")` given to a call that is a site: part of that site's URL;
        # `_list("/employees", "employees")` whose literal is a value of a generic call: its
        # variant (`value_sets.py`)
        urls = {id(site.template.root) for site in sites if site.template.form == "url helper"}
        urls |= {id(choice.node) for site in sites if site.value_set is not None
                 for choice in site.value_set.choices}
        return [site for site in sites if site.kind != "helper" or (
            id(site.node) not in urls and id(site.url_node) not in urls)]

    def _sent_by(self, call: CallFacts) -> str:
        """The HTTP method of the request whose URL this call makes (`session.put(self._url(…))`:
        PUT), else GET."""
        outer = self.facts.parent(call.node)
        if isinstance(outer, ast.Call) and outer.args and outer.args[0] is call.node:
            shape = self._shape(replace(call, node=outer))
            if shape is not None and shape.kind == "http" and shape.verb != "request":
                return shape.method or "GET"
        return "GET"

    def _url_from_helper(self, shape: Shape, call: CallFacts) -> bool:
        """Whether the URL is the result of a helper given a legacy path literal, which is a
        site of its own (`self._url("/expenses")`)."""
        url = shape.url_node
        if not isinstance(url, ast.Call):
            return False
        return self.urls.helper_path(replace(call, node=url)) is not None

    def _new_api_path(self, template: Template) -> bool:
        chunks = [
            part.value if isinstance(part, Text) else (part.value or "x") if isinstance(part, Hole)
            else ""
            for part in template.parts
        ]
        url = "".join(chunks).split("?", 1)[0]
        found = LEGACY_BASE.match(url)
        path = url[found.end() :] if found else url
        if template.parts and isinstance(template.parts[0], Base):
            path = "/" + path.lstrip("/")  # after a trailing-slash base (`…/v1/`, `…io/`)
        elif not path.startswith(("/", "http:", "https:")):
            path = "/" + path  # `client.get("v2/employees")` on a client whose base ends in `/`
        return path.startswith("/") and self.index.is_new_path(path)

    def _http_client(self, shape: Shape, call: CallFacts) -> bool:
        """Whether the call is made on an HTTP client (not `os.environ.get`, a dict read)."""
        key = constant_str(shape.url_node)
        if key is not None and not key.startswith(("http", "/")):
            return False
        if shape.client != "object":
            return True
        receiver = call_receiver(call.node)
        if self.clients.constructions(receiver, call.scope):
            return True
        name = (dotted(receiver) or "") if receiver is not None else ""
        return name.rsplit(".", 1)[-1].lower().endswith(CLIENT_NAMES)

    def _unfollowed(self, call: CallFacts, shape: Shape) -> Site:
        """An HTTP call of a module that names a legacy host, whose URL the codemod cannot
        follow (chosen in branches, built by a helper): a site whose path is chosen at run
        time, so that it is reported and keeps the module's host and auth where they are."""
        template = self.evaluator.template(shape.url_node, call.scope)
        url = " ".join((ast.get_source_segment(self.source.text, shape.url_node) or "…").split())
        display = f"{shape.method or '?'} {url if len(url) <= 40 else '…'}"
        resolution = Resolution(
            "constant", "dynamic", None, None, False, [], [], False, False, {}, display
        )
        return self._complete(call, shape, template, resolution)

    def _helper_site(self, call: CallFacts, helper: RequestHelper) -> Site | None:
        """A call of a request helper: the path, method, query and body written at the call;
        None for a new-API path (`"/v2/employees"`, moved while the helper's base stays)."""
        node = call.node
        params = helper.caller_params
        path_node = argument(node, helper.path_index, params[helper.path_index])
        method_node: ast.expr | None = None
        method = helper.method
        if helper.method_index is not None:
            method_node = argument(node, helper.method_index, params[helper.method_index])
            literal = constant_str(method_node)
            method = literal.upper() if literal else None
        func = node.func
        receiver = dotted(func.value) if isinstance(func, ast.Attribute) else None
        verb = "request" if helper.method_index is not None else (helper.method or "").lower()
        shape = Shape(
            "wrapper", "object", receiver, verb, method, method_node, path_node or node
        )
        problem = _helper_problem(node, helper, params)
        template = self.evaluator.template(shape.url_node, call.scope)
        resolution = None
        if path_node is not None and helper.url:  # a whole URL: resolved as an inline call's
            resolution = self.urls.resolve(template, method, "requests", False)
        elif path_node is not None:
            resolution = self.urls.resolve(template, method, "object", True)
            first = template.parts[0] if template.parts else None
            if resolution is None and isinstance(first, Text) and first.own and first.value:
                # "expenses" on a base that ends in a slash: matched as "/expenses", rebuilt bare
                slashed = replace(template, parts=(Text("/" + first.value, True),
                                                   *template.parts[1:]))
                resolution = self.urls.resolve(slashed, method, "object", True)
                if resolution is not None:
                    resolution.slash = False
                    resolution.path[0] = first
        first = template.parts[0] if template.parts else None
        bare = isinstance(first, Text) and not first.value.startswith("/")
        rooted = replace(template, parts=(Text("/", True), *template.parts)) if bare else template
        if resolution is None and path_node is not None and self._new_api_path(rooted):
            return None
        if resolution is None:
            site = self._unfollowed(call, shape)
            if helper.url and problem is None:
                elsewhere = self._elsewhere(replace(shape, client="requests"), call)
                problem = _unfollowed_url(helper, elsewhere)
        else:
            params_at = _positional_params(node, helper, params)
            site = self._complete(call, shape, template, resolution, helper, params_at)
            op = site.facts.operation if site.facts is not None else None
            if problem is not None and op is not None and op.kind == "merge-update":
                # PLM012 hands a merge-update's patch on as the helper's body (`_call(m, p, b)`)
                problem = _helper_problem(node, helper, params, body=True)
        site.helper = helper.name
        site.helper_problem = problem
        if isinstance(helper.function, ast.AsyncFunctionDef) and site.response.used and not (
            isinstance(self.facts.parent(node), ast.Await)
        ):  # `gather(*(helper(u) for u in urls))`: the bodies are the gathered results
            gathered = self.responses.gathered_use(call, helper.returns)
            if gathered is not None:
                site.response = gathered
                return site
            escape = f"`{helper.name}(…)` is read as a coroutine awaited elsewhere"
            site.response.escapes.append(escape)
            site.response.json_calls.clear()  # no body to read the envelope from at the call
        return site

    def _url_helper_in_use(self, helper: RequestHelper) -> bool:
        """A URL helper counts when some call of it passes a URL on the legacy API."""
        for call in self.facts.calls:
            if helper_called(call.node, [helper], self.facts):
                site = self._helper_site(call, helper)
                if site is not None and site.resolution.status != "dynamic":
                    return True
        return False

    def _elsewhere(self, shape: Shape, call: CallFacts) -> bool:
        """Whether an HTTP call that is not a site provably goes somewhere else: its URL
        starts with a known non-legacy host, or is relative to a client of another base."""
        branches = self.evaluator.branches(shape.url_node, call.scope)
        if branches:  # a URL assigned in branches goes elsewhere when each branch does
            return all(self._goes_elsewhere(template, shape) for template in branches)
        template = self.evaluator.template(shape.url_node, call.scope)
        elsewhere = (
            self._goes_elsewhere(template, shape)
            or self._on_new_base(template, call)
            or (self.legacy_module and self._every_sample_elsewhere(shape.url_node, call))
        )
        # `f"https://{os.getenv('HOST', 'openapi.pleo.io')}/v1/…"` starts like another host's
        # URL: asked only of a call that looks elsewhere, so other calls cost nothing more
        return elsewhere and (
            self._new_api_path(template)
            or not any(
                LEGACY_HOST_IN_TEXT.match(url)
                for url in self.evaluator.samples(shape.url_node, call.scope)
            )
        )

    def _on_new_base(self, template: Template, call: CallFacts) -> bool:
        """Whether the URL starts with a name read from the environment with a new-API host as
        its default (the base a split call moved onto: `NEW_API_BASE = os.environ.get(
        "PLEO_NEW_API_URL", "https://external.pleo.io")`)."""
        first = template.parts[0] if template.parts else None
        if not isinstance(first, Hole) or not isinstance(first.node, ast.Name):
            return False
        values = self.evaluator.name_values(first.node, call.scope)
        if not values:
            return False
        for value in values:
            env = self.evaluator.env_lookup(value)
            default = None if env is None or env[1] is None else (
                self.evaluator.static_str(env[1], call.scope)
            )
            if default is None or not default.startswith(tuple(NEW_HOSTS.values())):
                return False
        return True

    def _goes_elsewhere(self, template: Template, shape: Shape) -> bool:
        if self._new_api_path(template):
            return True  # already moved to a new-API path (its base moves with the module)
        first = template.parts[0] if template.parts else None
        if isinstance(first, Text) and LEGACY_HOST_IN_TEXT.match(first.value):
            return False
        if LEGACY_HOST_IN_TEXT.match(_static_prefix(template)):
            return False  # `f"https://{HOST}/v1/…"`: the host is a piece known before run time
        if isinstance(first, Text):
            return first.value.startswith(("http://", "https://")) or (
                shape.client == "object" and _relative(template)
            )
        return isinstance(first, Hole) and first.value is not None and (
            first.value.startswith(("http://", "https://"))
        )

    def _every_sample_elsewhere(self, node: ast.expr, call: CallFacts) -> bool:
        """Whether every URL the expression can be (`API_ROOT` set for production and re-set
        under `if staging`, then `.format`-ed) is another host's or a new-API path."""
        for url in self.evaluator.samples(node, call.scope):
            found = LEGACY_BASE.match(url)
            if found:
                if not self.index.is_new_path("/" + url[found.end() :].lstrip("/").split("?")[0]):
                    return False
            elif not url.startswith(("http://", "https://")):
                return False
        return True

    def _site(self, call: CallFacts) -> Site | None:
        shape = self._shape(call)
        if shape is None:
            found = None if self.new_api_only else self.urls.helper_path(call, self._sent_by(call))
            return None if found is None else self._complete(call, *found)
        template = self.evaluator.template(shape.url_node, call.scope)
        made = (
            self.clients.constructions(call_receiver(call.node), call.scope)
            if shape.client == "object"
            else []
        )
        session = (
            self.clients.own_session(call_receiver(call.node), call.scope)
            if shape.client == "object"
            else None
        )
        legacy_client = any(
            self.clients.legacy_base_url(construction, call.scope) for construction in made
        ) or (session is not None and session.legacy)
        if (made or session) and not legacy_client and _relative(template):
            return None  # a client of this module with another base URL: not a wrapper
        resolution = self.urls.resolve(template, shape.method, shape.client, legacy_client)
        if resolution is None or resolution.status == "dynamic":
            branched = self._branched(call, shape, legacy_client)
            if branched is not None:
                return branched
        if resolution is None or resolution.status == "dynamic":
            generic = self._generic(call, shape, template, resolution, legacy_client)
            if generic is not None:
                return generic
        if resolution is None or (resolution.how == "wrapper" and self.new_api_only):
            return None
        if resolution.how == "wrapper":
            shape = replace(shape, kind="wrapper")
        return self._complete(call, shape, template, resolution)

    def _branched(self, call: CallFacts, shape: Shape, legacy_client: bool) -> Site | None:
        """A call whose URL variable is assigned in branches: one site, with the other URLs
        it can take as its alternatives, when every one of them reaches the legacy API."""
        templates = self.evaluator.branches(shape.url_node, call.scope)
        if templates is None:
            return None
        found = []
        urls = [template.root for template in templates]
        for template in templates:
            resolution = self.urls.resolve(template, shape.method, shape.client, legacy_client)
            if resolution is None:
                return None
            # `key = "employees"` next to the branch's URL: the envelope that branch reads
            self.responses.companion = partial(self.value_sets.branch_companion,
                                               url=template.root, urls=urls)
            try:
                found.append(self._complete(call, shape, template, resolution))
            finally:
                self.responses.companion = None
        first, *others = found
        paths = " | ".join(site.resolution.display.split(" ", 1)[-1] for site in found)
        first.resolution = replace(first.resolution, display=f"{shape.method or '?'} {paths}")
        first.alternatives = tuple(others)
        return first

    def _generic(
        self,
        call: CallFacts,
        shape: Shape,
        template: Template,
        resolution: Resolution | None,
        legacy_client: bool,
    ) -> Site | None:
        """A call whose path part its callers choose from a finite set (`value_sets.py`): one
        site with a variant per value, those with a new-API equivalent first; or, when the set
        is open, the dynamic site that knows which caller or value leaves it open."""
        opened: tuple[Hole, ValueSet] | None = None
        if self.new_api_only or self._on_new_base(template, call):
            return None
        for hole in template.parts[1:]:
            if not isinstance(hole, Hole) or (hole.value is not None and not _class_read(hole)):
                continue
            found = self.value_sets.of(hole.node, call.scope)
            if found is None:
                continue
            variants: list[Site] = []
            elsewhere: list[str] = []  # values that are no legacy path (a new-API one, …)
            for value in found.values:  # an open set lists values only for a public function
                own = replace(template, parts=_filled(template.parts, hole, value))
                resolved = self.urls.resolve(own, shape.method, shape.client, legacy_client)
                if resolved is None or self._goes_elsewhere(own, shape):
                    elsewhere.append(value)
                    continue
                variant = self._with_companions(call, shape, own, resolved, found, value)
                variant.value = value
                variants.append(variant)
            if elsewhere and not variants:
                continue  # no value reaches the legacy API through this part
            if elsewhere:
                found = replace(found, unknown=f"`{elsewhere[0]}` is no legacy path")
            if not variants:
                opened = opened or (hole, found)
                continue
            variants.sort(key=lambda v: v.facts is None or v.facts.operation.new is None)
            first, *others = variants
            shown = ", ".join(found.values)
            generic = resolution.display if resolution is not None else first.resolution.display
            display = f"{generic} ({found.name}: {shown})"
            first.resolution = replace(first.resolution, display=display)
            first.alternatives = tuple(others)
            first.value_set, first.value_hole = found, hole
            return first
        if opened is None or resolution is None:
            return None  # (a URL the finder does not follow stays what it was)
        site = self._complete(call, shape, template, resolution)
        site.value_set, site.value_hole = opened[1], opened[0]
        return site

    def _with_companions(
        self,
        call: CallFacts,
        shape: Shape,
        template: Template,
        resolution: Resolution,
        found: ValueSet,
        value: str,
    ) -> Site:
        """One value's site, its body read through the key the same source gives
        (`body[spec["key"]]` is `body["employees"]` for the entry whose path is `/employees`)."""
        def companion(node: ast.expr, scope: Scope) -> str | None:
            return self.value_sets.companion(node, scope, found, value)

        self.responses.companion = companion
        try:
            return self._complete(call, shape, template, resolution)
        finally:
            self.responses.companion = None

    def _complete(
        self,
        call: CallFacts,
        shape: Shape,
        template: Template,
        resolution: Resolution,
        helper: RequestHelper | None = None,
        params_at: ast.expr | None = None,
    ) -> Site:
        match = resolution.match
        op_facts = self.index.facts[match.operation.id] if match else None
        query = query_source(call, resolution, self.evaluator, params_at, helper)
        json_node = keyword(call.node, "json")
        json_dict = (
            editable_dict(json_node, call.scope, self.evaluator) if json_node is not None else None
        )
        response = self.responses.use_of(call, None if helper is None else helper.returns)
        site = Site(
            call=call,
            kind=shape.kind,
            client=shape.client,
            receiver=shape.receiver,
            verb=shape.verb,
            method=shape.method,
            method_node=shape.method_node,
            url_node=shape.url_node,
            template=template,
            resolution=resolution,
            query=query,
            json_node=json_node,
            json_dict=json_dict,
            has_data=keyword(call.node, "data") is not None,
            response=response,
            loop=None,
            loop_problem=None,
            facts=op_facts,
        )
        site.drops_none_params = self.clients.drops_none_params(site)
        site.helper_problem = self.partial_problems.get(call.node)
        if op_facts is not None and query.get("pageOffset") is not None:
            site.loop, site.loop_problem = paging_loop(site, self.facts)
        return site

    def _opens_a_request(self, call: CallFacts) -> bool:
        """`urlopen(req)` of a `Request(…)` (given inline or bound once to a name): the
        `Request` is the call site, so the `urlopen` is not a second one."""
        func = call.node.func
        if isinstance(func, ast.Attribute):
            opens = func.attr == "urlopen"
        else:
            origin = self.imports.names.get(func.id) if isinstance(func, ast.Name) else None
            opens = origin is not None and origin[1] == "urlopen"
        if not opens:
            return False
        given = argument(call.node, 0, "url")
        if isinstance(given, ast.Name):
            bindings = self.evaluator.bindings(given.id, call.scope) or []
            given = bindings[0].value if len(bindings) == 1 else None
        return isinstance(given, ast.Call) and self._is_request(given.func)

    def _is_request(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Attribute):
            return func.attr == "Request" and dotted(func.value) in ("urllib.request", "request")
        if isinstance(func, ast.Name):
            origin = self.imports.names.get(func.id)
            return origin is not None and tuple(origin[:2]) == ("urllib.request", "Request")
        return False

    def _shape(self, call: CallFacts) -> Shape | None:
        """What kind of HTTP call this is (None: not an HTTP call we know)."""
        node = call.node
        func = node.func
        verb: str | None = None
        client: ClientKind
        receiver = None
        if isinstance(func, ast.Attribute):
            held = self._partial_shape(call, func) if isinstance(func.value, ast.Name) else None
            if held is not None:  # `self._get = partial(self.session.get, timeout=9)`
                return held
            verb = func.attr
            if verb not in VERBS and verb != "request":
                if verb == "urlopen" or (
                    verb == "Request" and dotted(func.value) == "urllib.request"
                ):
                    return None if self._opens_a_request(call) else _urllib(node)
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
                return None if self._opens_a_request(call) else _urllib(node)
            else:
                return self._partial_shape(call, func)
        else:
            return None
        method_node: ast.expr | None = None
        if verb == "request":
            method_node = argument(node, 0, "method")
            url_node = argument(node, 1, "url")
            method = constant_str(method_node)
            method = method.upper() if method else None
        else:
            url_node = argument(node, 0, "url")
            method = verb.upper() if verb else None
        if url_node is None:
            return None
        return Shape("http", client, receiver, verb, method, method_node, url_node)

    def _partial_shape(self, call: CallFacts, func: ast.Name | ast.Attribute) -> Shape | None:
        """A call of `get = functools.partial(requests.get, headers=…)`: the wrapped call's
        shape, made by a plain name (its method cannot be changed at the call)."""
        wrapped = partial_target(func, call.scope, self.evaluator, self.imports)
        if wrapped is None:
            return None
        inner = self._shape(replace(call, node=partial_call(call.node, wrapped)))
        if inner is None or inner.kind != "http":
            return None
        self.partial_problems[call.node] = partial_problem(func, wrapped)  # `params=` bound
        return replace(inner, client="function", receiver=None)


def _class_read(hole: Hole) -> bool:
    """`cls.path` / `self.path`: a class attribute each subclass may set to its own value."""
    node = hole.node
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    )


def _filled(parts: tuple[Part, ...], hole: Hole, value: str) -> tuple[Part, ...]:
    """The URL's parts with one value in the hole's place, merged into the text around it
    (not `own`: the value is written elsewhere, so the URL is not rebuilt from it)."""
    out: list[Part] = []
    for part in parts:
        if part is hole:
            part = Text(value, False)
        if isinstance(part, Text) and out and isinstance(out[-1], Text) and (
            part is not parts[0] and out[-1] is not parts[0]
        ):
            out[-1] = Text(out[-1].value + part.value, False)
        else:
            out.append(part)
    return tuple(out)


def _unfollowed_url(helper: RequestHelper, elsewhere: bool) -> str:
    """Why a call of a URL helper keeps the helper's host and auth where they are."""
    if elsewhere:
        return (
            f"another host's URL: `{helper.name}` would send it the new key; give this call "
            "its own request"
        )
    return (
        f"the URL handed to `{helper.name}` is chosen at run time: pass one the codemod can "
        "read, or map it by hand"
    )


def _positional_params(node: ast.Call, helper: RequestHelper, params: list[str]) -> (
    ast.expr | None
):
    """The query a helper that forwards `params` is given by position (`_get(url, {…})`)."""
    if "params" not in helper.forwards or "params" not in params:
        return None
    index = params.index("params")
    return node.args[index] if index < len(node.args) else None


def _helper_problem(
    node: ast.Call, helper: RequestHelper, params: list[str], body: bool = False
) -> str | None:
    """Why a call of a helper cannot be rewritten at the call, whatever its operation (`body`:
    the argument the helper sends as `json=` may be given by position too)."""
    if any(isinstance(arg, ast.Starred) for arg in node.args) or any(
        item.arg is None for item in node.keywords
    ):
        return "the helper is called with *args or **kwargs"
    fixed = max(helper.path_index, -1 if helper.method_index is None else helper.method_index)
    if _positional_params(node, helper, params) is not None:
        fixed = max(fixed, params.index("params"))
    if body and helper.body_index is not None:
        fixed = max(fixed, helper.body_index)
    if len(node.args) > fixed + 1:
        extra = params[fixed + 1 : len(node.args)]
        if any(_envelope_key_param(helper, name) for name in extra):
            if _pages_itself(helper):
                return f"`{helper.name}` pages itself, given the envelope key: convert by hand"
            return f"`{helper.name}` is given the envelope key: read `data` there by hand"
        return f"`{helper.name}` is given more arguments by position than the method and path"
    named = set(params)
    for item in node.keywords:
        if item.arg not in named and item.arg not in helper.forwards and (
            KEYWORDS not in helper.forwards
        ):
            return f"`{item.arg}=` is turned into the request by `{helper.name}`: change it there"
    if helper.returns == "other":
        return f"`{helper.name}` returns something other than the response or its JSON"
    return None


def _envelope_key_param(helper: RequestHelper, name: str) -> bool:
    """Whether the helper reads a body with its parameter `name` as the key (`page[key]`,
    `payload.get(key, [])`): the envelope key handed in by each caller."""
    for node in ast.walk(helper.function):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name) and (
            node.slice.id == name
        ):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == name
        ):
            return True
    return False


def _pages_itself(helper: RequestHelper) -> bool:
    """Whether the helper follows the legacy `nextPageOffset` in its own body (a paging
    helper: `_paginate(path, key, params)` yielding `page.get(key, [])` page after page)."""
    return any(
        isinstance(node, ast.Constant) and node.value == LEGACY_NEXT_OFFSET
        for node in ast.walk(helper.function)
    )


def _static_prefix(template: Template) -> str:
    """The URL's text up to its first part known only at run time: literal text and the
    values of names that hold one string (`"https://" + HOST + "/v1/employees"`)."""
    text = ""
    for part in template.parts:
        value = part.value if isinstance(part, Text | Hole) else None
        if value is None:
            break
        text += value
    return text


def _texts(facts: ModuleFacts) -> list[str]:
    return [s.node.value for s in facts.strings
            if not s.prose and isinstance(s.node, ast.Constant) and isinstance(s.node.value, str)]


def names_legacy_host(facts: ModuleFacts) -> bool:
    """Whether code (not prose) of the module spells a legacy host (in a URL, or bare)."""
    return any(_legacy(text) for text in _texts(facts))


def _legacy(text: str) -> bool:
    return bool(LEGACY_HOST_IN_TEXT.search(text) or LEGACY_HOST_ONLY.match(text))


def new_api_only(facts: ModuleFacts) -> bool:
    """Whether the module names the new API's host and never a legacy one: its bare paths
    (`self._get("/v1/companies")`) are then new-API paths, never legacy call sites."""
    texts = _texts(facts)
    new = any(base in text for text in texts for base in NEW_HOSTS.values())
    return new and not any(_legacy(text) for text in texts)


def _urllib(node: ast.Call) -> Shape | None:
    url = argument(node, 0, "url")
    if url is None:
        return None
    method = constant_str(keyword(node, "method"))
    data = argument(node, 1, "data")
    verb = (method or ("POST" if data else "GET")).upper()
    return Shape("urllib", "urllib", None, None, verb, None, url)


def _relative(template: Template) -> bool:
    first = template.parts[0] if template.parts else None
    return isinstance(first, Text) and first.value.startswith("/")
