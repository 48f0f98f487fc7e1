"""Behaviour parity of the codemod on the hand-written client corpus, by execution.

For one corpus module (`tests/codemod/corpus/*.py`, described in `corpus_manifest`):

1. run its public calls in a subprocess (`corpus_driver.py`) with the legacy hosts routed to
   the legacy simulator and the new hosts to the new one, credentials taken from the
   simulator's credentials file through the variables the module reads: the *original* record;
2. copy it to a temporary folder, run `pleo-migrate rewrite --write --strategy compat` (and,
   separately, `native`), and run the rewritten module with only the new hosts reachable, the
   legacy token unset and the new key set (`PLEO_API_KEY`, `PLEO_COMPANY_ID`, `PLEO_ENV`);
3. compare what each call returned, exactly, or for a native rewrite that now hands out
   new-API records, in the catalogue's canonical shape ("shape changed").

Static figures per module and strategy: scan sites, rewrite sites (lines the rewrite edited
inside an HTTP call, or put a TODO above), TODO count, whether the result compiles, whether it
is byte-identical to the original, and which rewrite sites `scan` did not report.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from migrate.mapping import load_catalogue
from migrate.mapping.catalogue import Catalogue
from migrate.shadow.canonical import Projection
from migrate.simulator.core import SimulatorConfig, build_simulator
from migrate.simulator.server import start_servers, write_credentials_file
from migrate.simulator.testing import SimulatorHandle, handle_for
from tests.cli_runner import invoke
from tests.codemod.corpus_manifest import CORPUS, Call, CorpusModule
from tests.codemod.helpers import code

Strategy = Literal["compat", "native"]
STRATEGIES: tuple[Strategy, ...] = ("compat", "native")
DRIVER = Path(__file__).resolve().parent / "corpus_driver.py"
LEGACY_HOSTS = ("openapi.pleo.io", "openapi.staging.pleo.io")
NEW_HOSTS = ("external.pleo.io", "external.staging.pleo.io")
HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "request", "send", "stream"}
GAP_STATUSES = (404, 501)
RUN_TIMEOUT = 60

# Verdicts of one call after a rewrite.
EQUAL = "equal"  # the same record, byte for byte
LOSSY = "equal but declared losses"  # differs only in fields the catalogue declares lost
SHAPE_CHANGED = "shape changed"  # new-API records, equal in the catalogue's canonical shape
GAP = "gap"  # no new-API equivalent (or never existed): a clear 404/501
NOT_MIGRATED = "not migrated"  # still calls the legacy host (refused in the run)
BROKEN = "broken"  # raises where the original returned, without touching the legacy host
DIFFERS = "differs"  # returns something else
GOOD = (EQUAL, LOSSY, SHAPE_CHANGED, GAP)


# --- simulators ------------------------------------------------------------------------------


@contextlib.contextmanager
def serve() -> Iterator[SimulatorHandle]:
    """A fresh simulator of both APIs on loopback (seeded, so every run sees the same ids)."""
    sim = build_simulator(SimulatorConfig())
    with start_servers(sim, host="127.0.0.1") as running:
        yield handle_for(sim, running.legacy_base_url, running.new_base_url)


def credentials_document(sim: SimulatorHandle) -> dict[str, Any]:
    """The simulator's `--credentials-file` document (as `pleo-migrate simulate` writes it)."""
    return {
        "environment": sim.environment,
        "legacy": {"base_url": sim.legacy_base_url, "token": sim.legacy_token},
        "new": {
            "base_url": sim.new_base_url,
            "api_key": sim.api_key,
            "company_id": sim.company_id,
            "organization_id": sim.organization_id,
            "scopes": list(sim.scopes),
        },
    }


def _lookup(document: Mapping[str, Any], dotted: str) -> str:
    value: Any = document
    for part in dotted.split("."):
        value = value[part]
    return str(value)


def placeholders(sim: SimulatorHandle) -> dict[str, str]:
    """Ids the manifest names as `@expense`, `@tag_group`, ...: the first fitting seeded row."""
    store, company = sim.store, [sim.company_id]
    groups = [g for g in store.tag_groups.rows(company) if not g.archived]
    tags = [t for t in store.tags.rows(company) if not t.archived and t.group_id == groups[0].id]
    expenses = store.expenses.rows(company)
    return {
        "@expense": expenses[0].id,
        "@expense2": expenses[1].id,
        "@employee": store.employees.rows(company)[0].id,
        "@team": store.teams.rows(company)[0].id,
        "@tag_group": groups[0].id,
        "@tag": tags[0].id,
        "@tax_code": next(t.id for t in store.tax_codes.rows(company) if not t.archived),
        "@account": store.accounts.rows(company)[0].id,
        "@company": sim.company_id,
    }


def _resolve(value: Any, ids: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list | tuple):
        return [_resolve(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, ids) for k, v in value.items()}
    return value


# --- one run ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """What one subprocess run of a module's calls produced."""

    import_error: str | None
    calls: Mapping[str, Mapping[str, Any]]

    def outcome(self, name: str) -> dict[str, Any] | None:
        """The comparable part of a call's record: what it returned or raised (and status)."""
        record = self.calls.get(name)
        if record is None:
            return None
        if "returned" in record:
            return {"returned": record["returned"]}
        return {"raised": record["raised"], "status": record["status"]}

    def refused(self, name: str) -> list[Mapping[str, Any]]:
        return [r for r in self.calls.get(name, {}).get("requests", ())
                if r["outcome"] == "refused"]


def _environment(extra: Mapping[str, str]) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"PYTHONDONTWRITEBYTECODE": "1", "NO_PROXY": "*", "no_proxy": "*"})
    env.update(extra)
    return env


def run_module(
    path: Path,
    module: CorpusModule,
    sim: SimulatorHandle,
    work: Path,
    *,
    rewritten: bool,
    both: bool = False,
) -> Run:
    """Run `path`'s manifest calls in a subprocess against `sim`; hosts routed as described
    (`both`: a rewritten module before the cut-over, with both credentials and both APIs)."""
    creds = work / "credentials.json"
    document = credentials_document(sim)
    write_credentials_file(creds, document)
    stored = json.loads(creds.read_text(encoding="utf-8"))
    legacy_origin = sim.legacy_base_url.removesuffix("/v1")
    routes = {host: sim.new_base_url for host in NEW_HOSTS}
    variables = dict(module.env)
    if rewritten:  # after the cut-over: the legacy token is gone, the new key is set
        if not both:
            variables = {k: v for k, v in variables.items() if not v.startswith("legacy.")}
        variables.update({"PLEO_API_KEY": "new.api_key", "PLEO_COMPANY_ID": "new.company_id",
                          "PLEO_ENV": "environment"})
        # a qualified token name keeps its qualifier (PLEO_AUDIT_TOKEN → PLEO_AUDIT_API_KEY)
        for name in re.findall(r"\b\w*PLEO_\w*API_KEY\b", path.read_text(encoding="utf-8")):
            variables.setdefault(name, "new.api_key")
    if not rewritten or both:
        routes.update({host: legacy_origin for host in LEGACY_HOSTS})
    ids = placeholders(sim)
    out = work / f"{path.stem}.{'after' if rewritten else 'before'}.json"
    plan = {
        "module": str(path),
        "routes": routes,
        "factory": module.factory,
        "factory_args": _resolve(list(module.factory_args), ids),
        "calls": [
            {"name": c.label, "method": c.method, "args": _resolve(list(c.args), ids),
             "kwargs": _resolve(dict(c.kwargs), ids)}
            for c in module.calls
        ],
        "out": str(out),
    }
    plan_file = work / f"{path.stem}.plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    env = _environment({name: _lookup(stored, key) for name, key in variables.items()})
    returncode, stderr = _drive(plan_file, work, env)
    if not out.exists():
        return Run(f"driver failed (exit {returncode}): {stderr[-2000:]}", {})
    result = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return Run(result["import_error"], result["calls"])


class _Forks:
    """The fork server (`driver_forks.py`), started on first use and shared by every run of this
    process: a run is still a fresh process, minus the interpreter start and library imports."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        atexit.register(self.close)

    def run(self, plan_file: Path, work: Path, env: Mapping[str, str]) -> tuple[int, str]:
        log = work / f"{plan_file.stem}.log"
        job = {"argv": [str(DRIVER), str(plan_file)], "cwd": str(work), "env": dict(env),
               "log": str(log), "timeout": RUN_TIMEOUT}
        with self._lock:
            process = self._started()
            assert process.stdin is not None and process.stdout is not None
            try:
                process.stdin.write(json.dumps(job) + "\n")
                process.stdin.flush()
                reply = process.stdout.readline()
            except OSError:
                reply = ""
            if not reply:  # the server died: say why, and start a new one next time
                self.close()
                raise RuntimeError("corpus harness: the driver fork server stopped")
        answer = json.loads(reply)
        if answer.get("timeout"):
            raise subprocess.TimeoutExpired([str(DRIVER), str(plan_file)], RUN_TIMEOUT)
        stderr = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        log.unlink(missing_ok=True)
        return int(answer["returncode"]), stderr

    def _started(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self.close()
            self._process = subprocess.Popen(
                [sys.executable, str(FORKS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                env=_environment({}), text=True, encoding="utf-8",
            )
        return self._process

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


FORKS = Path(__file__).resolve().parent / "driver_forks.py"
# Linux forks cheaply and safely here; elsewhere (or with CORPUS_HARNESS_FORKS=0) each run
# starts its own interpreter.
_FORKS = _Forks() if sys.platform == "linux" and os.environ.get(
    "CORPUS_HARNESS_FORKS", "1") != "0" else None


def _drive(plan_file: Path, work: Path, env: Mapping[str, str]) -> tuple[int, str]:
    """Run the driver on one plan: (exit code, stderr)."""
    if _FORKS is not None:
        return _FORKS.run(plan_file, work, env)
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(plan_file)], cwd=work, env=env, capture_output=True,
        text=True, timeout=RUN_TIMEOUT, check=False,
    )
    return done.returncode, done.stderr


# --- static figures --------------------------------------------------------------------------


def _is_http_call(node: ast.Call) -> bool:
    """A call named like an HTTP verb; `x.get("key")` (a dict read) is not one."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in HTTP_VERBS:
        return False
    if name == "get" and not node.keywords and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return "/" in first.value
    return True


@dataclass(frozen=True)
class Spans:
    """Line spans of the original module: statements, HTTP calls and functions."""

    statements: tuple[tuple[int, int], ...]
    calls: tuple[tuple[int, int], ...]
    functions: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, source: str) -> Spans:
        statements, calls, functions = [], [], []
        for node in ast.walk(ast.parse(source)):
            span = (getattr(node, "lineno", 0), getattr(node, "end_lineno", 0) or 0)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions.append(span)
            if isinstance(node, ast.stmt):
                statements.append(span)
            elif isinstance(node, ast.Call) and _is_http_call(node):
                calls.append(span)
        return cls(tuple(statements), tuple(calls), tuple(functions))


def _innermost(spans: tuple[tuple[int, int], ...], line: int) -> tuple[int, int] | None:
    containing = [s for s in spans if s[0] <= line <= s[1]]
    return min(containing, key=lambda s: (s[1] - s[0], -s[0])) if containing else None


@dataclass(frozen=True)
class Site:
    """One place the rewrite acted on: a TODO above a statement, or an edited HTTP call."""

    kind: Literal["todo", "edit"]
    span: tuple[int, int]
    function: tuple[int, int] | None
    rule: str = ""

    def covered_by(self, scan: tuple[int, ...]) -> bool:
        """An edit must be at a scan site; a TODO at one or in the same function as one. The
        note on a shared thing (host constant, base attribute, header, token variable) kept
        for the calls still on it (PLM001) is about those calls, not a site of its own; so is
        the note on a read of a field the calls' records lose (PLM204, wherever the read is), and
        the note on where the legacy token the calls send is read (PLM207)."""
        if any(self.span[0] <= line <= self.span[1] for line in scan):
            return True
        if self.kind == "todo" and self.rule == HOST_NOTE:
            return bool(scan)
        if self.kind == "todo" and self.rule in (LOST_FIELD_NOTE, TOKEN_NOTE):
            return bool(scan)
        return self.kind == "todo" and self.function is not None and any(
            self.function[0] <= line <= self.function[1] for line in scan
        )


TODO_MARK = "TODO[pleo-migrate"
HOST_NOTE = "PLM001"
LOST_FIELD_NOTE = "PLM204"
TOKEN_NOTE = "PLM207"  # where the legacy token is read (a file, a config): about the calls


def rewrite_sites(original: str, rewritten: str) -> tuple[list[Site], int]:
    """Where the rewrite acted (spans of the original) and how many TODOs it added."""
    spans = Spans.of(original)
    old = original.splitlines()
    stripped: list[str] = []
    todos: list[tuple[int, str]] = []  # (index in `stripped` of the line below, rule)
    for text in rewritten.splitlines():
        if TODO_MARK in text:
            rule = text.split(TODO_MARK, 1)[1].split("]", 1)[0].strip()
            todos.append((len(stripped), rule))
            continue
        stripped.append(text)
    matcher = difflib.SequenceMatcher(a=old, b=stripped, autojunk=False)
    codes = matcher.get_opcodes()

    def to_old(j: int) -> int:
        for _tag, i1, i2, j1, j2 in codes:
            if j1 <= j < j2 or (j == j1 == j2):
                return i1 + min(j - j1, max(i2 - i1 - 1, 0)) + 1
        return len(old)

    found: dict[tuple[str, tuple[int, int]], Site] = {}
    for index, rule in todos:
        line = to_old(index)
        span = _innermost(spans.statements, line) or (line, line)
        found[("todo", span)] = Site("todo", span, _innermost(spans.functions, line), rule)
    for tag, i1, i2, _j1, _j2 in codes:
        if tag == "equal":
            continue
        for line in range(i1 + 1, max(i2, i1 + 1) + 1):
            call = _innermost(spans.calls, line)
            if call is not None:
                found[("edit", call)] = Site("edit", call, _innermost(spans.functions, line))
    return sorted(found.values(), key=lambda s: (s.span, s.kind)), len(todos)


def code_edited(original: str, rewritten: str) -> bool:
    """Whether the rewrite changed code, not only added TODO comments (which change nothing
    a run can see: a call left alone then fails for want of the legacy token, not by harm)."""
    kept = [line for line in rewritten.splitlines() if TODO_MARK not in line]
    return kept != original.splitlines()


def compiles(source: str, name: str) -> bool:
    try:
        compile(source, name, "exec")
    except SyntaxError:
        return False
    return True


def scan_lines(path: Path) -> list[int]:
    result = invoke(["scan", str(path), "-o", "json", "--jobs", "1"])
    if result.exit_code not in (0, 1):
        raise RuntimeError(f"scan failed on {path.name}: {result.stderr[-500:]}")
    return sorted(site["line"] for site in json.loads(result.stdout)["call_sites"])


@dataclass(frozen=True)
class Rewrite:
    """What `rewrite --write --strategy S` did to one module."""

    strategy: Strategy
    exit_code: int
    status: str
    todos: int
    sites: tuple[Site, ...]
    compiles: bool
    byte_identical: bool
    source: str
    original: str = ""


def rewrite(path: Path, strategy: Strategy) -> Rewrite:
    original = path.read_text(encoding="utf-8")
    before = path.read_bytes()
    result = invoke(["rewrite", str(path), "--write", "--strategy", strategy, "--allow-dirty",
                     "-o", "json", "--jobs", "1"])
    data = json.loads(result.stdout) if result.stdout.lstrip().startswith("{") else {"files": []}
    files = data["files"]
    status = files[0]["status"] if files else "unchanged"
    after = path.read_bytes()
    text = after.decode("utf-8", "replace")
    ok = compiles(text, path.name)
    sites, todos = rewrite_sites(original, text) if ok else ([], text.count(TODO_MARK))
    return Rewrite(strategy, result.exit_code, status, todos, tuple(sites), ok, after == before,
                   text, original)


# --- comparison ------------------------------------------------------------------------------


def _body(envelope: Any, value: Any) -> Any:
    key = envelope.key
    if key is not None and isinstance(value, dict) and key in value:
        return value
    return {key: value} if key is not None else value


def differences(a: Any, b: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Paths where two JSON values differ (a null and an absent key are the same)."""
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for key in sorted(set(a) | set(b)):
            found += differences(a.get(key), b.get(key), (*path, key))
        return found
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        found = []
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found += differences(x, y, (*path, index))
        return found
    return [] if a == b else [path]


def lost_names(catalogue: Catalogue, ops: tuple[str, ...]) -> set[str]:
    """Field names (legacy and canonical) the catalogue declares lost in these operations."""
    names: set[str] = set()
    for op_id in ops:
        if op_id.startswith("invented:"):
            continue
        for loss in catalogue.losses(catalogue.get(op_id)):
            for text in (loss.field, loss.legacy or ""):
                names.update(p.removesuffix("[]") for p in text.split(".") if p)
    return names


def only_losses(a: Any, b: Any, lost: set[str]) -> bool:
    """Do `a` and `b` differ, and only below fields that are declared lost?"""
    paths = differences(a, b)
    return bool(paths) and all(any(p in lost for p in path if isinstance(p, str))
                               for path in paths)


def canonical(catalogue: Catalogue, op_id: str, side: str, value: Any) -> list[Any] | None:
    """The records of `value` (a body, or what a client kept of it) in canonical shape."""
    try:
        projection = Projection(catalogue, catalogue.get(op_id))
        envelope = projection.legacy_envelope if side == "legacy" else projection.new_envelope
        records = projection.records(side, _body(envelope, value))  # type: ignore[arg-type]
    except Exception:  # not records of this operation at all
        return None
    return sorted(records, key=lambda r: str(r.get("id")) if isinstance(r, dict) else repr(r))


def verdict(
    call: Call, before: Run, after: Run, strategy: Strategy, catalogue: Catalogue,
    edited: bool = True,
) -> str:
    """How one call fared after a rewrite (see the verdict constants)."""
    old, new = before.outcome(call.label), after.outcome(call.label)
    if new is not None and new == old:
        return EQUAL
    if not edited:  # an untouched file cannot be broken by the codemod, only left alone
        return NOT_MIGRATED
    if new is None:
        return BROKEN
    if call.has_gap(catalogue) and new.get("status") in GAP_STATUSES:
        # compat routes it, native moves the host it shares: either way a clear 404/501, as
        # once the legacy API is gone (docs/rules.md, "Per-call atomicity")
        return GAP
    lost = lost_names(catalogue, call.ops)
    both_returned = old is not None and "returned" in old and "returned" in new
    if both_returned and only_losses(old["returned"], new["returned"], lost):  # type: ignore[index]
        return LOSSY
    mapped = [op for op in call.ops if op in {o.id for o in catalogue if o.mapped}]
    if strategy == "native" and both_returned and old is not None and len(mapped) == 1:
        before_records = canonical(catalogue, mapped[0], "legacy", old["returned"])
        after_records = canonical(catalogue, mapped[0], "new", new["returned"])
        if before_records is not None and after_records is not None and (
            before_records == after_records or only_losses(before_records, after_records, lost)
        ):
            return SHAPE_CHANGED
        if _parts_alike(catalogue, mapped[0], old["returned"], new["returned"], lost):
            return SHAPE_CHANGED
    if after.refused(call.label):
        legacy_auth = {r["auth"] for r in after.refused(call.label)} - {"Bearer", None}
        return BROKEN if legacy_auth else NOT_MIGRATED
    if "raised" in new:
        return BROKEN
    return DIFFERS


def _parts_alike(
    catalogue: Catalogue, op_id: str, old: Any, new: Any, lost: set[str]
) -> bool:
    """A dict a client built from one answer (`{"employees": <records>, "total": <total>}`):
    the same keys, each value equal, or the same records in canonical shape (but for losses)."""
    if not (isinstance(old, dict) and isinstance(new, dict)) or old.keys() != new.keys():
        return False
    changed = False
    for key, value in old.items():
        if new[key] == value:
            continue
        before = canonical(catalogue, op_id, "legacy", value)
        after = canonical(catalogue, op_id, "new", new[key])
        if before is None or after is None or not (
            before == after or only_losses(before, after, lost)
        ):
            return False
        changed = True
    return changed


@dataclass(frozen=True)
class StrategyReport:
    rewrite: Rewrite
    run: Run
    verdicts: Mapping[str, str]
    uncovered: tuple[Site, ...]  # rewrite sites `scan` did not report

    def harmful(self, original: Run) -> list[str]:
        """Calls that worked before and now fail for a reason other than a legacy call left
        alone; the whole module when it no longer compiles or imports."""
        if not code_edited(self.rewrite.original, self.rewrite.source):
            return []
        if not self.rewrite.compiles:
            return ["<does not compile>"]
        if self.run.import_error and not original.import_error:
            return [f"<import: {self.run.import_error}>"]
        return [name for name, v in self.verdicts.items()
                if v == BROKEN and "returned" in (original.outcome(name) or {})]


@dataclass(frozen=True)
class ModuleReport:
    module: CorpusModule
    scan: tuple[int, ...]
    original: Run
    strategies: Mapping[str, StrategyReport] = field(default_factory=dict)


@contextlib.contextmanager
def _simulator(module: CorpusModule, shared: SimulatorHandle | None) -> Iterator[SimulatorHandle]:
    if shared is not None and not module.writes:
        yield shared
    else:
        with serve() as fresh:
            yield fresh


def measure(
    module: CorpusModule,
    shared: SimulatorHandle | None = None,
    strategies: tuple[Strategy, ...] = STRATEGIES,
    catalogue: Catalogue | None = None,
) -> ModuleReport:
    """Run the original, rewrite it per strategy, run each result and compare.

    Read-only modules use `shared` (when given); a module that writes gets a fresh simulator
    per run, so that every run starts from the same seeded state.
    """
    catalogue = catalogue or load_catalogue()
    with tempfile.TemporaryDirectory(prefix="corpus-") as temp:
        work = Path(temp)
        source = module.path
        pristine = work / "original" / source.name
        pristine.parent.mkdir()
        shutil.copy2(source, pristine)
        scan = tuple(scan_lines(pristine))
        with _simulator(module, shared) as sim:
            original = run_module(pristine, module, sim, work, rewritten=False)
        reports: dict[str, StrategyReport] = {}
        for strategy in strategies:
            target = work / strategy / source.name
            target.parent.mkdir()
            shutil.copy2(source, target)
            done = rewrite(target, strategy)
            with _simulator(module, shared) as sim:
                after = run_module(target, module, sim, work, rewritten=True)
            edited = code_edited(source.read_text(encoding="utf-8"), done.source)
            verdicts = {c.label: verdict(c, original, after, strategy, catalogue, edited)
                        for c in module.calls}
            if any(v == BROKEN and not after.refused(k) for k, v in verdicts.items()):
                # a call left alone that fails for want of the legacy token fails the same in
                # the untouched module after the cut-over: not migrated, not harmed
                (work / "cut-over").mkdir(exist_ok=True)
                with _simulator(module, shared) as sim:
                    cut_over = run_module(pristine, module, sim, work / "cut-over",
                                          rewritten=True)
                verdicts = {k: NOT_MIGRATED if _fails_alike(k, after, cut_over) else v
                            for k, v in verdicts.items()}
            uncovered = tuple(s for s in done.sites if not s.covered_by(scan))
            reports[strategy] = StrategyReport(done, after, verdicts, uncovered)
    return ModuleReport(module, scan, original, reports)


WORKING = (EQUAL, LOSSY, SHAPE_CHANGED)  # a call the native rewrite moved, and that works
LEGACY_ENV = {"PLEO_TOKEN": "legacy.token"}


def measure_native(
    simulator: SimulatorHandle,
    folder: Path,
    name: str,
    source: str,
    calls: tuple[Call, ...],
    factory: str | None = None,
    env: Mapping[str, str] = LEGACY_ENV,
    writes: bool = False,
) -> tuple[ModuleReport, StrategyReport]:
    """A hand-written module (its text, dedented) measured like a corpus module with the native
    rewrite, after the checks every such test makes: each original call returned something,
    the rewrite compiles, breaks nothing that worked, and `scan` reports every place it acted
    on. The verdicts are the caller's to judge."""
    path = folder / f"{name}.py"
    path.write_text(code(source), encoding="utf-8")
    module = CorpusModule(str(path), calls, env, factory=factory, writes=writes)
    report = measure(module, simulator, ("native",), load_catalogue())
    for call in calls:
        assert "returned" in (report.original.outcome(call.label) or {}), call.label
    done = report.strategies["native"]
    assert done.rewrite.compiles
    assert done.harmful(report.original) == []
    assert done.uncovered == ()  # scan reports every place the rewrite acted on
    return report, done


def _fails_alike(label: str, after: Run, cut_over: Run) -> bool:
    """Whether a call raises in the rewritten module as in the untouched one after the
    cut-over (legacy token unset, legacy hosts unreachable), sending nothing either time."""
    new, old = after.outcome(label), cut_over.outcome(label)
    return (
        new is not None and "raised" in new and new == old
        and not after.calls.get(label, {}).get("requests")
    )


def all_modules() -> tuple[CorpusModule, ...]:
    return CORPUS


def explain(report: ModuleReport, strategy: Strategy, label: str) -> str:
    """One line on why a call is not behaviour-equal after a rewrite (for reports)."""
    done = report.strategies[strategy]
    verdict_ = done.verdicts[label]
    if done.run.import_error:
        return f"{verdict_}: the rewritten module fails at import: {done.run.import_error[:90]}"
    record = done.run.calls.get(label, {})
    refused = done.run.refused(label)
    if refused:
        where = refused[0]
        return f"{verdict_}: still calls {where['method']} {where['host']}{where['path']}"
    if "raised" in record:
        return f"{verdict_}: raises {record['detail'][:110]}"
    return f"{verdict_}: returns something else"


def function_span(source: str, name: str) -> tuple[int, int] | None:
    """Lines of the (first) function or method called `name` in `source`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return (node.lineno, node.end_lineno or node.lineno)
    return None
