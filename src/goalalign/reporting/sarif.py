"""The report as SARIF 2.1.0, the format code hosts and review tools read.

Each rule's metadata becomes a ``reportingDescriptor`` in ``tool.driver.rules`` (id = code,
name = rule name), so a host can show the rationale and fix beside every result. A result
points at the document (``source``) and line when known, and always names its subject as a
logical location (``goal/it-uptime``), because a cascade read from a DataFrame has no file.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from goalalign._version import __version__
from goalalign.engine.findings import Finding, Severity
from goalalign.engine.rule import Rule, RuleMeta
from goalalign.reporting.report import Report

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "render_sarif", "sarif_level", "to_sarif"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_level(severity: Severity) -> str:
    """SARIF's name for a severity: ``error``, ``warning`` or ``note``."""
    return _LEVELS[severity]


def _descriptor(meta: RuleMeta) -> dict[str, Any]:
    help_lines = [meta.summary]
    if meta.fix:
        help_lines.append(f"Fix: {meta.fix}")
    if meta.options:
        help_lines.append(
            "Options: " + "; ".join(f"{o.name} (default {o.default!r})" for o in meta.options)
        )
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.rationale},
        "help": {"text": "\n".join(help_lines)},
        "defaultConfiguration": {"level": sarif_level(meta.severity)},
        "properties": {"family": meta.family, "tags": [meta.family]},
    }


def _artifact_uri(source: str) -> str:
    """A URI reference for the document: ``file://`` for absolute paths, else relative."""
    path = Path(source)
    if path.is_absolute():
        return path.as_uri()
    return quote(str(PurePosixPath(*path.parts))) if path.parts else quote(source)


def _result(finding: Finding, index: int, uri: str | None) -> dict[str, Any]:
    subject = finding.subject
    qualified = f"{subject.kind.value}/{subject.id}"
    if subject.target is not None:
        qualified += f"->{subject.target}"
    location: dict[str, Any] = {
        "logicalLocations": [
            {"name": subject.id, "fullyQualifiedName": qualified, "kind": subject.kind.value}
        ]
    }
    if uri is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if finding.line is not None:
            physical["region"] = {"startLine": finding.line}
        location["physicalLocation"] = physical
    text = finding.message
    if finding.fix:
        text += f" Fix: {finding.fix}"
    properties: dict[str, Any] = {
        "rule": finding.rule,
        "family": finding.family,
        "subject": subject.to_dict(),
        "related": [r.to_dict() for r in finding.related],
    }
    if finding.team is not None:
        properties["team"] = finding.team
    if finding.evidence:
        properties["evidence"] = dict(finding.evidence)
    return {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": sarif_level(finding.severity),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"goalalign/v1": "/".join(finding.key)},
        "properties": properties,
    }


def to_sarif(report: Report, *, source: str | None = None) -> dict[str, Any]:
    """The SARIF log as plain data; ``source`` is the document's path (default: the cascade's)."""
    if source is None and report.cascade is not None:
        source = report.cascade.source.path
    uri = _artifact_uri(source) if source else None
    descriptors: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}

    def ensure(meta: RuleMeta) -> int:
        if meta.code not in index_of:
            index_of[meta.code] = len(descriptors)
            descriptors.append(_descriptor(meta))
        return index_of[meta.code]

    rules: list[Rule] = sorted(report.rules, key=lambda r: r.code)
    for item in rules:
        ensure(item.meta)
    results = []
    for finding in report.findings:
        if finding.code not in index_of:
            # A finding from a rule the report does not describe still needs a descriptor.
            ensure(_bare_meta(finding))
        results.append(_result(finding, index_of[finding.code], uri))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "goalalign",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if uri is not None:
        run["artifacts"] = [{"location": {"uri": uri}}]
    notifications = [
        {
            "level": "error",
            "message": {"text": f"plugin {p.name} ({p.value}) failed to load: {p.error}"},
        }
        for p in report.broken_plugins
    ]
    run["invocations"] = [
        {"executionSuccessful": True, "toolExecutionNotifications": notifications}
    ]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _bare_meta(finding: Finding) -> RuleMeta:
    return RuleMeta(
        name=finding.rule,
        code=finding.code,
        family=finding.family,
        severity=finding.severity,
        summary=finding.rule.replace("-", " "),
        rationale="",
        bad="",
        good="",
    )


def render_sarif(report: Report, *, source: str | None = None) -> str:
    """The report as a SARIF 2.1.0 JSON document."""
    return json.dumps(to_sarif(report, source=source), indent=2, ensure_ascii=False, default=str)
