"""Where working-group documents lie: a private place with no public URL.

By default a directory outside MEDIA_ROOT (`WORKGROUPS_DOCUMENTS_ROOT`), so no web server
configured for /media/ can hand a members-only file out. A deployment on several machines
names a shared storage (e.g. S3-compatible, private bucket) as `STORAGES["workgroups_documents"]`.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import LazyObject


class PrivateDocumentStorage(FileSystemStorage):
    """File-system storage that reads its directory from the settings on every use (tests move it)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.WORKGROUPS_DOCUMENTS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Working-group documents have no public URL; use the download view.")


class _DocumentStorage(LazyObject):
    def _setup(self):
        if "workgroups_documents" in settings.STORAGES:
            self._wrapped = storages["workgroups_documents"]
        else:
            self._wrapped = PrivateDocumentStorage()


document_storage = _DocumentStorage()
