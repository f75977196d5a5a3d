"""The default storage of uploads: private, with no public URL.

Uploads of unpublished objects (draft news, hidden ideas, draft pilots, unpublished strategy
editions, abandoned previews) must not be reachable by anyone who guesses or kept a URL, so
no upload has a URL of its own: `url()` raises, and every file is served by a view of its
app that checks the object first (`geraportal.core.files.serve_file`).
"""

from django.core.files.storage import FileSystemStorage, InMemoryStorage


class _NoURL:
    def url(self, name):
        raise ValueError("Uploads have no public URL; use the view of the object they belong to.")


class PrivateMediaStorage(_NoURL, FileSystemStorage):
    """MEDIA_ROOT on the local disk, never served by the web server directly."""


class PrivateInMemoryStorage(_NoURL, InMemoryStorage):
    """The same for tests."""
