"""A Redis cache that behaves like an empty cache while Redis is unreachable.

Everything the portal keeps in the cache can be lost: rate-limit counters, allauth's login
limits, cached fragments. So when Redis stops, a request must not fail (and lose what the
person typed) over a cache call: reads miss, writes are dropped, rate limits let the request
through, and each failure is logged so operators see it. `/readyz` still reports Redis down.
"""

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Fail fast instead of hanging a web worker on a Redis host that does not answer.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, "retry_on_timeout": False}


# Redis failed in this process (any thread) since the noted deletes were last applied. Django
# keeps a cache object per thread, so this lives in the module.
_recovering = False


def _unreachable(operation: str, exc: Exception) -> None:
    global _recovering
    _recovering = True
    logger.warning("cache unreachable (%s): %s: %s", operation, type(exc).__name__, exc)


def _recovered() -> bool:
    """Called after a read succeeded while Redis had failed before in this process: apply the
    deletes Redis missed now, before the answer is used, rather than at beat's next run (a
    process that saw no failure leaves it to beat, within a minute). True if they were
    applied, and the read must be repeated."""
    global _recovering
    _recovering = False
    from .tasks import drop_lost_cache_writes

    try:
        return drop_lost_cache_writes() > 0
    except Exception as exc:  # noqa: BLE001  (a cache read must not fail over this; beat retries)
        logger.warning("noted cache deletes not applied yet: %s: %s", type(exc).__name__, exc)
        return False


def _remember(keys: list[str]) -> None:
    """Note keys whose delete was dropped, for `tasks.drop_lost_cache_writes` (see the model).

    Only deletes: they are rare (a logout, a role change, a lock), and a missed one would bring
    something back. A dropped set leaves an older value, which for a session is a state the
    person had anyway (a refill after a miss, at every request during an outage, is not noted).

    In a savepoint of its own: a failing insert must not break the caller's transaction. A
    database that is down too (or a process without one) loses the note, logged; Redis then
    keeps the old value."""
    if not keys:
        return
    from django.db import transaction

    from .models import LostCacheWrite

    try:
        with transaction.atomic():
            LostCacheWrite.objects.bulk_create(
                [LostCacheWrite(key=key[:500]) for key in keys], ignore_conflicts=True
            )
    except Exception as exc:  # noqa: BLE001  (best effort: a cache call must never fail the caller)
        logger.error("lost cache write not recorded (%d keys): %s: %s", len(keys), type(exc).__name__, exc)


class ReusedClients(RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every cache call, and each one copies
    redis-py's table of ~200 response callbacks: about a third of a millisecond of CPU per
    call, several calls per page (the page cache, the session, a person's roles). A
    `redis.Redis` is safe to share between threads (each command takes a connection from the
    pool), so one per pool is kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = ReusedClients

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as exc:
            _unreachable("add", exc)
            return False

    def get(self, key, default=None, version=None) -> Any:
        try:
            value = super().get(key, default, version)
        except UNREACHABLE as exc:
            _unreachable("get", exc)
            return default
        if _recovering and _recovered():
            return self.get(key, default, version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as exc:
            _unreachable("set", exc)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as exc:
            _unreachable("touch", exc)
            return False

    def delete(self, key, version=None) -> bool:
        try:
            return super().delete(key, version)
        except UNREACHABLE as exc:
            _unreachable("delete", exc)
            _remember([self.make_and_validate_key(key, version=version)])
            return False

    def get_many(self, keys, version=None) -> dict[str, Any]:
        keys = list(keys)
        try:
            found = super().get_many(keys, version)
        except UNREACHABLE as exc:
            _unreachable("get_many", exc)
            return {}
        if _recovering and _recovered():
            return self.get_many(keys, version)
        return found

    def has_key(self, key, version=None) -> bool:
        try:
            return super().has_key(key, version)
        except UNREACHABLE as exc:
            _unreachable("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None) -> int:
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            _unreachable("incr", exc)
            # What Django answers for a key that is not there: the caller's own fallback runs.
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from exc

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as exc:
            _unreachable("set_many", exc)
            return list(data)

    def delete_many(self, keys, version=None) -> None:
        keys = list(keys)
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as exc:
            _unreachable("delete_many", exc)
            _remember([self.make_and_validate_key(key, version=version) for key in keys])

    def drop_raw(self, made_keys: list[str]) -> None:
        """Delete keys as stored (prefix and version already in them); raises while Redis is down."""
        self._cache.get_client(write=True).delete(*made_keys)

    def clear(self) -> bool:
        try:
            return super().clear()
        except UNREACHABLE as exc:
            _unreachable("clear", exc)
            return False
