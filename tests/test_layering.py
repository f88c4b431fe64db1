"""Imports point one way: api -> rag -> index, eval -> rag -> index; index imports none of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import REPO

ALLOWED = {
    "index": set(),
    "rag": {"index"},
    "eval": {"rag", "index"},
    "api": {"rag", "index", "eval"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_layers_below_it(package: str) -> None:
    ours = set(ALLOWED)
    for path in sorted((REPO / package).rglob("*.py")):
        wrong = (_imports(path) & ours) - ALLOWED[package] - {package}
        assert not wrong, f"{path.relative_to(REPO)} imports {sorted(wrong)}"
