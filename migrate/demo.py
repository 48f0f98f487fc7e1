"""The end-to-end story on the embedded simulator, in one go (`pleo-migrate demo`).

Start both simulated APIs (drift `defects`, so the report has something to show), scan and
preview a rewrite of `examples/`, run the example client through the compat proxy, run a
parity check, render the report, stop everything. Each step is the real command a user runs,
as a subprocess; the demo only sequences them and collects what they said.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.compat import ProxyAccess, ProxyConfig, build_proxy_app, new_caller_token
from migrate.errors import ConfigurationError
from migrate.pleo import LEGACY_BASE_PATH, LEGACY_TOKEN_VAR, LEGACY_URL_VAR
from migrate.serving import ServedApps
from migrate.simulator import DriftConfig, SimulatorConfig, build_simulator, start_servers

Progress = Callable[[str], None]
STEP_TIMEOUT = 300


@dataclass(frozen=True)
class Step:
    name: str
    command: str
    exit_code: int
    seconds: float
    detail: str


@dataclass(frozen=True)
class DemoResult:
    report: Path
    steps: tuple[Step, ...]
    summary: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def find_examples(start: Path | None = None) -> Path:
    """The examples folder of a source checkout (the demo migrates it)."""
    for folder in [start or Path.cwd(), Path(__file__).resolve().parent.parent]:
        candidate = folder / "examples"
        if (candidate / "expense_report" / "report.py").exists():
            return candidate
    raise ConfigurationError(
        "the demo migrates the examples/ folder of a pleo-migrate source checkout; "
        "run it from there (make demo)"
    )


def _run(
    name: str,
    argv: Sequence[str],
    *,
    ok: tuple[int, ...],
    env: dict[str, str],
    stdout_to: Path | None = None,
    cwd: Path | None = None,
) -> tuple[Step, str]:
    started = time.monotonic()
    try:
        done = subprocess.run(
            list(argv), capture_output=True, text=True, env=env, timeout=STEP_TIMEOUT,
            check=False, cwd=cwd,
        )
    except subprocess.TimeoutExpired:
        raise ConfigurationError(f"demo step '{name}' took longer than {STEP_TIMEOUT} s") from None
    if stdout_to is not None:
        stdout_to.write_text(done.stdout, encoding="utf-8")
    shown = " ".join(Path(a).name if a == sys.executable else a for a in argv)
    if done.returncode not in ok:
        last = (done.stderr.strip() or done.stdout.strip()).splitlines()[-3:]
        raise ConfigurationError(
            f"demo step '{name}' failed (exit {done.returncode}): {' / '.join(last)}"
        )
    detail = (done.stderr.strip().splitlines() or [""])[-1]
    return Step(name, shown, done.returncode, time.monotonic() - started, detail), done.stdout


def run_demo(out: Path, progress: Progress, examples: Path | None = None) -> DemoResult:
    started = time.monotonic()
    examples = examples or find_examples()
    out.mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "migrate"]
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("PLEO_")}
    steps: list[Step] = []

    progress("starting both simulated APIs (drift: defects)")
    simulator = build_simulator(SimulatorConfig(drift=DriftConfig.parse("defects")))
    with start_servers(simulator, host="127.0.0.1") as running, \
            tempfile.TemporaryDirectory(prefix="pleo-migrate-demo-") as secrets_dir:
        document = running.credentials_document()
        legacy, new = document["legacy"], document["new"]
        token_file = Path(secrets_dir) / "legacy-token"
        key_file = Path(secrets_dir) / "api-key"
        for path, secret in ((token_file, legacy["token"]), (key_file, new["api_key"])):
            path.write_text(secret, encoding="utf-8")
            path.chmod(0o600)

        progress(f"scanning {examples} for legacy Pleo calls")
        here = examples.parent  # so paths in the scan read examples/…
        step, _ = _run("scan", [*cli, "scan", examples.name, "-o", "json"], ok=(0, 1),
                       env=base_env, stdout_to=out / "scan.json", cwd=here)
        steps.append(step)

        progress("previewing the native rewrite (--diff; nothing is written)")
        step, _ = _run("rewrite --diff",
                       [*cli, "rewrite", examples.name, "--diff", "--strategy", "native"],
                       ok=(0, 1), env=base_env, stdout_to=out / "rewrite.diff", cwd=here)
        steps.append(step)

        progress("running the example client against the legacy API, then through the compat proxy")
        example = [sys.executable, str(examples / "expense_report" / "report.py")]
        direct_env = {**base_env, LEGACY_URL_VAR: legacy["base_url"],
                      LEGACY_TOKEN_VAR: legacy["token"]}
        step, direct = _run("example on the legacy API", example, ok=(0,), env=direct_env)
        steps.append(step)
        config = ProxyConfig(env=document["environment"], company_id=new["company_id"],
                             new_base_url=new["base_url"], api_key=new["api_key"])
        caller_token = new_caller_token()  # the example swaps its legacy token for this one
        access = ProxyAccess(caller_token=caller_token)
        with ServedApps([(build_proxy_app(config, access=access), "127.0.0.1", 0)]) as proxy:
            proxy_env = {**base_env, LEGACY_URL_VAR: proxy.url() + LEGACY_BASE_PATH,
                         LEGACY_TOKEN_VAR: caller_token}
            step, through = _run("example through the compat proxy", example, ok=(0,),
                                 env=proxy_env)
        (out / "example-legacy.txt").write_text(direct, encoding="utf-8")
        (out / "example-compat.txt").write_text(through, encoding="utf-8")
        same = (
            "the same report as against the legacy API" if direct == through else
            "a different report from the legacy API's: the simulator plants parity defects "
            "(drift `defects`), which the shadow run and the report point out"
        )
        steps.append(Step(step.name, step.command, step.exit_code, step.seconds, same))

        progress("comparing both APIs (shadow run)")
        step, _ = _run(
            "shadow",
            [*cli, "shadow", "--legacy-url", legacy["base_url"], "--new-url", new["base_url"],
             "--company-id", new["company_id"], "--legacy-token-file", str(token_file),
             "--api-key-file", str(key_file), "--from-scan", str(out / "scan.json"),
             "--rate", "0", "--sample", "200", "--recheck-backoff", "0.2",
             "--out", str(out / "shadow")],
            ok=(0, 1), env=base_env,
        )
        steps.append(step)

    progress("rendering the report")
    step, stdout = _run("report", [*cli, "report", "--scan", str(out / "scan.json"),
                                   "--shadow", str(out / "shadow"), "--out", str(out)],
                        ok=(0,), env=base_env)
    steps.append(step)
    report = Path(stdout.strip() or out / "index.html")
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return DemoResult(report, tuple(steps), data["readiness"], time.monotonic() - started)
