"""The two ways to run: embedded defaults and production settings."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="geraportal.settings.prod",
        DJANGO_SECRET_KEY="x7!k2#pQ9$vLm4@wZr8^tYb3&nHs6*Jd1%Fg5(Ce0)Ua-Xi+Ko=",
        DJANGO_ALLOWED_HOSTS="beteiligung.gera.de",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="geraportal.settings.prod", DJANGO_ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_embedded_defaults_need_no_services():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)",
        DJANGO_SETTINGS_MODULE="geraportal.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    engine, cache_backend, eager, email_backend, mail_path = result.stdout.splitlines()[-1].split()
    assert engine == "django.db.backends.sqlite3"
    assert cache_backend.endswith("LocMemCache")
    assert eager == "True"
    assert email_backend.endswith("filebased.EmailBackend")
    assert mail_path.endswith("var/mail")


def test_database_and_redis_urls_switch_to_the_real_services():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)",
        DJANGO_SETTINGS_MODULE="geraportal.settings.dev",
        DATABASE_URL="sqlite:////tmp/never-opened.sqlite3",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    _, cache_backend, broker, eager = result.stdout.splitlines()[-1].split()
    assert cache_backend.endswith("RedisCache")
    assert broker == "redis://127.0.0.1:6379/3"
    assert eager == "False"


@pytest.mark.postgres
@pytest.mark.django_db
def test_suite_really_runs_on_postgresql_when_asked():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert cursor.fetchone()[0].startswith(("15", "16", "17"))


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_query_a_connection_runs_again_is_prepared():
    """Server-side binding with prepared statements: the idea list's query spent most of its
    time in PostgreSQL's planner on every request (issue 16)."""
    from ideas.models import Idea

    for _ in range(3):  # a new queryset each time, as each request builds its own
        list(Idea.objects.select_related("author", "theme").filter(hidden=False).order_by("-created_at")[:20])
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(statement.startswith('SELECT "ideas_idea"."id"') for statement in prepared)


@pytest.mark.postgres
@pytest.mark.django_db
def test_queries_in_an_unprepared_block_are_planned_for_their_own_parameters():
    """The dashboard's aggregates run unprepared: a generic plan made them up to 3x slower."""
    from geraportal.core.db import unprepared
    from ideas.models import Idea

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if 'FROM "ideas_idea"' in row[0]]

    with unprepared():
        for _ in range(3):
            list(Idea.objects.filter(hidden=False).order_by("-created_at", "-pk")[:7])
    assert prepared() == []
    for _ in range(3):  # and afterwards as before
        list(Idea.objects.filter(hidden=False).order_by("-created_at", "-pk")[:7])
    assert len(prepared()) == 1


def test_cache_round_trip():
    if os.environ.get("REDIS_URL"):
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("geraportal-probe", {"ok": True}, 10)
    assert cache.get("geraportal-probe") == {"ok": True}


def test_every_environment_variable_the_settings_read_is_documented():
    import re

    read = set()
    for settings_file in (ROOT / "geraportal" / "settings").glob("*.py"):
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', settings_file.read_text()))
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - documented == set()


def test_production_logs_one_json_object_per_line_with_the_request_id():
    import json

    result = run_manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('geraportal').warning('Hallo Gera')",
        DJANGO_SETTINGS_MODULE="geraportal.settings.prod",
        DJANGO_SECRET_KEY="x7!k2#pQ9$vLm4@wZr8^tYb3&nHs6*Jd1%Fg5(Ce0)Ua-Xi+Ko=",
        DJANGO_ALLOWED_HOSTS="beteiligung.gera.de",
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "Hallo Gera"
    assert line["level"] == "WARNING" and line["request_id"] == "-"


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_run_on_another_port_links_e_mails_to_that_port():
    recipe = subprocess.run(
        ["make", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    (line,) = [line for line in recipe.splitlines() if "runserver" in line]
    assert line.endswith("runserver 127.0.0.1:8101")
    assignment = line.split()[0]  # SITE_URL="${SITE_URL:-...}" as the shell will run it
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    shell = ["sh", "-c", f'{assignment}; echo "$SITE_URL"']
    assert subprocess.check_output(shell, env=env, text=True).strip() == "http://127.0.0.1:8101"
    env["SITE_URL"] = "https://beteiligung.gera.de"
    assert subprocess.check_output(shell, env=env, text=True).strip() == "https://beteiligung.gera.de"
