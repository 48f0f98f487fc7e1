"""Resolving a call: which HTTP client it is made on, and which legacy operation its URL names.

`Clients` follows a receiver back to the `requests.Session()` / `httpx.Client(…)` it was
made by. `UrlResolver` decides whether a URL template points at the legacy API (a literal
host, a base-URL constant, a client's `base_url`, a wrapper or helper given a legacy path),
splits it into path and query, and matches the path against the catalogue.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.evaluate import Base, Evaluator, Hole, Part, Template, Text
from migrate.codemod.find.facts import CallFacts, Imports, Scope, dotted
from migrate.codemod.find.hosts import LEGACY_BASE, environment_of_host
from migrate.codemod.find.index import CatalogueIndex
from migrate.codemod.find.session_classes import BasedSession, based_sessions
from migrate.codemod.find.site import (
    HTTP_MODULES,
    TOKEN,
    TOKEN_PATTERN,
    How,
    Resolution,
    Shape,
    Site,
    Status,
    call_receiver,
    constant_str,
    keyword,
)
from migrate.codemod.find.version_pieces import version_lead
from migrate.codemod.text.source import Source
from migrate.mapping import LEGACY_BASE_PATH

_HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})

CLIENT_FACTORIES = {
    ("requests", "Session"): "requests.Session",
    ("requests", "session"): "requests.Session",
    ("httpx", "Client"): "httpx.Client",
    ("httpx", "AsyncClient"): "httpx.AsyncClient",
    ("migrate.compat", "legacy_session"): "compat",
    ("migrate.compat", "legacy_client"): "compat",
    ("migrate.compat", "legacy_async_client"): "compat",
}


class Clients:
    """The HTTP client objects of one module: where a receiver was made, and by what."""

    def __init__(self, evaluator: Evaluator, imports: Imports) -> None:
        self.evaluator = evaluator
        self.imports = imports
        self._sessions: dict[str, BasedSession] | None = None

    @property
    def sessions(self) -> dict[str, BasedSession]:
        """The module's `requests.Session` subclasses that join a legacy base in `request()`."""
        if self._sessions is None:
            self._sessions = based_sessions(self.evaluator.facts, self.evaluator, self.imports)
        return self._sessions

    def session_carrier(self, call: ast.Call) -> bool:
        """Whether the call is such a subclass's own `super().request(…)`."""
        return any(session.inner is call for session in self.sessions.values())

    def own_session(self, receiver: ast.expr | None, scope: Scope) -> BasedSession | None:
        """`self.get(…)` in a method of a Session subclass that joins a base: that class."""
        function = scope.function_scope()
        if (
            isinstance(receiver, ast.Name)
            and function.klass is not None
            and receiver.id == function.self_name
        ):
            return self.sessions.get(function.klass.node.name)
        return None

    def legacy_base_url(self, construction: ast.Call, scope: Scope) -> bool:
        func = construction.func
        if isinstance(func, ast.Name) and func.id in self.sessions:  # its own base, or given
            where = self.evaluator.scope_of(construction, scope)
            return self.sessions[func.id].legacy_for(construction, self.evaluator, where)
        base_url = keyword(construction, "base_url")
        if base_url is None:
            return False
        # the client's arguments are read where it is made (`__init__`), not at the call
        where = self.evaluator.scope_of(construction, scope)
        return self.evaluator.base_of(base_url, where) is not None

    def constructions(
        self, node: ast.expr | None, scope: Scope, depth: int = 0
    ) -> list[ast.Call]:
        """The `requests.Session()` / `httpx.Client(...)` calls a receiver is bound to: through
        names and attributes (`self._session = session`), and through a method of the class
        that returns one (`self.get_conn().get(…)`, `get_conn` returning `self._session`)."""
        if node is None or depth > 4:
            return []
        if isinstance(node, ast.Name):
            bindings = self.evaluator.bindings(node.id, scope)
        elif isinstance(node, ast.Attribute):
            bindings = self.evaluator.attribute_bindings(node, scope)
        elif isinstance(node, ast.Call):
            return self._returned(node, scope, depth)
        else:
            bindings = None
        found = []
        for binding in bindings or []:
            if binding.value is None:
                continue
            for value in _alternatives(binding.value):
                if isinstance(value, ast.Call) and self.factory_of(value):
                    found.append(value)
                elif isinstance(value, ast.Name | ast.Attribute) and binding.kind == "assign":
                    where = self.evaluator.scope_of(value, scope)
                    found.extend(self.constructions(value, where, depth + 1))
        return found

    def _returned(self, call: ast.Call, scope: Scope, depth: int) -> list[ast.Call]:
        """The clients a method of this class returns, when `call` is `self.method()`."""
        func = call.func
        function = scope.function_scope()
        klass = function.klass
        if (
            call.args
            or call.keywords
            or klass is None
            or not isinstance(func, ast.Attribute)
            or not isinstance(func.value, ast.Name)
            or func.value.id != function.self_name
        ):
            return []
        method = next(
            (
                item
                for item in klass.node.body
                if isinstance(item, ast.FunctionDef) and item.name == func.attr
            ),
            None,
        )
        inner = self.evaluator.facts.functions.get(method) if method is not None else None
        if method is None or inner is None:
            return []
        found = []
        for node in ast.walk(method):
            if isinstance(node, ast.Return) and node.value is not None:
                if isinstance(node.value, ast.Call) and self.factory_of(node.value):
                    found.append(node.value)
                else:
                    found.extend(self.constructions(node.value, inner, depth + 1))
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
            if func.id in self.sessions:
                return "requests.Session"
        return None

    def drops_none_params(self, site: Site) -> bool:
        """Whether the client is requests, which leaves out parameters whose value is None."""
        if site.client == "requests":
            return True
        if site.client == "function":
            origin = self.imports.names.get(getattr(site.node.func, "id", ""))
            return origin is not None and origin[0] == "requests"
        if site.client != "object":
            return False
        made = self.constructions(call_receiver(site.node), site.call.scope)
        return bool(made) and all(
            self.factory_of(call) in ("requests.Session", "compat") for call in made
        )


class UrlResolver:
    """Whether a URL template reaches the legacy API, and which operation it names."""

    def __init__(self, index: CatalogueIndex, source: Source) -> None:
        self.index = index
        self.source = source

    def helper_path(
        self, call: CallFacts, method: str = "GET"
    ) -> tuple[Shape, Template, Resolution] | None:
        """A legacy path literal passed to something other than an HTTP client (`method`: the
        request's, when the call makes the URL of a request with a known verb; a method the
        call passes as a literal, `_call("POST", "/tag-groups", body)`, wins)."""
        passed = next(
            (
                text.upper()
                for arg in call.node.args
                if (text := constant_str(arg)) is not None and text.upper() in _HTTP_METHODS
            ),
            None,
        )
        method = passed or method
        for arg in call.node.args:
            text = constant_str(arg)
            if (
                text is None
                or not text.startswith("/")
                or not self.index.looks_like_legacy_path(text)
            ):
                continue
            template = Template((Text(text, True),), "literal", arg)
            resolution = self.resolve(template, method, "function", False, helper=True)
            if resolution is None:
                continue
            func = call.node.func
            name = dotted(func) if isinstance(func, ast.Name | ast.Attribute) else None
            shape = Shape("helper", "function", name, None, method, None, arg)
            return shape, template, resolution
        return None

    def resolve(
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
            rest = rest[version_lead(first, rest) :]  # `ROOT + "/" + VERSION`: the base's
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
            elif legacy_client and (
                text.startswith("/") or self.index.looks_like_legacy_path("/" + text)
            ):
                # httpx joins `employees` and `/employees` alike onto its base_url
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
        display_path = TOKEN_PATTERN.sub(
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


def _alternatives(node: ast.expr) -> list[ast.expr]:
    """`a or b` and `a if c else b` can be either side."""
    if isinstance(node, ast.BoolOp):
        return [item for value in node.values for item in _alternatives(value)]
    if isinstance(node, ast.IfExp):
        return [*_alternatives(node.body), *_alternatives(node.orelse)]
    return [node]


def _text_of(part: Part) -> str | None:
    if isinstance(part, Text):
        return part.value
    if isinstance(part, Hole):
        return part.value
    return None


def _short(node: ast.expr) -> str:
    text = dotted(node)
    return text if text else "expression"
