"""The code stays ruff-clean: the same check every commit runs, so CI catches what a commit skipped."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from citygraph.resources import resource_dir

ROOT = resource_dir("data").parent


@pytest.mark.skipif(
    importlib.util.find_spec("ruff") is None, reason="ruff not installed (pip install -e '.[test]')"
)
def test_ruff_check_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
