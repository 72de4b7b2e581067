"""Wheel build hook: ship the HCL parser tables, so that no first run on a fresh machine (a CI job, a new
pre-commit environment) spends about 3 s building them.

The tables are named after the grammar's hash and the versions of python-hcl2, Lark and Python
(``iamready.parsers.terraform.hcl``): when the installing environment differs, they are simply not
used and iamready builds its own into the user cache directory, as it does without them. When Lark or
python-hcl2 cannot be imported here, the wheel is built without tables.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ParserTablesHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        source = str(Path(self.root) / "src")
        sys.path.insert(0, source)
        try:
            from iamready.parsers.terraform.hcl import build_tables

            target = build_tables(Path(tempfile.mkdtemp(prefix="iamready-tables-")))
        except Exception as exc:  # Lark or python-hcl2 missing from the build environment
            self.app.display_warning(f"iamready: HCL parser tables not shipped ({type(exc).__name__}: {exc})")
            return
        finally:
            sys.path.remove(source)
        build_data["force_include"][str(target)] = f"iamready/parsers/terraform/_tables/{target.name}"
