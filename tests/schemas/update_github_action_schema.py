"""Refresh tests/schemas/github-action.schema.json, the metadata schema for action.yml.

Source: the SchemaStore schema ``https://json.schemastore.org/github-action.json`` as vendored by the
PyPI package ``check-jsonschema`` (``check_jsonschema/builtin_schemas/vendor/github-actions.json``).
The package version it came from is recorded in ``github-action.schema.source``. Run:

    python tests/schemas/update_github_action_schema.py   # downloads the wheel with pip, no install
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
MEMBER = "check_jsonschema/builtin_schemas/vendor/github-actions.json"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "check-jsonschema", "-d", tmp, "-q"], check=True
        )
        wheel = next(Path(tmp).glob("check_jsonschema-*.whl"))
        version = wheel.name.split("-")[1]
        with zipfile.ZipFile(wheel) as archive:
            schema = json.loads(archive.read(MEMBER))
    (HERE / "github-action.schema.json").write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n", "utf-8")
    (HERE / "github-action.schema.source").write_text(f"check-jsonschema {version} {MEMBER}\n", "utf-8")


if __name__ == "__main__":
    main()
