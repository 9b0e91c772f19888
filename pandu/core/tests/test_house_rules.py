"""House rules kept by tests: pages read protected records only through the access helpers, and
only actions (and the background work that calls them) write protected records.

*Protected models* are found, not listed: every model whose manager offers ``visible_to`` (a
``core.querysets`` scoped or owned queryset), and every model that hangs off one by a foreign key
(a case's notes, a household's memberships). A new model is covered the day it is written.

The source is read, not run: a call the rules cannot see through (``getattr`` tricks, a manager
passed around) escapes them, so keep code plain. Exceptions are listed below, each with its reason;
an exception that no longer matches anything fails too, so the lists only shrink.
"""

from __future__ import annotations

import ast
import inspect
from fnmatch import fnmatch
from functools import cache
from pathlib import Path

from django.apps import apps

import pandu

PANDU = Path(pandu.__file__).parent
ROOT = PANDU.parent

# --- What is protected ----------------------------------------------------------------------


def _is_history_table(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "history_id")


@cache
def scoped_models() -> dict[str, type]:
    """Models whose default manager offers ``visible_to(user)``."""
    return {
        m.__name__: m
        for m in apps.get_models()
        if m.__module__.startswith("pandu.")
        and not _is_history_table(m)
        and callable(getattr(m._default_manager, "visible_to", None))
    }


@cache
def protected_models() -> dict[str, type]:
    """Scoped models and the models that belong to one of them (a chain of foreign keys)."""
    found = dict(scoped_models())
    grew = True
    while grew:  # a plan's actions hang off its goals, which hang off the case
        grew = False
        for m in apps.get_models():
            if not m.__module__.startswith("pandu.") or _is_history_table(m):
                continue
            if m.__name__ not in found and any(
                f.many_to_one and f.related_model in found.values() for f in m._meta.get_fields()
            ):
                found[m.__name__] = m
                grew = True
    return found


@cache
def user_scoped_methods(name: str) -> frozenset[str]:
    """Methods of the model's queryset that take the user first: they apply its scope."""
    qs_class = type(protected_models()[name]._default_manager.get_queryset())
    methods = {"none"}
    for attr in dir(qs_class):
        fn = getattr(qs_class, attr, None)
        if attr.startswith("_") or not callable(fn):
            continue
        try:
            params = list(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            continue
        if len(params) > 1 and params[1] == "user":
            methods.add(attr)
    return frozenset(methods)


# --- Reading the source ---------------------------------------------------------------------


def _modules(predicate) -> list[Path]:
    return [
        p
        for p in sorted(PANDU.rglob("*.py"))
        if "tests" not in p.relative_to(PANDU).parts
        and "migrations" not in p.relative_to(PANDU).parts
        and p.name != "conftest.py"
        and predicate(p.relative_to(ROOT).as_posix())
    ]


def _is_view_module(path: str) -> bool:
    parts = path.split("/")
    return parts[-1] == "views.py" or "views" in parts[:-1] or "api" in parts[:-1]


def _enclosing(tree: ast.AST) -> dict[int, str]:
    """Each node's innermost function (``Class.method`` or ``function``), by node id."""
    where: dict[int, str] = {}

    def visit(node: ast.AST, name: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = name
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{name}.{child.name}" if name else child.name
            where[id(child)] = inner
            visit(child, inner)

    visit(tree, "")
    return where


def _chain(node: ast.AST) -> tuple[str | None, list[str]]:
    """``Person.objects.filter(...).update`` → ("Person", ["objects", "filter", "update"])."""
    attrs: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            break
    root = node.id if isinstance(node, ast.Name) else None
    return root, attrs[::-1]


MANAGERS = {"objects", "_default_manager", "_base_manager"}


def _called(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def unscoped_reads(path: Path) -> list[tuple[str, str, str]]:
    """``(function, expression, line)`` for each protected manager used without a scope."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = _enclosing(tree)
    protected = protected_models()
    found = []
    used: set[int] = set()
    managers = {
        id(n): n
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and n.attr in MANAGERS
        and isinstance(n.value, ast.Name)
        and n.value.id in protected
    }
    # Rows reached through records already fetched: a Prefetch of their children, or a
    # Subquery/Exists tied to each outer row by OuterRef.
    through_outer = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) in ("Prefetch", "Subquery", "Exists"):
            inner = list(ast.walk(node))
            if _called(node) == "Prefetch" or any(
                isinstance(n, ast.Call) and _called(n) == "OuterRef" for n in inner
            ):
                through_outer.update(id(n) for n in inner)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node.value) in managers:
            used.add(id(node.value))
            if id(node) in through_outer:
                continue
            model = node.value.value.id  # type: ignore[attr-defined]
            if node.attr not in user_scoped_methods(model):
                expr = f"{model}.{node.value.attr}.{node.attr}"  # type: ignore[attr-defined]
                found.append((where.get(id(node), ""), expr, str(node.lineno)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("get_object_or_404", "get_list_or_404")
        ):
            found.append((where.get(id(node), ""), node.func.id, str(node.lineno)))
    for key, node in managers.items():
        if key not in used:
            expr = f"{node.value.id}.{node.attr}"  # type: ignore[attr-defined]
            found.append((where.get(key, ""), expr, str(node.lineno)))
    return sorted(found, key=lambda f: int(f[2]))


WRITES = {
    "save",
    "delete",
    "create",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}


def writes(path: Path) -> list[tuple[str, str, str]]:
    """``(function, expression, line)`` for each write a protected model may be receiving.

    ``Person.objects....update()`` names its model. ``obj.save()`` and ``obj.delete()`` do not:
    any such call without positional arguments (a model's, a ModelForm's, a serializer's) counts;
    ``workbook.save(buffer)`` does not, nor ``super().save()`` inside a model.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = _enclosing(tree)
    protected = protected_models()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        root, attrs = _chain(node.func)
        if attrs[-1] not in WRITES:
            continue
        expr = ".".join([root or "…", *attrs])
        if set(attrs) & MANAGERS:
            if root in protected:
                found.append((where.get(id(node), ""), expr, str(node.lineno)))
        elif attrs[-1] in ("save", "delete") and not node.args and root != "super":
            found.append((where.get(id(node), ""), expr, str(node.lineno)))
    return sorted(found, key=lambda f: int(f[2]))


# --- Rule 1: pages read protected records through the access helpers --------------------------

#: (module, function, expression) → why it may read without ``visible_to``.
READ_EXCEPTIONS: dict[tuple[str, str, str], str] = {
    ("pandu/services/views/intake.py", "queue", "Intake.objects.filter"): (
        "the day's queue at a service point the user may see: every ticket holds a place in "
        "the line, but only intakes from Intake.objects.visible_to show more than the number"
    ),
}


def test_pages_and_api_views_read_protected_models_only_through_the_access_helpers():
    found = {}
    for path in _modules(_is_view_module):
        module = path.relative_to(ROOT).as_posix()
        for function, expr, line in unscoped_reads(path):
            found.setdefault((module, function, expr), []).append(line)
    unexplained = sorted(set(found) - set(READ_EXCEPTIONS))
    assert not unexplained, (
        "views read protected models without visible_to/restrict or get_for_user_or_404 "
        "(read through the record's visible parent, e.g. case.tasks, or the model's scoped "
        "queryset):\n"
        + "\n".join(
            f"  {m}:{','.join(found[(m, f, e)])} in {f or '(module)'}: {e}"
            for m, f, e in unexplained
        )
    )
    stale = sorted(set(READ_EXCEPTIONS) - set(found))
    assert not stale, f"exceptions that no longer match anything (remove them): {stale}"


def test_the_read_rule_sees_an_unscoped_fetch(tmp_path):
    path = tmp_path / "views.py"
    path.write_text(
        "from django.shortcuts import get_object_or_404\n"
        "def detail(request, uid):\n"
        "    person = Person.objects.get(uid=uid)\n"
        "    case = get_object_or_404(Case, uid=uid)\n"
        "    notes = CaseNote.objects.filter(case=case)\n"
        "    heads = Subquery(Person.objects.filter(household=OuterRef('pk')).values('uid'))\n"
        "    total = Subquery(Person.objects.filter(status='active').values('uid'))\n"
        "    tasks = Prefetch('tasks', queryset=Task.objects.filter(done=False))\n"
        "    return Person.objects.visible_to(request.user), Case.objects.none()\n"
    )
    assert [expr for _f, expr, _l in unscoped_reads(path)] == [
        "Person.objects.get",
        "get_object_or_404",
        "CaseNote.objects.filter",
        "Person.objects.filter",  # not tied to the outer row: a count over everyone
    ]


# --- Rule 2: only actions write protected models ------------------------------------------------

#: Modules that write protected models by design, with the reason.
WRITERS: dict[str, str] = {
    "pandu/*/actions.py": "actions: the one place that writes",
    "pandu/*/actions/*.py": "actions split by section",
    "pandu/*/tasks.py": "background job bodies (they call actions or the bulk writers below)",
    "pandu/exchange/importer/*.py": "the importer's bulk writer, and its own ImportBatch progress",
    "pandu/exchange/writer.py": "the importer's bulk writer (COPY / executemany)",
    "pandu/exchange/bulkload.py": "the importer's bulk-load mode (sets indexes aside and back)",
    "pandu/exchange/duplicates.py": "the import job stores the duplicate pairs it found",
    "pandu/exchange/management/commands/import_registry.py": (
        "runs an import job in this process (large files), keeping its batch's status as the "
        "job body does"
    ),
    "pandu/dedup/pipeline.py": "the deduplication run (a job) stores the pairs it scored",
    "pandu/insurance/ledger.py": (
        "the set-based premium ledger (dues, arrears, lapses), run by the daily job and by the "
        "payment actions inside their transaction"
    ),
    "pandu/demo/*.py": "demo office and synthetic registry generators",
    "pandu/demo/*/*.py": "demo office and synthetic registry generators",
    "pandu/demo/*/*/*.py": "demo office and synthetic registry generators (commands)",
}

#: (module, function, expression) → why this one write outside the writers is fine.
WRITE_EXCEPTIONS: dict[tuple[str, str, str], str] = {
    (
        "pandu/exchange/models.py",
        "ImportBatch.sync_with_job",
        "ImportBatch.objects.filter.update",
    ): ("the import's own record copies the state of the job that runs it"),
}


def _is_writer(module: str) -> bool:
    return any(fnmatch(module, pattern) for pattern in WRITERS)


def test_only_actions_write_protected_models():
    found = {}
    for path in _modules(lambda m: not _is_writer(m)):
        module = path.relative_to(ROOT).as_posix()
        for function, expr, line in writes(path):
            found.setdefault((module, function, expr), []).append(line)
    unexplained = sorted(set(found) - set(WRITE_EXCEPTIONS))
    assert not unexplained, (
        "writes outside actions (move them into <app>/actions, which check the role and area, "
        "validate, write in one transaction and stamp the history):\n"
        + "\n".join(
            f"  {m}:{','.join(found[(m, f, e)])} in {f or '(module)'}: {e}"
            for m, f, e in unexplained
        )
    )
    stale = sorted(set(WRITE_EXCEPTIONS) - set(found))
    assert not stale, f"exceptions that no longer match anything (remove them): {stale}"


def test_the_write_rule_sees_saves_and_manager_writes(tmp_path):
    path = tmp_path / "views.py"
    path.write_text(
        "def edit(request, case, form, wb, buf):\n"
        "    case.status = 'closed'\n"
        "    case.save()\n"
        "    form.save()\n"
        "    Task.objects.filter(case=case).update(done=True)\n"
        "    Person.objects.visible_to(request.user).delete()\n"
        "    wb.save(buf)\n"
        "    Holiday.objects.create(date=None)\n"
        "    super().save()\n"
    )
    assert [expr for _f, expr, _l in writes(path)] == [
        "case.save",
        "form.save",
        "Task.objects.filter.update",
        "Person.objects.visible_to.delete",
    ]


def test_protected_models_are_found_from_the_code():
    protected = protected_models()
    for name in ("Person", "Household", "Case", "Referral", "Task", "ProposalItem", "Merge"):
        assert name in scoped_models(), name
    for name in ("Membership", "CaseNote", "IntakeNeed", "AgreementExtension"):
        assert name in protected and name not in scoped_models(), name
    for name in ("Area", "AccessLog", "Holiday", "PPKSCategory", "HistoricalPerson"):
        assert name not in protected, name


# --- Rule 3: one capability table ---------------------------------------------------------------

#: Modules that may name a role: the table itself and the apps' registrations into it.
ROLE_TABLE = ("pandu/accounts/*", "pandu/*/capabilities.py", "pandu/demo/*")


def test_nothing_outside_the_capability_table_names_a_role():
    """Code asks ``user.can(cap)`` (or which roles hold a capability), never ``role == ...``."""
    found = []
    for path in _modules(lambda m: not any(fnmatch(m, p) for p in ROLE_TABLE)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            named = (isinstance(node, ast.Attribute) and node.attr == "Role") or (
                isinstance(node, ast.Name) and node.id == "Role"
            )
            if named or (isinstance(node, ast.alias) and node.name == "Role"):
                found.append(f"{path.relative_to(ROOT).as_posix()}:{getattr(node, 'lineno', '')}")
    assert not found, "roles named outside accounts/roles.py and the capability registrations: " + (
        ", ".join(sorted(set(found)))
    )
