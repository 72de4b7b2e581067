"""Shared SARIF checks: the vendored 2.1.0 schema plus GitHub code scanning's upload rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


def validate_sarif(log: dict[str, Any]) -> None:
    """Raise if ``log`` is not valid SARIF 2.1.0 or would be rejected or degraded by GitHub."""
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) <= 20
    for run in log["runs"]:
        rules = run["tool"]["driver"].get("rules", [])
        ids = [r["id"] for r in rules]
        assert len(ids) == len(set(ids)), "duplicate rule ids"
        for rule in rules:
            props = rule.get("properties", {})
            assert isinstance(props.get("security-severity"), str), rule["id"]
            float(props["security-severity"])
            assert all(isinstance(c, str) for c in props.get("checklist", [])), rule["id"]
            assert len(props.get("tags", [])) <= 10, rule["id"]
            assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
            assert rule["help"]["text"] and rule["help"]["markdown"]
        results = run.get("results", [])
        assert len(results) <= 25_000
        assert "%SRCROOT%" in run["originalUriBaseIds"]
        assert (
            len(json.dumps(log, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass"))
            <= 10_000_000
        )
        for result in results:
            assert result["ruleId"] in ids
            assert ids[result["ruleIndex"]] == result["ruleId"]
            assert result["message"]["text"]
            assert "primaryLocationLineHash" not in result.get("partialFingerprints", {})
            assert result["partialFingerprints"]
            assert len(result.get("relatedLocations", [])) <= 1000
            for location in result["locations"]:
                physical = location["physicalLocation"]
                uri = physical["artifactLocation"]["uri"]
                assert not uri.startswith("/") and "://" not in uri, f"URI must be relative: {uri}"
                assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
                assert physical["region"]["startLine"] >= 1
                assert location["logicalLocations"][0]["fullyQualifiedName"]
        for invocation in run.get("invocations", []):
            for note in invocation.get("toolExecutionNotifications", []):
                for location in note.get("locations", []):
                    assert location["physicalLocation"]["region"]["startLine"] >= 1
