"""The report: data, schema, HTML safety, secrets, and the CLI around it."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from migrate import report as reports
from migrate.cli import run
from migrate.mapping import load_catalogue
from tests.report.fixtures import scan_document, shadow_folder

SCHEMA = json.loads(
    (Path(reports.__file__).parent / "report.schema.json").read_text(encoding="utf-8")
)
CATALOGUE = load_catalogue()


def _inputs(
    tmp_path: Path, scan: dict[str, Any] | None = None, results: list[dict[str, Any]] | None = None
) -> tuple[Path, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    scan_path = tmp_path / "scan.json"
    scan_path.write_text(json.dumps(scan or scan_document()), encoding="utf-8")
    return scan_path, shadow_folder(tmp_path / "shadow", results)


def _validate(data: dict[str, Any]) -> None:
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(data), key=str)
    assert not errors, [f"{e.message} at {list(e.absolute_path)}" for e in errors[:5]]


def test_both_inputs(tmp_path: Path) -> None:
    scan, shadow = _inputs(tmp_path)
    data = reports.build(
        CATALOGUE,
        scan=scan,
        shadow=shadow,
        timeline={"legacy-sunset": "2026-01-01", "cut-over": "2025-11-01"},
    )
    _validate(data)
    readiness = {item["id"]: item for item in data["readiness"]["operations"]}
    assert readiness["employees.create"]["status"] == "blocked"
    assert readiness["expenses.list"]["status"] == "needs work"  # a record differs
    assert readiness["dynamic path"]["status"] == "needs work"
    assert data["readiness"]["status"] == "blocked"
    assert data["scopes"] == {
        "basis": "code",
        "scopes": [{"scope": "accounting-entries:read", "operations": ["expenses.list"]}],
    }
    assert [e["name"] for e in data["timeline"]["events"]] == ["cut over", "legacy sunset"]
    sample = data["parity"]["operations"][0]["samples"][0]
    assert sample["id"] == "e-1" and sample["differences"][0]["new"] == 12300


def test_scan_alone_and_shadow_alone(tmp_path: Path) -> None:
    scan, shadow = _inputs(tmp_path)
    planning = reports.build(CATALOGUE, scan=scan, shadow=None)
    _validate(planning)
    assert planning["parity"] is None and planning["code"]["call_sites"] == 3
    parity = reports.build(CATALOGUE, scan=None, shadow=shadow)
    _validate(parity)
    assert parity["code"] is None and parity["scopes"]["basis"] == "catalogue"
    assert {i["id"] for i in parity["readiness"]["operations"]} == {
        "expenses.list",
        "employees.get",
    }


def test_coverage_lists_every_operation(tmp_path: Path) -> None:
    _, shadow = _inputs(tmp_path)
    data = reports.build(CATALOGUE, scan=None, shadow=shadow)
    assert len(data["coverage"]) == 46  # every operation of legacy-openapi.yml
    assert {row["evidence"] for row in data["coverage"]} == {"documented", "inferred"}
    gaps = [row for row in data["coverage"] if row["kind"] == "gap"]
    assert all(row["gap"] and row["docs"].startswith("https://") for row in gaps)


def test_write_renders_html_from_the_same_data(tmp_path: Path) -> None:
    scan, shadow = _inputs(tmp_path)
    data = reports.build(CATALOGUE, scan=scan, shadow=shadow)
    files = reports.write(data, tmp_path / "out")
    assert json.loads(files.json.read_text(encoding="utf-8")) == data
    html = files.html.read_text(encoding="utf-8")
    assert 'class="readiness-table"' in html and 'class="scopes"' in html
    assert '<mark class="mismatch">12300</mark>' in html
    assert "Content-Security-Policy" in html and "<script" not in html


class _Audit(HTMLParser):
    """Collects what would run or load: script elements, on* attributes, URL attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("script", "iframe", "object", "embed", "base", "form", "link", "img"):
            self.scripts += 1
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append(f"{tag}.{name}")
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "data"):
                self.urls.append(value or "")


PAYLOADS = [
    "<script>alert(1)</script>",
    "</code></td></tr></table><script>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "<svg onload=alert(4)>",
    "javascript:alert(5)",
    '<a href="javascript:alert(6)">x</a>',
    '"><script>alert(7)</script>',
    "'><svg/onload=alert(8)>",
    "<iframe src=javascript:alert(9)>",
    "<body onload=alert(10)>",
    "</style><script>alert(11)</script>",
    "</title><script>alert(12)</script>",
    "<math><mi xlink:href=javascript:alert(13)>",
    "<details open ontoggle=alert(14)>",
    "<input autofocus onfocus=alert(15)>",
    "&lt;script&gt;alert(16)&lt;/script&gt;",
    "\u003cscript\u003ealert(17)\u003c/script\u003e",
    "<scr<script>ipt>alert(18)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<a href=JaVaScRiPt:alert(20)>",
    '<a href="&#106;avascript:alert(21)">',
    "<object data=javascript:alert(22)>",
    "<embed src=javascript:alert(23)>",
    "<form action=javascript:alert(24)><button>",
    "<base href=//evil.example/>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(26)>",
    "<link rel=stylesheet href=//evil.example>",
    "<style>@import '//evil.example'</style>",
    '<div style="background:url(javascript:alert(29))">',
    "<svg><script>alert(30)</script></svg>",
    "<!--<script>alert(31)//-->",
    "<![CDATA[<script>alert(32)</script>]]>",
    "\u202e<script>alert(33)</script>",
    "\u0000<script>alert(34)</script>",
    "<scri\u0000pt>alert(35)</script>",
    "<video><source onerror=alert(36)>",
    "<audio src=x onerror=alert(37)>",
    "<marquee onstart=alert(38)>",
    "<select autofocus onfocus=alert(39)>",
    "<textarea autofocus onfocus=alert(40)>",
    "<keygen autofocus onfocus=alert(41)>",
    "<isindex action=javascript:alert(42)>",
    "<table background=javascript:alert(43)>",
    "{{7*7}}{% raw %}",
    "${alert(45)}",
    "<x onclick=alert(46)>click",
    '<a href="data:text/html,<script>alert(47)</script>">',
    '<svg><a xlink:href="javascript:alert(48)"><text>x</text></a></svg>',
    '"onmouseover="alert(49)',
    '<img src="x" onerror="&#97;lert(50)">',
]


def _poison(value: Any, payload: str) -> Any:
    if isinstance(value, str):
        return payload
    if isinstance(value, dict):
        return {k: _poison(v, payload) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, payload) for v in value]
    return value


def test_hostile_strings_everywhere_stay_inert(tmp_path: Path) -> None:
    assert len(PAYLOADS) == 50
    for index, payload in enumerate(PAYLOADS):
        base = tmp_path / str(index)
        results = [
            _poison(line, payload)
            for line in [
                {
                    "operation": "expenses.list",
                    "id": "e-1",
                    "outcome": "mismatch",
                    "differences": [
                        {
                            "path": "note",
                            "field": "note",
                            "change": "value",
                            "verdict": "mismatch",
                            "legacy": "a",
                            "new": "b",
                            "reason": "r",
                        }
                    ],
                    "error": "e",
                    "reason": "r",
                },
            ]
        ]
        for line in results:
            line["outcome"] = "mismatch"
            line["operation"] = payload
        scan, shadow = _inputs(base, _poison(scan_document(), payload), results)
        summary = json.loads((shadow / "summary.json").read_text())
        summary["run"] = _poison(summary["run"], payload)
        for op in summary["operations"]:
            op["operation"] = payload if op["operation"] == "expenses.list" else op["operation"]
            for field in op.get("fields", []):
                field["field"] = payload
            op["errors"] = [payload]
        (shadow / "summary.json").write_text(json.dumps(summary))
        data = reports.build(CATALOGUE, scan=scan, shadow=shadow, timeline={payload: "2026-01-01"})
        html = reports.write(data, base / "out").html.read_text(encoding="utf-8")
        audit = _Audit()
        audit.feed(html)
        assert audit.scripts == 0, payload
        assert audit.handlers == [], payload
        assert all(url.startswith(("https://", "#")) for url in audit.urls), (payload, audit.urls)
        assert set(audit.tags) <= {
            "html",
            "head",
            "meta",
            "title",
            "style",
            "body",
            "header",
            "h1",
            "h2",
            "h3",
            "p",
            "nav",
            "a",
            "section",
            "div",
            "b",
            "span",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "code",
            "br",
            "ul",
            "ol",
            "li",
            "details",
            "summary",
            "mark",
            "svg",
            "text",
            "rect",
        }, payload


CANARY = "canary-" + "secret-" + "9d41c7e2"  # built at run time; never a real credential


def test_canary_secrets_never_reach_html_or_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLEO_API_KEY", CANARY + "-key")
    scan = scan_document()
    scan["credentials"][0]["value"] = CANARY
    scan["credentials"][0]["token"] = CANARY
    scan["call_sites"][0]["url"] = f"send Authorization: Bearer {CANARY}"
    results = [
        {
            "operation": "expenses.list",
            "id": "e-1",
            "outcome": "mismatch",
            "differences": [
                {
                    "path": "note",
                    "field": "note",
                    "change": "value",
                    "verdict": "mismatch",
                    "legacy": f"Basic {CANARY}",
                    "new": f"key {CANARY}-key",
                },
                {
                    "path": "apiKey",
                    "field": "apiKey",
                    "change": "value",
                    "verdict": "mismatch",
                    "legacy": CANARY,
                    "new": "x",
                },
            ],
            "error": f"401 for token sim_key_production_{CANARY}",
        }
    ]
    scan_path, shadow = _inputs(tmp_path, scan, results)
    summary = json.loads((shadow / "summary.json").read_text())
    summary["run"]["legacy_token"] = CANARY
    summary["run"]["legacy_url"] = f"https://user:{CANARY}@openapi.pleo.io/v1?api_key={CANARY}"
    (shadow / "summary.json").write_text(json.dumps(summary))
    data = reports.build(CATALOGUE, scan=scan_path, shadow=shadow, secrets=(CANARY,))
    files = reports.write(data, tmp_path / "out")
    for path in (files.html, files.json):
        assert CANARY not in path.read_text(encoding="utf-8"), path.name
    # Without being told the value, names and shapes still catch it.
    data = reports.build(CATALOGUE, scan=scan_path, shadow=shadow)
    text = json.dumps(data)
    assert f"Basic {CANARY}" not in text and f"sim_key_production_{CANARY}" not in text
    assert f'"legacy_token": "{CANARY}"' not in text and f'"token": "{CANARY}"' not in text


def test_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scan, shadow = _inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pleo-migrate.timeline]\nlegacy-sunset = "2026-01-01"\n', encoding="utf-8"
    )
    assert run(["report", "--scan", str(scan), "--shadow", str(shadow), "--out", "r"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(Path("r") / "index.html")
    assert "report: blocked" in captured.err
    data = json.loads((tmp_path / "r" / "report.json").read_text())
    assert data["timeline"]["events"][0]["date"] == "2026-01-01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --scan"),
        (["--scan", "missing.json"], "no scan at missing.json"),
        (["--shadow", "nowhere"], "no shadow-run folder at nowhere"),
        (["--scan", "broken.json"], "is not valid JSON"),
        (["--shadow", "empty"], "no shadow summary"),
    ],
)
def test_cli_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.json").write_text('{"sites": [', encoding="utf-8")
    (tmp_path / "empty").mkdir()
    assert run(["report", *args, "--out", "r"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()
