"""Facts about one person that nearly every page asks (their roles, their unread count), kept in
the shared cache between requests, so a logged-in page does not query them each time.

Each fact is stored beside a token of its (topic, person), read *before* the fact was read
from the database. A write that changes the fact drops the token after its commit
(`person_fact_forget`); the next reader makes a new one, so an answer read before the commit is
stored under a token that no longer matches and is never served. Tokens are random and never
reused, so a lost or evicted key costs one query, never a wrong answer. Reads inside a
transaction neither fill the cache (the transaction may see its own writes and then roll
back) nor trust it.

Why not on the user row (a version column)? A full `user.save()` of an object loaded before a
role change would write the old version back, and the cached roles with it.

Off (`PERSON_CACHE_SECONDS = 0`) unless every process shares the cache (Redis): a
process-local cache would miss the tokens that other processes drop.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from geraportal.core import requestscope

T = TypeVar("T")


def _token_key(topic: str, person_id: int) -> str:
    return f"person:{topic}:token:{person_id}"


def _value_key(topic: str, person_id: int) -> str:
    return f"person:{topic}:{person_id}"


# The topics asked so far in this process: the first fact a request asks about a person fetches
# all of them in one round trip (the header's unread count, the roles and the working-group roles
# were three round trips on every logged-in page) and keeps them for the rest of the request
# (`requestscope`).
_topics: set[str] = set()


def _scope_key(person_id: int) -> str:
    return f"personcache:{person_id}"


def _found(topic: str, person_id: int) -> dict:
    """The cached token and value of `topic` (with every known topic of the person, kept for
    the request when there is one)."""
    _topics.add(topic)
    scope = requestscope.current()
    found = scope.get(_scope_key(person_id)) if scope is not None else None
    if found is None or _token_key(topic, person_id) not in found:
        keys = [key for t in sorted(_topics) for key in (_token_key(t, person_id), _value_key(t, person_id))]
        fetched = cache.get_many(keys)
        found = {key: fetched.get(key) for key in keys}
        if scope is not None:
            scope[_scope_key(person_id)] = found
    return found


def person_fact(*, topic: str, person_id: int, compute: Callable[[], T]) -> T:
    """The fact `topic` about person `person_id`: from the cache if still valid, else `compute()`."""
    seconds = settings.PERSON_CACHE_SECONDS
    if not seconds or connection.in_atomic_block:
        return compute()
    token_key, value_key = _token_key(topic, person_id), _value_key(topic, person_id)
    found = _found(topic, person_id)
    token, stored = found.get(token_key), found.get(value_key)
    if token is not None and stored is not None and stored[0] == token:
        return stored[1]
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(token_key, token, timeout=seconds):
            requestscope.forget(_scope_key(person_id))
            return compute()  # another request made one just now, or the cache is unreachable
    value = compute()
    cache.set(value_key, (token, value), timeout=seconds)
    found[token_key], found[value_key] = token, (token, value)
    return value


def person_fact_forget(*, topic: str, person_ids: Iterable[int]) -> None:
    """`topic` changed for these people: once the transaction commits, no stored answer counts
    (neither in the cache nor kept by the running request).

    Call it after the write (outside a transaction the drop happens at once).
    """
    people = set(person_ids)
    keys = [_token_key(topic, pk) for pk in people]
    if keys and settings.PERSON_CACHE_SECONDS:

        def drop() -> None:
            for pk in people:
                requestscope.forget(_scope_key(pk))
            cache.delete_many(keys)

        transaction.on_commit(drop)
