"""Imports flow one way: `geraportal` imports no domain app, notifications knows no domain,
and the portal-wide packages import each other without loops."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOMAIN_APPS = {"ideas", "workgroups", "pilots", "plenary", "api", "dashboard"}
# The pipeline: an app may import the ones before it, never one after it.
PIPELINE = ["workgroups", "ideas", "pilots", "plenary", "api", "dashboard"]


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def modules(package: str):
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def test_geraportal_imports_no_domain_app_except_the_root_urlconf():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imports_of(path) if name.split(".")[0] in DOMAIN_APPS
        )
        for path in modules("geraportal")
        if path != ROOT / "geraportal" / "urls.py"
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_notifications_knows_no_domain():
    allowed = ("geraportal.notifications", "geraportal.accounts", "geraportal.core", "geraportal.celery")
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imports_of(path)
            if name.startswith("geraportal") and not name.startswith(allowed)
        )
        for path in modules("geraportal.notifications")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_portal_wide_packages_import_each_other_without_loops():
    packages = [p.name for p in (ROOT / "geraportal").iterdir() if (p / "__init__.py").exists()]
    graph = {
        package: {
            name.split(".")[1]
            for path in modules(f"geraportal.{package}")
            for name in imports_of(path)
            if name.startswith("geraportal.")
            and name.split(".")[1] in packages
            and name.split(".")[1] != package
        }
        for package in packages
    }
    loops = sorted((a, b) for a in graph for b in graph[a] if a in graph.get(b, set()) and a < b)
    assert loops == []


def test_pilots_reads_ideas_through_their_selectors_and_services_never_their_models():
    offenders = [
        str(path.relative_to(ROOT)) for path in modules("pilots") if "ideas.models" in imports_of(path)
    ]
    assert offenders == []


def test_no_app_imports_a_later_stage_of_the_pipeline():
    offenders = {}
    for position, app in enumerate(PIPELINE):
        later = set(PIPELINE[position + 1 :])
        for path in modules(app):
            names = sorted(name for name in imports_of(path) if name.split(".")[0] in later)
            if names:
                offenders[str(path.relative_to(ROOT))] = names
    assert offenders == {}
