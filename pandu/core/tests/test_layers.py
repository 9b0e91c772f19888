"""Imports go one way: the shared layers never import the apps built on them.

``regions`` (the official area tree) is the bottom layer: it imports no other Pandu app, core
included. ``core`` (access log, scoped fetch, API plumbing, jobs) sits under every domain app, so
it may not import one: an app that needs core to know about it registers itself into core.
``notifications`` sits on core and is called by every domain app, so it imports none of them.
``organisations`` (the one list of bodies) sits beneath registry, services and programs. The
source files are read, not imported, so a forbidden import inside a function counts too. Tests
are left out: the permission matrix in core's tests walks every app on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandu

PANDU = Path(pandu.__file__).parent

DOMAIN_APPS = (
    "pandu.registry",
    "pandu.services",
    "pandu.proposals",
    "pandu.exchange",
    "pandu.dedup",
    "pandu.programs",
)

#: Layer → packages none of its modules may import.
FORBIDDEN = {
    # Notifications sit on core: core tells them of a finished job through a hook they register.
    "pandu.core": (*DOMAIN_APPS, "pandu.notifications"),
    # A platform app every domain app calls; it knows none of them.
    "pandu.notifications": (*DOMAIN_APPS, "pandu.portal", "pandu.demo"),
    "pandu.regions": ("pandu.core",),
    # The one list of bodies (decision 0013): partner agencies, PSKS institutions and
    # programmes point to it, so it imports none of them.
    "pandu.organisations": (*DOMAIN_APPS, "pandu.portal", "pandu.demo"),
    # Backups, health and metrics sit on core; the registry's counts are read by model name.
    "pandu.operations": (*DOMAIN_APPS, "pandu.portal", "pandu.demo"),
    # Synthetic data and the demo office are built on the domain apps, never the other way.
    "pandu.registry": ("pandu.demo",),
    "pandu.services": ("pandu.demo",),
    "pandu.programs": ("pandu.demo",),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PANDU.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module named by an import statement in ``path``, relative imports resolved, and
    every constant name given to ``importlib.import_module``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            names.add(stem)
            names.update(f"{stem}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def forbidden_imports(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    root = PANDU.parent.joinpath(*layer.split("."))
    found = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.relative_to(root).parts:
            continue
        for name in sorted(imported_modules(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(PANDU.parent)} imports {name}")
    return found


def test_core_imports_no_app_built_on_it():
    found = forbidden_imports("pandu.core", FORBIDDEN["pandu.core"])
    assert not found, "\n".join(found)


def test_notifications_import_no_domain_app():
    found = forbidden_imports("pandu.notifications", FORBIDDEN["pandu.notifications"])
    assert not found, "\n".join(found)


def test_regions_imports_nothing_of_core():
    found = forbidden_imports("pandu.regions", FORBIDDEN["pandu.regions"])
    assert not found, "\n".join(found)


def test_organisations_import_none_of_the_apps_that_point_to_them():
    found = forbidden_imports("pandu.organisations", FORBIDDEN["pandu.organisations"])
    assert not found, "\n".join(found)


def test_the_domain_apps_never_import_the_demo_package():
    found = [
        line
        for layer in ("pandu.registry", "pandu.services", "pandu.programs")
        for line in forbidden_imports(layer, FORBIDDEN[layer])
    ]
    assert not found, "\n".join(found)


def test_the_scan_sees_plain_relative_and_late_imports(tmp_path, monkeypatch):
    package = tmp_path / "pandu" / "core"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "late.py").write_text(
        "def f():\n"
        "    from ..registry.models import Person\n"
        "    import pandu.services.demo\n"
        "    import importlib\n"
        "    importlib.import_module('pandu.dedup.online')\n"
    )
    (package / "fine.py").write_text("from pandu.accounts.roles import Cap\nfrom . import access\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PANDU"]), "PANDU", tmp_path / "pandu")
    found = forbidden_imports("pandu.core", FORBIDDEN["pandu.core"])
    assert found == [
        "pandu/core/late.py imports pandu.dedup.online",
        "pandu/core/late.py imports pandu.registry.models",
        "pandu/core/late.py imports pandu.registry.models.Person",
        "pandu/core/late.py imports pandu.services.demo",
    ]
