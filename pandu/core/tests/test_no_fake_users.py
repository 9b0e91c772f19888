"""Work is done for a real user or for an area, never for an object dressed up as a user.

A stand-in with ``is_authenticated = True`` and a ``can()`` that answers yes passes every access
check by construction, so a change to the checks never reaches the code that uses it. Code that
reads for an area (an import's duplicate check, a command-line export) asks the querysets for
that area instead (``in_area``). The source files are read, not imported; tests are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandu

PANDU = Path(pandu.__file__).parent
USER_ATTRIBUTES = {"is_authenticated", "is_anonymous"}


def _defines_user_attribute(node: ast.ClassDef) -> bool:
    for item in node.body:
        targets: list[ast.expr] = []
        if isinstance(item, ast.Assign):
            targets = item.targets
        elif isinstance(item, ast.AnnAssign):
            targets = [item.target]
        elif (
            isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            and item.name in USER_ATTRIBUTES
        ):
            return True
        if any(isinstance(t, ast.Name) and t.id in USER_ATTRIBUTES for t in targets):
            return True
    return False


def stand_in_users(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.relative_to(root).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _defines_user_attribute(node):
                found.append(f"{path.relative_to(root.parent)}: class {node.name}")
            elif isinstance(node, ast.Call) and any(
                k.arg in USER_ATTRIBUTES for k in node.keywords
            ):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno} builds a user")
    return found


def test_no_module_makes_up_a_user():
    found = stand_in_users(PANDU)
    assert not found, "read for an area with in_area(), not as a made-up user:\n" + "\n".join(found)


def test_the_scan_finds_a_class_or_a_namespace_posing_as_a_user(tmp_path):
    package = tmp_path / "pandu"
    package.mkdir()
    (package / "fake.py").write_text(
        "from types import SimpleNamespace\n"
        "class Reader:\n"
        "    is_authenticated = True\n"
        "class Everyone:\n"
        "    @property\n"
        "    def is_authenticated(self):\n"
        "        return True\n"
        "anyone = SimpleNamespace(is_authenticated=True, scope_code='')\n"
        "class Plain:\n"
        "    authenticated = True\n"
    )
    assert stand_in_users(package) == [
        "pandu/fake.py: class Reader",
        "pandu/fake.py: class Everyone",
        "pandu/fake.py:8 builds a user",
    ]
