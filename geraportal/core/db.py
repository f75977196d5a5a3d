"""Database helpers more than one app needs."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def unprepared() -> Iterator[None]:
    """Queries inside are not prepared: PostgreSQL plans each for its own parameters.

    Prepared statements (`DATABASE_PREPARE_THRESHOLD`) let PostgreSQL switch to a generic plan
    after five executions when it estimates that one no worse. For aggregates over a date range
    the estimate can be wrong: at city scale the dashboard's active-participants query went from
    0.14 s to 0.35-0.45 s from its seventh run on, and the figures from ~300 ms to ~700 ms.
    Nothing else changes (no statement is sent for it, so query counts stay the same).
    """
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    kept = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = kept
