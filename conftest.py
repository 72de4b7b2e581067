"""Test set-up for the whole repository: every rule sample under rules/ is a test item."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

# an isolated parse cache for the whole test session, before anything reads the location
os.environ.setdefault("IAMREADY_CACHE_DIR", tempfile.mkdtemp(prefix="iamready-test-cache-"))
os.environ.setdefault("IAMREADY_NO_PROGRESS", "1")

from iamready.testing import collect_rule_samples


def pytest_collect_file(parent: Any, file_path: Path) -> Any:
    return collect_rule_samples(parent, file_path)
