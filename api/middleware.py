"""What every answer under /api/ gets, whoever produced it (DRF, Django's 404, a crash).

- CORS for reading: any origin may GET (the data is public; no cookies are used, so no
  credentials are allowed); a preflight is answered here.
- Errors are JSON: Django's own 404 and 500 pages are HTML, and a client of the API should
  never have to parse HTML.
- Conditional requests: a strong `ETag` from the body, and a `Last-Modified` that is the time
  this exact representation was first served at this address (kept in the cache, Redis in
  production, so all web processes agree). `If-None-Match` / `If-Modified-Since` then get a
  304. Deriving `Last-Modified` from the rows would miss rows that left the list (a hidden
  idea changes no timestamp of the others) and answer 304 for a list that did change.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from .errors import error_response

PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After"
PREFLIGHT_MAX_AGE = "86400"
# How long the cache remembers when a representation was first served (a miss only makes
# Last-Modified later, never earlier: it can cost a 200, never give a wrong 304).
SINCE_TIMEOUT = 7 * 24 * 3600
CACHE_CONTROL = "public, max-age=60"

logger = logging.getLogger(__name__)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if _is_preflight(request):
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        else:
            response = self.get_response(request)
            response = _json_errors(response)
            if request.method in READ_METHODS and response.status_code == 200 and _is_data(request):
                response = _conditional(request, response)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        patch_vary_headers(response, ["Origin"])
        return response


def _is_preflight(request: HttpRequest) -> bool:
    return request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META


def _is_data(request: HttpRequest) -> bool:
    # The docs page and its script are HTML/JS for people; the data and the schema are for machines.
    return not request.path.startswith("/api/docs")


def _json_errors(response: HttpResponse) -> HttpResponse:
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    replacement = error_response(response.status_code, response.reason_phrase)
    for header in ("Allow", "Retry-After"):
        if response.has_header(header):
            replacement[header] = response[header]
    return replacement


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if getattr(response, "streaming", False):
        return response
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
    language = response.get("Content-Language", "")
    key = "api:since:" + hashlib.sha256(f"{language}|{request.get_full_path()}".encode()).hexdigest()
    now = int(time.time())
    try:
        seen = cache.get(key)
        if not seen or seen[0] != etag:
            # HTTP dates count whole seconds: a change in the same second as the last one
            # must still get a later date, or If-Modified-Since would answer 304 for it.
            seen = (etag, max(now, seen[1] + 1) if seen else now)
            cache.set(key, seen, SINCE_TIMEOUT)
    except Exception:  # the cache is down: ETag still works, Last-Modified is "now"
        logger.warning("cache unavailable for Last-Modified", exc_info=True)
        seen = (etag, now)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(seen[1])
    response.setdefault("Cache-Control", CACHE_CONTROL)
    patch_vary_headers(response, ["Accept-Language"])
    return get_conditional_response(request, etag=etag, last_modified=seen[1], response=response)
