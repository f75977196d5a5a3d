import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.paths import TESTDATA
from workgroups import services
from workgroups.filetypes import PDF
from workgroups.models import Document, DocumentVersion

pytestmark = pytest.mark.django_db

MINIMAL_PDF = (TESTDATA / "minimal.pdf").read_bytes()


def _upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _create_url(group):
    return reverse("workgroups:document_create", kwargs={"slug": group.slug})


def _post(client, group, file, **extra):
    data = {"title": "Protokoll", "description": "", "visibility": "members", "file": file, **extra}
    return client.post(_create_url(group), data)


def test_member_uploads_a_pdf_and_downloads_it_again(client, member, energy, documents_root):
    client.force_login(member)
    response = _post(client, energy, _upload("Protokoll März.pdf", MINIMAL_PDF))
    document = Document.objects.get()
    assert response.status_code == 302
    version = document.versions.get()
    assert version.content_type == "application/pdf" and version.original_name == "Protokoll März.pdf"
    # Stored under a random name in the private directory, never under the uploaded name.
    assert "März" not in version.file.name and version.file.name.endswith(".pdf")
    assert (documents_root / version.file.name).is_file()
    download = client.get(version.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]


def test_private_document_has_no_public_url(member, energy):
    document = services.document_upload(
        group=energy,
        by=member,
        data=services.DocumentData(title="x", description="", visibility="members"),
        upload=_upload("a.pdf", MINIMAL_PDF),
        file_type=PDF,
    )
    with pytest.raises(ValueError):
        document.versions.get().file.url  # noqa: B018


def test_non_member_cannot_download_a_private_document(client, citizen, member, energy):
    document = services.document_upload(
        group=energy,
        by=member,
        data=services.DocumentData(title="Intern", description="", visibility="members"),
        upload=_upload("a.pdf", MINIMAL_PDF),
        file_type=PDF,
    )
    client.force_login(citizen)
    assert client.get(document.versions.get().get_absolute_url()).status_code == 404
    assert "Intern" not in client.get(reverse("workgroups:document_list", kwargs={"slug": energy.slug})).text


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("executable-named.pdf", "application/pdf"),
        ("script-named.jpg", "image/jpeg"),
        ("script.svg", "image/svg+xml"),
        ("truncated.jpg", "image/jpeg"),
        ("bomb-30000x30000.png", "image/png"),
    ],
)
def test_disguised_or_damaged_uploads_are_refused_with_a_message(client, member, energy, name, content_type):
    content = (TESTDATA / name).read_bytes()
    client.force_login(member)
    response = _post(client, energy, _upload(name, content, content_type), title="Mein Titel")
    assert response.status_code == 200
    assert "Mein Titel" in response.text  # what was typed stays
    assert 'class="invalid-feedback' in response.text or "is-invalid" in response.text
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_oversized_upload_is_refused(client, member, energy, settings):
    settings.WORKGROUPS_DOCUMENT_MAX_BYTES = 1024
    client.force_login(member)
    response = _post(client, energy, _upload("gross.pdf", MINIMAL_PDF + b"0" * 2048))
    assert response.status_code == 200
    assert "zu groß" in response.text
    assert not Document.objects.exists()


def test_twenty_megabytes_is_the_default_limit(settings):
    assert settings.WORKGROUPS_DOCUMENT_MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "x" * 400 + ".pdf", "Übersicht 📄 ‮fdp.exe", "..\\..\\boot.ini"]
)
def test_path_tricks_in_file_names_are_neutralised(client, member, energy, documents_root, name):
    client.force_login(member)
    _post(client, energy, _upload(name, MINIMAL_PDF))
    version = DocumentVersion.objects.get()
    assert "/" not in version.original_name and "\\" not in version.original_name
    assert ".." not in version.original_name.rsplit(".", 1)[0] or version.original_name.startswith("x")
    assert len(version.original_name) <= 120 and version.original_name.endswith(".pdf")
    stored = (documents_root / version.file.name).resolve()
    assert stored.is_relative_to(documents_root.resolve())


def test_replacing_a_document_keeps_the_older_versions(client, member, energy):
    client.force_login(member)
    _post(client, energy, _upload("v1.pdf", MINIMAL_PDF))
    document = Document.objects.get()
    client.post(
        reverse("workgroups:document_replace", kwargs={"slug": energy.slug, "pk": document.pk}),
        {"file": _upload("v2.pdf", MINIMAL_PDF + b"\n")},
    )
    assert list(document.versions.values_list("number", "original_name")) == [(2, "v2.pdf"), (1, "v1.pdf")]
    page = client.get(document.get_absolute_url()).text
    assert "v1.pdf" in page and "v2.pdf" in page


def test_only_moderators_delete_documents_and_the_files_go_too(
    client, member, moderator, energy, documents_root, django_capture_on_commit_callbacks
):
    client.force_login(member)
    _post(client, energy, _upload("weg.pdf", MINIMAL_PDF))
    document = Document.objects.get()
    path = documents_root / document.versions.get().file.name
    delete_url = reverse("workgroups:document_delete", kwargs={"slug": energy.slug, "pk": document.pk})
    assert client.post(delete_url).status_code == 403
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete_url)
    assert not Document.objects.exists() and not path.exists()
