"""Where the token of a legacy `Bearer` header comes from, followed back from the header.

Real code seldom reads the legacy token right in the header. The token expression is followed
through names (the evaluator's bindings: locals, module constants, `self.x` set in the class,
parameter defaults), `a or b` and `x if c else y`, string methods (`.strip()`, `str(…)`), the
return statements of the module's own functions and methods (`def token(): return …`,
`self._token()`), and string-key subscripts into dict literals the module builds itself
(`CONFIG = {"api_token": os.environ[…]}`, a `_config()` returning one). Each path ends at a
*source*:

- `env`: an environment read (`os.environ[…]`, `os.environ.get`, `os.getenv`);
- `file`: a document read from a file (`json.load(open("credentials.json"))["legacy"]["token"]`,
  `json.loads(Path(p).read_text())`, `tomllib`, `yaml.safe_load`, a `configparser` section, the
  text of a file);
- `config`: a mapping or object handed in by the caller (`config["api_token"]` with `config` a
  parameter: a Singer tap's config);
- `settings`: a name imported from another module (`settings.PLEO_API_KEY`,
  `SETTINGS["PLEO"]["TOKEN"]` with `SETTINGS` imported);
- `keyring`: `keyring.get_password(…)`;
- `cli`: a command-line option (`args.token` from `argparse`'s `parse_args()`).

A parameter (`def __init__(self, token)`, `def fetch(token)`) is followed to what the module's
own calls pass for it (`Client(_token())`); one filled only by callers elsewhere is their
business and no source here, and nor is a value the tracer cannot follow.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import EnvRead, ModuleFacts, Scope
from migrate.pleo import API_KEY_VAR

MAX_DEPTH = 10
_STR_METHODS = {"strip", "rstrip", "lstrip", "decode", "encode"}
_LOADERS = {
    ("json", "load"), ("json", "loads"), ("tomllib", "load"), ("tomllib", "loads"),
    ("tomli", "load"), ("tomli", "loads"), ("toml", "load"), ("toml", "loads"),
    ("yaml", "safe_load"), ("yaml", "load"), ("yaml", "full_load"),
}
_CONFIG_PARSERS = (("configparser", "ConfigParser"), ("configparser", "RawConfigParser"))
_FILE_SUFFIXES = (".json", ".toml", ".ini", ".cfg", ".yaml", ".yml", ".conf", ".txt", ".env")


@dataclass(frozen=True)
class TokenSource:
    """One place the legacy token of a header is read from."""

    kind: str  # env, file, config, settings, keyring, cli
    node: ast.expr  # the read: the whole subscript chain, call or attribute
    what: str  # what a TODO names: "credentials.json key legacy.token", "option --token"
    stmt: ast.stmt | None  # the statement holding the read (where a TODO goes)
    keys: tuple[ast.Subscript, ...] = ()  # the string-key subscripts of the read, outermost first
    mapping: bool = False  # the subscripted root is a plain mapping (a parsed document, a dict)
    env: EnvRead | None = None


class TokenTracer:
    def __init__(self, facts: ModuleFacts, evaluator: Evaluator) -> None:
        self.facts = facts
        self.evaluator = evaluator
        self._env = {read.node: read for read in facts.env_reads}
        self._seen: set[ast.AST] = set()

    def sources(self, token: ast.expr) -> list[TokenSource]:
        """Every source `token` (a header's token expression) can be read from."""
        found: list[TokenSource] = []
        self._seen = set()
        self._trace(token, self._scope(token), 0, found)
        unique: dict[ast.expr, TokenSource] = {}
        for source in found:
            unique.setdefault(source.node, source)
        return list(unique.values())

    # --- following the value -------------------------------------------------------------

    def _trace(self, node: ast.expr, scope: Scope, depth: int, out: list[TokenSource]) -> None:
        if depth > MAX_DEPTH or node in self._seen:
            return
        self._seen.add(node)
        read = self._env.get(node)
        if read is not None:
            out.append(TokenSource("env", node, read.name, read.stmt, env=read))
            return
        if isinstance(node, ast.BoolOp):
            for operand in node.values:
                self._trace(operand, scope, depth + 1, out)
        elif isinstance(node, ast.IfExp):
            self._trace(node.body, scope, depth + 1, out)
            self._trace(node.orelse, scope, depth + 1, out)
        elif isinstance(node, ast.Call):
            self._call(node, scope, depth, out)
        elif isinstance(node, ast.Subscript):
            self._subscript(node, scope, depth, out)
        elif isinstance(node, ast.Name | ast.Attribute):
            self._name(node, scope, depth, out)

    def _name(
        self, node: ast.Name | ast.Attribute, scope: Scope, depth: int, out: list[TokenSource]
    ) -> None:
        option = self._command_option(node, scope) if isinstance(node, ast.Name) else None
        if option is not None:
            out.append(TokenSource("cli", node, f"option {option}", self._stmt(node)))
            return
        values = self.evaluator.name_values(node, scope)
        if values:
            for value in values:
                self._trace(value, self.evaluator.scope_of(value, scope), depth + 1, out)
            return
        if isinstance(node, ast.Name):
            for argument, where in self._arguments(node, scope):
                self._trace(argument, where, depth + 1, out)
        root = _root_name(node)
        if root is None:
            return
        if isinstance(node, ast.Attribute) and self._parsed_args(root, scope):
            out.append(TokenSource("cli", node, f"option --{node.attr}", self._stmt(node)))
        elif self._imported(root):
            shown = ast.unparse(node)
            out.append(TokenSource("settings", node, shown, self._stmt(node)))

    def _call(self, node: ast.Call, scope: Scope, depth: int, out: list[TokenSource]) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _STR_METHODS:
            self._trace(func.value, scope, depth + 1, out)
            return
        if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
            self._trace(node.args[0], scope, depth + 1, out)
            return
        called = self._qualified(func)
        if called is not None and called[0] == "keyring" and called[1] == "get_password":
            out.append(TokenSource("keyring", node, "keyring", self._stmt(node)))
            return
        if isinstance(func, ast.Attribute) and func.attr == "get" and node.args:
            key = node.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self._keyed(node, func.value, [key.value], (), scope, depth, out)
                return
        if self._document(node, scope) is not None:
            name = self._file_name(node, scope) or "a file"
            out.append(TokenSource("file", node, f"the text of {name}", self._stmt(node)))
            return
        for value, where in self._returns(func, scope):
            self._trace(value, where, depth + 1, out)

    def _subscript(
        self, node: ast.Subscript, scope: Scope, depth: int, out: list[TokenSource]
    ) -> None:
        keys: list[str] = []
        chain: list[ast.Subscript] = []
        current: ast.expr = node
        while isinstance(current, ast.Subscript):
            key = current.slice
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return
            keys.insert(0, key.value)
            chain.append(current)
            current = current.value
        self._keyed(node, current, keys, tuple(chain), scope, depth, out)

    def _keyed(
        self,
        read: ast.expr,
        root: ast.expr,
        keys: list[str],
        chain: tuple[ast.Subscript, ...],
        scope: Scope,
        depth: int,
        out: list[TokenSource],
    ) -> None:
        """`root["a"]["b"]` (or `root.get("a")`): into a dict the module builds, else a source
        named by what `root` is."""
        if self.facts.imports.is_environ(root):
            return  # an env read the facts did not name (a key chosen at run time)
        values = self._values_of(root, scope, depth)
        built = False  # a dict the module builds holds it (the environment, say)
        for value, where in values:
            inner = _dict_path(value, keys)
            if inner is not None:
                self._trace(inner, where, depth + 1, out)
                built = True
        dotted = ".".join(keys)
        stmt = self._stmt(read)
        document = None if built else self._document_of(root, scope, depth)
        if document is not None:
            kind, name, mapping = document
            out.append(TokenSource(kind, read, f"{name} key {dotted}", stmt, chain, mapping))
            return
        shown = f"{ast.unparse(root)} key {dotted}"
        if any(
            isinstance(value, ast.Name) and self._is_parameter(value, where)
            for value, where in values
        ):  # handed in by the caller (a Singer config), or built here when it is not
            out.append(TokenSource("config", read, shown, stmt, chain, True))
            return
        base = _root_name(root)
        if not built and base is not None and self._imported(base):
            out.append(TokenSource("settings", read, shown, stmt, chain, False))

    # --- what a root is ------------------------------------------------------------------

    def _values_of(
        self, node: ast.expr, scope: Scope, depth: int
    ) -> list[tuple[ast.expr, Scope]]:
        """The values `node` can have: itself, or a name's bindings, or a function's returns
        (each node once: `config = config or _config()` reads itself)."""
        found: list[tuple[ast.expr, Scope]] = []
        seen: set[ast.AST] = set()
        pending: list[tuple[ast.expr, Scope, int]] = [(node, scope, depth)]
        while pending:
            current, where, level = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            found.append((current, where))
            if level >= MAX_DEPTH:
                continue
            if isinstance(current, ast.BoolOp):
                pending.extend((operand, where, level + 1) for operand in current.values)
            elif isinstance(current, ast.IfExp):
                pending.extend((side, where, level + 1) for side in (current.body, current.orelse))
            elif isinstance(current, ast.Name | ast.Attribute):
                for value in self.evaluator.name_values(current, where) or []:
                    pending.append((value, self.evaluator.scope_of(value, where), level + 1))
            elif isinstance(current, ast.Call):
                pending.extend(
                    (value, inner, level + 1)
                    for value, inner in self._returns(current.func, where)
                )
        return found

    def _document_of(
        self, root: ast.expr, scope: Scope, depth: int
    ) -> tuple[str, str, bool] | None:
        """(kind, file name, plain mapping) when `root` holds a document read from a file."""
        for value, where in self._values_of(root, scope, depth):
            if isinstance(value, ast.Call):
                loader = self._document(value, where)
                if loader is not None:
                    return "file", self._file_name(value, where) or "the file", True
                called = self._qualified(value.func)
                if called in _CONFIG_PARSERS:
                    name = self._config_file(_root_name(root)) or "the config file"
                    return "file", name, False
        return None

    def _document(self, node: ast.Call, scope: Scope) -> str | None:
        """The loader when `node` reads a file's document or text: `json.load(fh)`,
        `Path(p).read_text()`, `fh.read()` on an `open(…)`."""
        called = self._qualified(node.func)
        if called in _LOADERS:
            return ".".join(called) if called else None
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("read_text", "read"):
            return func.attr
        return None

    def _file_name(self, node: ast.AST, scope: Scope, depth: int = 0) -> str | None:
        """A file name written in or near `node`: a string literal with a file suffix, in the
        expression or in the values of the names it reads."""
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Constant)
                and isinstance(inner.value, str)
                and inner.value.lower().endswith(_FILE_SUFFIXES)
            ):
                return inner.value
            if isinstance(inner, ast.Name) and depth < 3:
                values = self.evaluator.name_values(inner, scope) or []
                for value in values:
                    name = self._file_name(value, self.evaluator.scope_of(value, scope), depth + 1)
                    if name is not None:
                        return name
        # `with open(path) as fh: json.load(fh)`: the `with` that binds the handle
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
            for binding in self.evaluator.bindings(node.args[0].id, scope) or []:
                if binding.kind == "with" and binding.stmt is not None and depth < 3:
                    return self._file_name(binding.stmt, scope, depth + 1)
        return None

    def _config_file(self, owner: str | None) -> str | None:
        """The file a `configparser` object reads: `CONFIG.read("settings.ini")`."""
        for call in self.facts.calls:
            func = call.node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("read", "read_file")
                and isinstance(func.value, ast.Name)
                and func.value.id == owner
            ):
                name = self._file_name(call.node, call.scope)
                if name is not None:
                    return name
        return None

    def _returns(self, func: ast.expr, scope: Scope) -> list[tuple[ast.expr, Scope]]:
        """The values returned by the module's function or method `func` names."""
        target: ast.FunctionDef | ast.AsyncFunctionDef | None = None
        if isinstance(func, ast.Name):
            target = self._function(func.id, None)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            klass = self._enclosing_class(func)
            if func.value.id in ("self", "cls") and klass is not None:
                target = self._function(func.attr, klass)
        if target is None:
            return []
        where = self.facts.functions.get(target)
        if where is None:
            return []
        return [(node.value, where) for node in _own_returns(target) if node.value is not None]

    def _arguments(self, node: ast.Name, scope: Scope) -> list[tuple[ast.expr, Scope]]:
        """What the module's own calls pass for the parameter `node` names: `Client(_token())`
        for `def __init__(self, token)`, `fetch(config["api_token"])` for `def fetch(token)`."""
        function = scope.node
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return []
        params = [*function.args.posonlyargs, *function.args.args]
        names = [param.arg for param in params]
        if node.id not in names and node.id not in [a.arg for a in function.args.kwonlyargs]:
            return []
        owner = self.facts.parent(function)
        callee = function.name
        if isinstance(owner, ast.ClassDef):
            if function.name != "__init__":
                return []  # a method: its callers are reached through instances, not followed
            callee, names = owner.name, names[1:]
        elif owner is not self.facts.tree:
            return []
        position = names.index(node.id) if node.id in names else None
        found: list[tuple[ast.expr, Scope]] = []
        for call in self.facts.calls:
            func = call.node.func
            if not (isinstance(func, ast.Name) and func.id == callee):
                continue
            passed = [kw.value for kw in call.node.keywords if kw.arg == node.id]
            if not passed and position is not None and position < len(call.node.args):
                argument = call.node.args[position]
                passed = [] if isinstance(argument, ast.Starred) else [argument]
            found.extend((value, call.scope) for value in passed)
        return found

    def _function(
        self, name: str, klass: ast.ClassDef | None
    ) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        body = klass.body if klass is not None else self.facts.tree.body
        for stmt in body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == name:
                return stmt
        return None

    def _enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        return next(
            (above for above in self.facts.ancestors(node) if isinstance(above, ast.ClassDef)),
            None,
        )

    def _parsed_args(self, name: str, scope: Scope) -> bool:
        """Whether `name` holds `parser.parse_args()` (argparse's namespace)."""
        for binding in self.evaluator.bindings(name, scope) or []:
            value = binding.value
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr in ("parse_args", "parse_known_args")
            ):
                return True
        return False

    def _command_option(self, node: ast.Name, scope: Scope) -> str | None:
        """`--token` when `node` is a parameter a command-line option fills: `@click.option(
        "--token")` on its function, or `token: str = typer.Option(…)`."""
        function = scope.node
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return None
        spelt = "--" + node.id.replace("_", "-")
        for decorator in function.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr == "option"
                and any(
                    isinstance(arg, ast.Constant) and arg.value in (spelt, node.id)
                    for arg in decorator.args
                )
            ):
                return spelt
        for binding in self.evaluator.bindings(node.id, scope) or []:
            value = binding.value
            if (
                binding.kind == "param"
                and isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr == "Option"
            ):
                return spelt
        return None

    def _is_parameter(self, node: ast.Name, scope: Scope) -> bool:
        """A parameter the caller may fill (not `self`/`cls`): a mapping handed in."""
        if node.id in ("self", "cls"):
            return False
        bindings = self.evaluator.bindings(node.id, scope) or []
        return any(binding.kind == "param" for binding in bindings)

    def _imported(self, name: str) -> bool:
        imports = self.facts.imports
        return name in imports.names or name in imports.modules

    def _qualified(self, func: ast.expr) -> tuple[str, str] | None:
        """(module, name) of a called function: `json.load`, or `load` from `json`."""
        imports = self.facts.imports
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            module = imports.modules.get(func.value.id)
            return (module, func.attr) if module is not None else None
        if isinstance(func, ast.Name):
            return imports.names.get(func.id)
        return None

    def _scope(self, node: ast.AST) -> Scope:
        if isinstance(node, ast.Name) and node in self.facts.scope_of_name:
            return self.facts.scope_of_name[node]
        for above in self.facts.ancestors(node):
            found = self.facts.functions.get(above)
            if found is not None:
                return found
        return self.facts.module_scope

    def _stmt(self, node: ast.AST) -> ast.stmt | None:
        return next(
            (above for above in self.facts.ancestors(node) if isinstance(above, ast.stmt)), None
        )



def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _dict_path(value: ast.expr, keys: list[str]) -> ast.expr | None:
    """The value under `keys` in a dict literal (`{"pleo": {"token": X}}` → X)."""
    current = value
    for key in keys:
        if not isinstance(current, ast.Dict):
            return None
        found = None
        for name, item in zip(current.keys, current.values, strict=True):
            if isinstance(name, ast.Constant) and name.value == key:
                found = item
        if found is None:
            return None
        current = found
    return current


def _own_returns(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Return]:
    """The return statements of `function` itself, not of functions nested in it."""
    found: list[ast.Return] = []
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            found.append(node)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


NEW_KEY_CODE = f'os.environ["{API_KEY_VAR}"]'  # the new key's conventional source


def new_key_code(facts: ModuleFacts, evaluator: Evaluator, token: ast.expr) -> str | None:
    """What the new key's Basic auth reads instead of `token` (a legacy header's token), or
    None to keep reading `token`: the conventional `os.environ["PLEO_API_KEY"]` when the token
    may come from somewhere the codemod cannot rename (a file, a config handed in, settings, a
    keyring, a command-line option): sent as the new key, the legacy token would be refused."""
    sources = TokenTracer(facts, evaluator).sources(token)
    return NEW_KEY_CODE if any(source.kind != "env" for source in sources) else None
