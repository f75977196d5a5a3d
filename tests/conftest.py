import datetime
import importlib
import os

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from geraportal.accounts.roles import SMARTCITY_TEAM, STRATEGY_GROUP
from tests.accounts.factories import UserFactory, give_mfa


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _skips_forbidden() -> bool:
    """In CI's PostgreSQL run every test must run: a skip there hides a broken part."""
    return os.environ.get("CI") == "true" and _on_postgres()


def pytest_collection_modifyitems(config, items):
    if _on_postgres():
        return
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip_pg)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and _skips_forbidden() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI's PostgreSQL run, where nothing may be skipped: {reason}"
    return report


@pytest.fixture(autouse=True)
def _german_by_default():
    """Every test starts in the portal's default language. A request through the test client
    activates its language in the test's own thread and leaves it there (in production each
    request activates its own), so a test that called a service after an English request
    would otherwise read English messages, depending on how tests are spread over workers."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (sign-ups, ideas, newsletter) live in the cache, which outlives a
    test: without this, sign-ups of earlier tests on the same xdist worker use up a later
    test's limit, depending on how tests are spread over the workers. A Redis failure that an
    earlier test caused on purpose must not make a later one apply noted deletes (a query)."""
    from geraportal.core import cache as resilient

    resilient._recovering = False
    cache.clear()
    yield
    cache.clear()
    resilient._recovering = False


# Transactional tests (browser tests, tests with other processes or threads) empty every
# table afterwards — including the reference data that migrations seed. This fixture re-runs
# those idempotent seed functions of the data migrations.
SEED_MIGRATIONS = [
    "geraportal.accounts.migrations.0002_roles:create_groups",
    "geraportal.districts.migrations.0002_gera_districts:seed",
    "geraportal.districts.migrations.0004_centres:fill",
    "workgroups.migrations.0002_five_groups:seed",
]


@pytest.fixture
def redis_server(tmp_path):
    """A real Redis of the test's own, on a free port, that the test may stop and start."""
    from tests.processes import RedisServer

    with RedisServer(tmp_path) as server:
        yield server


@pytest.fixture
def reference_data(transactional_db):
    from django.apps import apps

    for target in SEED_MIGRATIONS:
        module, func = target.split(":")
        getattr(importlib.import_module(module), func)(apps, None)


@pytest.fixture
def citizen(db):
    return UserFactory(display_name="Anna Beispiel")


@pytest.fixture
def team_member_without_mfa(db):
    return UserFactory(is_staff=True, roles=[SMARTCITY_TEAM])


@pytest.fixture
def team_member(team_member_without_mfa):
    """A SMARTCity team member with two-factor authentication set up."""
    give_mfa(team_member_without_mfa)
    return team_member_without_mfa


@pytest.fixture
def strategy_member(db):
    user = UserFactory(roles=[STRATEGY_GROUP])
    give_mfa(user)
    return user


# 1 June 2026, 12:00 in Gera (CEST). A fixed offset, not a ZoneInfo: time-machine would also
# change the process's time zone for a ZoneInfo, and Django's TIME_ZONE already says Gera's.
CLOCK_START = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))


@pytest.fixture
def clock():
    """Time stands still at CLOCK_START for everything in the process (timezone.now(),
    datetime.now(), time.time()), so `default=timezone.now` and `auto_now_add` fields agree
    with the services' clock. Move it with `clock.move_to(moment)` or `clock.shift(timedelta)`."""
    with time_machine.travel(CLOCK_START, tick=False) as traveller:
        yield traveller
