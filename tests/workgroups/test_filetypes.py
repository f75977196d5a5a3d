import io
import tracemalloc
import zipfile

import pytest
from django.utils import translation
from PIL import Image

from tests.paths import TESTDATA as _TESTDATA
from workgroups import filetypes
from workgroups.filetypes import UnsupportedFile, safe_filename, sniff

TESTDATA = str(_TESTDATA)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _read(name: str) -> io.BytesIO:
    with open(f"{TESTDATA}/{name}", "rb") as f:
        return io.BytesIO(f.read())


def _image(fmt: str, size=(20, 10)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format=fmt)
    buffer.seek(0)
    return buffer


def _zip(entries: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def test_a_real_pdf_is_recognised():
    assert sniff(_read("minimal.pdf")) is filetypes.PDF


@pytest.mark.parametrize(
    ("fmt", "expected"), [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")]
)
def test_real_images_are_recognised(fmt, expected):
    assert sniff(_image(fmt)).extension == expected


def test_word_document_is_recognised_by_its_internal_parts():
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert sniff(docx) is filetypes.DOCX


def test_opendocument_is_recognised_by_its_mimetype_entry():
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert sniff(odt) is filetypes.ODT


def test_macro_enabled_office_document_is_refused():
    docm = _zip(
        {
            "[Content_Types].xml": (
                b'<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
                b"</Types>"
            ),
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00",
        }
    )
    with pytest.raises(UnsupportedFile, match="macros"):
        sniff(docm)


def test_any_other_zip_is_refused():
    with pytest.raises(UnsupportedFile):
        sniff(_zip({"evil.exe": b"MZ"}))


@pytest.mark.parametrize("name", ["executable-named.pdf", "script-named.jpg", "script.svg"])
def test_disguised_files_are_refused(name):
    with pytest.raises(UnsupportedFile):
        sniff(_read(name))


def test_truncated_jpeg_is_refused():
    with pytest.raises(UnsupportedFile, match="incomplete or damaged"):
        sniff(_read("truncated.jpg"))


def test_decompression_bomb_is_refused_without_decoding_it():
    with pytest.raises(UnsupportedFile, match="too large"):
        sniff(_read("bomb-30000x30000.png"))


def test_image_just_over_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(UnsupportedFile, match="too large"):
        sniff(_image("PNG", size=(20, 10)))


def test_pdf_cut_off_before_its_end_is_refused():
    with pytest.raises(UnsupportedFile):
        sniff(io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\n"))


def test_sniffing_an_image_never_changes_pillows_process_wide_limit(monkeypatch):
    # Under a threaded server another request may be opening an image at the same moment;
    # it must see Pillow's limit exactly as configured, not ours.
    configured = Image.MAX_IMAGE_PIXELS
    seen = []
    real_open = Image.open

    def watching_open(*args, **kwargs):
        seen.append(Image.MAX_IMAGE_PIXELS)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Image, "open", watching_open)
    assert sniff(_image("PNG")) is filetypes.PNG
    assert seen and set(seen) == {configured}
    assert configured == Image.MAX_IMAGE_PIXELS


def test_image_over_our_limit_but_under_pillows_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_IMAGE_PIXELS", 199)
    assert Image.MAX_IMAGE_PIXELS > 200
    with pytest.raises(UnsupportedFile, match="too large"):
        sniff(_image("PNG", size=(20, 10)))


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A ~300 KB "Word document" whose [Content_Types].xml unpacks to 300 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("[Content_Types].xml", "w") as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                entry.write(chunk)
    return buffer.getvalue()


def test_zip_bomb_posing_as_word_document_is_refused_without_unpacking_it(zip_bomb):
    assert len(zip_bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(UnsupportedFile, match="far more data than a real document"):
            sniff(io.BytesIO(zip_bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_content_types_entry_larger_than_a_megabyte_is_refused():
    docx = _zip(
        {"[Content_Types].xml": b"<Types>" + b" " * (1024 * 1024) + b"</Types>", "word/document.xml": b"<x/>"}
    )
    with pytest.raises(UnsupportedFile, match="far more data"):
        sniff(docx)


def test_opendocument_with_an_oversized_mimetype_entry_is_refused():
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text" + b" " * 200, "content.xml": b"<x/>"})
    with pytest.raises(UnsupportedFile, match="far more data"):
        sniff(odt)


def test_zip_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_ZIP_ENTRIES", 10)
    entries = {f"word/media/{n}.xml": b"<x/>" for n in range(11)}
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>", **entries})
    with pytest.raises(UnsupportedFile, match="far more data"):
        sniff(docx)


def test_zip_claiming_more_than_the_total_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_ZIP_TOTAL_SIZE", 1000)
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"x" * 1001})
    with pytest.raises(UnsupportedFile, match="far more data"):
        sniff(docx)


def test_ordinary_compressed_word_document_is_still_accepted():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types>" + b"<Default/>" * 500 + b"</Types>")
        archive.writestr("word/document.xml", "".join(f"<w:p>Absatz {n}</w:p>" for n in range(100_000)))
    buffer.seek(0)
    assert sniff(buffer) is filetypes.DOCX


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\evil.exe", "evil.pdf"),
        ("Bericht.exe.pdf", "Bericht.exe.pdf"),
        ("Protokoll Sitzung März.pdf", "Protokoll Sitzung März.pdf"),
        ("\u202egnp.exe", "gnp.pdf"),
        ("", "dokument.pdf"),
        ("...", "dokument.pdf"),
        ("a\x00b\r\nc.pdf", "abc.pdf"),
    ],
)
def test_safe_filename_removes_paths_and_control_characters(name, expected):
    assert safe_filename(name, filetypes.PDF) == expected


def test_safe_filename_shortens_very_long_names_and_keeps_the_real_extension():
    name = safe_filename("ä" * 500 + ".png", filetypes.PDF)
    assert len(name) <= 120 and name.endswith(".pdf")
