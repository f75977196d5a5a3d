"""Serving an uploaded file after its view has checked the permission of its object.

One piece of code for every app, so the headers are the same everywhere: the web server
sends the bytes where it can (nginx `X-Accel-Redirect` to an `internal` location), an
S3-compatible storage gets a short-lived presigned redirect, and otherwise Django streams it.
"""

import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header

PRESIGNED_SECONDS = 60


def serve_file(
    request: HttpRequest,
    field_file,
    *,
    public: bool,
    attachment: bool = False,
    filename: str | None = None,
    content_type: str | None = None,
) -> HttpResponse:
    """Answer with the file; 404 when there is none (the same 404 as a refused object).

    field_file: a model's FieldFile, or the name of a file in the default storage.
    public: whether anyone may see the object; only then may shared caches keep the answer.
    """
    if not field_file:
        raise Http404
    if isinstance(field_file, str):
        name, storage = field_file, default_storage
    else:
        name, storage = field_file.name, field_file.storage
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    prefix = getattr(settings, "PROTECTED_MEDIA_ACCEL_PREFIX", "")
    if prefix:
        if not storage.exists(name):
            raise Http404
        response: HttpResponse = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = iri_to_uri(prefix.rstrip("/") + "/" + name)
        disposition = content_disposition_header(attachment, filename or name.rsplit("/", 1)[-1])
        if disposition:
            response["Content-Disposition"] = disposition
    elif getattr(storage, "querystring_auth", False):
        # S3-compatible (django-storages): the bucket is private, the signed URL short-lived;
        # the bucket answers with the type and disposition we name here.
        if not storage.exists(name):
            raise Http404
        parameters = {"ResponseContentType": content_type}
        disposition = content_disposition_header(attachment, filename or name.rsplit("/", 1)[-1])
        if disposition:
            parameters["ResponseContentDisposition"] = disposition
        response = HttpResponseRedirect(storage.url(name, parameters=parameters, expire=PRESIGNED_SECONDS))
    else:
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=attachment, filename=filename or "", content_type=content_type
        )
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if not content_type.startswith("image/"):
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
