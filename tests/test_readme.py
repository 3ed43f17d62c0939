"""The README's two opening commands are the contract with newcomers; CI runs the second one."""

from __future__ import annotations

import re

from citygraph.resources import resource_dir

ROOT = resource_dir("data").parent


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^(python3 -m venv .+)$", text, flags=re.M)[:2]


def test_readme_opens_with_the_main_job_and_the_tests() -> None:
    main, tests = _commands()
    assert "citygraph build" in main and "citygraph query cooperating" in main and "city=Seoul" in main
    assert "pytest" in tests and ".[test]" in tests


def test_ci_runs_the_readme_test_line() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and "pytest" in ci
