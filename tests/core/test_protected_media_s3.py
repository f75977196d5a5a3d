"""Uploads in an S3-compatible bucket (a moto server on loopback): the same views decide, and
the file goes out as a short-lived signed redirect only while its object is public."""

import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from tests.ideas.factories import IdeaFactory
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db

MOTO = str(Path(sys.executable).with_name("moto_server"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def s3_endpoint():
    port = _free_port()
    process = subprocess.Popen(
        [MOTO, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until(lambda: _accepts(port), message="the S3 server to listen")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_idea_image_in_s3_is_served_only_while_the_idea_is_visible(client, s3_endpoint):
    import boto3

    options = {
        "bucket_name": "uploads",
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "access_key": "test",
        "secret_key": "test",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 60,
        "file_overwrite": False,
    }
    boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket="uploads")  # fmt: skip
    storages = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        idea = IdeaFactory(image_alt="Bild")
        idea.image.save("bild.png", ContentFile(b"\x89PNG\r\n\x1a\nnot really"))
        url = reverse("ideas:image", args=[idea.pk])

        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(s3_endpoint)
        with urllib.request.urlopen(response["Location"]) as answer:  # noqa: S310 (loopback)
            assert answer.read().startswith(b"\x89PNG")
            assert answer.headers["Content-Type"] == "image/png"
        # The bucket itself gives nothing away without a signature.
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{s3_endpoint}/uploads/{idea.image.name}")  # noqa: S310

        idea.hidden = True
        idea.save()
        assert client.get(url).status_code == 404
