"""Whole pages for anonymous visitors, served from the cache until the content changes.

Most requests come from people who are not logged in, and they all see the same page. Such a
page is rendered once and kept in the cache (Redis in production) with the **content version**
it was rendered under, and served only while that is the current one: any write to a model of
the content apps (`PAGE_CACHE_APPS`: a new idea, comment, support, status change, pilot update,
published result, news post ...) raises the version after its transaction commits, so every
cached page is out of date at once and the next visitor sees the change. It is raised with
`on_commit`, never before: a page rendered from the old rows while the transaction was open is
stored with the old version, which is not served. Signals are the right tool here (derived
data, like a search vector): the services need not know that a cache exists, and writes from
the admin or the shell count too.

A page is only stored when nothing in it is personal: the request carries no session or
message cookie and is not an htmx request, and the response is a 200 that sets no cookie and
does not forbid caching. So a page that shows a CSRF token to a visitor is simply never
stored; the ones the portal wants cached hold no token (the language switch is a link, the
newsletter box checks its own way). `PAGE_CACHE_SECONDS` bounds how long a page lives (what
the clock changes — a news post scheduled for later, a competition's phase — shows within that
time); 0 switches the cache off.

Addresses under `PAGE_CACHE_SESSIONLESS_PATHS` (the open-data API) never read the session, so
their answers are the same for everyone: they are cached whoever asks, and keep their own
`Cache-Control` and `Vary` (no `Vary: Cookie`). A cached answer is not counted by the API's
per-client limit, which guards the work of building one. An answer is only stored in the
language its key was made for: a logged-in person's preferred language can win after the key
was chosen (UserLanguageMiddleware), and a visitor must not get that answer.
"""

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

import django
from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from geraportal.core import requestscope

T = TypeVar("T")

VERSION_KEY = "pagecache:version"
# Headers that belong to one answer, not to the page.
_NOT_STORED = {"date", "x-request-id", "set-cookie", "content-length"}


# The version as this request first read it (`requestscope`): the page's key, its counts and
# its reference data all asked Redis for it, up to three round trips a page. One request sees
# one version, so its parts also agree with each other; a write this request commits forgets it.
_SCOPE_KEY = "pagecache.version"


def content_version() -> int:
    scope = requestscope.current()
    if scope is not None and _SCOPE_KEY in scope:
        return scope[_SCOPE_KEY]
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start (or an evicted key) begins at the clock, never at a number used before.
        version = time.time_ns() // 1000
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    if scope is not None:
        scope[_SCOPE_KEY] = version
    return version


def _version_and(key: str) -> tuple[int, Any]:
    """The content version and what the cache holds under `key`: one round trip to Redis when
    this request has not read the version yet (a visitor's cached page was two)."""
    scope = requestscope.current()
    if scope is not None and _SCOPE_KEY in scope:
        return scope[_SCOPE_KEY], cache.get(key)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:  # no version yet: `content_version` starts one
        return content_version(), found.get(key)
    if scope is not None:
        scope[_SCOPE_KEY] = version
    return version, found.get(key)


def content_changed() -> None:
    """Make every cached page out of date (now: call it after the transaction commits)."""
    requestscope.forget(_SCOPE_KEY)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or the cache is unreachable)
        cache.set(VERSION_KEY, time.time_ns() // 1000, None)


_kept: dict[str, tuple[int, Any]] = {}


def per_content_version(name: str, load: Callable[[], T]) -> T:
    """What `load()` returns, kept in this process until the content changes: small reference
    data a busy page reads on every request (themes, districts, competitions). The version is
    the one the page cache keys on, raised on commit of any write to a content model, so a
    renamed district shows at once in every process. With the page cache off (development,
    tests, where writes need not raise it) it is loaded each time. The value is shared by the
    requests of this process: read it, never change it."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return load()
    version = content_version()
    kept = _kept.get(name)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = load()
    _kept[name] = (version, value)
    return value


def digest(*parts: object) -> str:
    """A short digest of `parts` (their repr), for keys of values kept per content version."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def shared_per_content_version(name: str, load: Callable[[], T]) -> T:
    """What `load()` returns, kept in the shared cache until the content changes: a costly
    public computation that a page for logged-in people would repeat on every request (the
    anonymous page is cached whole). All processes share it, and it is exactly as fresh as a
    cached page (the same version, at most PAGE_CACHE_SECONDS old). The value is pickled: it
    must not hold lazy translations; model instances are fine (each reader unpickles its own
    copy, and the key holds `_schema()`). None is never kept: a lookup of something that does
    not exist (an address anyone can make up) asks again rather than leave an entry per address.
    With the page cache off it is loaded each time; with the cache unreachable too."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return load()
    key = f"shared:{content_version()}:{_schema()}:{name}"
    value = cache.get(key)
    if value is not None:
        return value
    # One computes, the others wait for its answer: when the version changed under load, ten
    # requests computed the summary's ~20 aggregates at once, and some timed out (bench).
    busy = f"{key}:computing"
    computing = cache.add(busy, 1, SHARED_COMPUTE_SECONDS)
    try:
        # Who takes the marker looks once more: the one before may have stored its answer and
        # dropped its marker between our first look and now (a test saw it compute twice).
        value = cache.get(key) if computing else _wait_for(key, busy)
        if value is None:
            value = load()
            if value is not None:  # "nothing" is not kept (see above)
                cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    finally:
        if computing:
            cache.delete(busy)
    return value


# What the shared cache keeps for a row that exists but is not public (None reads as "not kept").
_NOT_PUBLIC = False


def shared_public_row(name: str, public: Callable[[], T | None], exists: Callable[[], bool]) -> T | None:
    """A public row with what its page shows (`public()`), kept for every viewer until the
    content changes (`shared_per_content_version`); None when it is not public: the caller then
    reads it with the viewer's own visibility. That a row exists but is not public (a hidden
    idea, a draft) is kept too, so the next viewer goes straight to their own reading; that no
    row exists is not (`exists()`): a made-up address leaves no entry behind."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return None
    kept = shared_per_content_version(name, lambda: public() or (_NOT_PUBLIC if exists() else None))
    return kept or None


@functools.cache
def _schema() -> str:
    """A digest of Django's version and every model's table and columns, made once per process.
    Shared values are pickled, model instances among them: after a deploy that changes a model,
    an instance of the old shape would load each missing column with a query of its own, and one
    of a model that is gone would not unpickle at all. (A value of another shape under the same
    name needs a new name.)"""
    models = (
        (m._meta.label, [(f.column, type(f).__name__) for f in m._meta.concrete_fields])
        for m in apps.get_models()
    )
    return digest(django.__version__, *models)


# How long another request may compute a shared value before the waiting ones compute it too.
SHARED_COMPUTE_SECONDS = 10


def _wait_for(key: str, busy: str) -> Any:
    """The value another request is computing, once it is there; None when that request gave
    up or the cache cannot tell (Redis down: no marker is seen, so nobody waits)."""
    deadline = time.monotonic() + SHARED_COMPUTE_SECONDS
    while time.monotonic() < deadline:
        value = cache.get(key)
        if value is not None:
            return value
        if cache.get(busy) is None:
            # The one computing may have stored its answer and dropped its marker between our
            # two looks: look once more (without this, a test saw it computed twice, 2 runs in 11).
            return cache.get(key)
        time.sleep(0.02)
    return None


def _on_write(sender, instance=None, update_fields=None, **kwargs) -> None:
    label = sender._meta.label_lower
    if label in settings.PAGE_CACHE_IGNORED_MODELS:
        return
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # a login changes nothing anyone else sees
    transaction.on_commit(content_changed, robust=True)


def connect() -> None:
    """Watch the models of the content apps (called from CoreConfig.ready())."""
    for app_label in settings.PAGE_CACHE_APPS:
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        for model in config.get_models():
            uid = f"pagecache:{model._meta.label_lower}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid + ":delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_write, sender=field.remote_field.through, dispatch_uid=uid + field.name
                )


def _cacheable_path(path: str) -> bool:
    return any(path == p if p == "/" else path.startswith(p) for p in settings.PAGE_CACHE_PATHS)


def _sessionless_path(path: str) -> bool:
    return path.startswith(tuple(settings.PAGE_CACHE_SESSIONLESS_PATHS))


def is_anonymous_request(request: HttpRequest) -> bool:
    """Nothing personal can be in the page: no session, no pending message, no htmx fragment."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HX-Request" not in request.headers
    )


def _key(request: HttpRequest) -> str:
    """The page's key holds no version: the page is kept with the version it was rendered
    under, which comes back with the current version in one read (`_version_and`). A page of
    an older version is not served, and the next one rendered takes its place. A slow render
    of an older version that finishes after a newer one replaces it too: never served, it only
    costs the next visitor a render."""
    address = f"{request.get_host()}{request.get_full_path()}"
    hashed = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"page:{getattr(request, 'LANGUAGE_CODE', '')}:{hashed}"


def _public_headers(response: HttpResponse) -> None:
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    shared = settings.PAGE_CACHE_SHARED_SECONDS
    if shared:
        patch_cache_control(response, public=True, max_age=0, s_maxage=shared)
    else:
        patch_cache_control(response, public=True, max_age=0)


class AnonymousPageCacheMiddleware:
    """Answers anonymous GET requests for public pages from the cache (after LocaleMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        sessionless = _sessionless_path(request.path)
        if not sessionless and not (_cacheable_path(request.path) and is_anonymous_request(request)):
            return self.get_response(request)
        language = getattr(request, "LANGUAGE_CODE", "")
        key = _key(request)
        version, stored = _version_and(key)
        if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == version:
            _, content, headers = stored
            response = HttpResponse(content, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._storable(request, response, sessionless=sessionless, language=language):
            if not sessionless:
                _public_headers(response)
            headers = {k: v for k, v in response.items() if k.lower() not in _NOT_STORED}
            cache.set(key, (version, response.content, headers), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse, *, sessionless: bool, language: str) -> bool:
        control = response.get("Cache-Control", "")
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in control for word in ("private", "no-store", "no-cache"))
            and (sessionless or not (user is not None and user.is_authenticated))
            and translation.get_language() == language
        )
