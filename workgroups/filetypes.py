"""What an uploaded file really is, judged by its bytes — never by its name or the browser's word.

Accepted: PDF, Office Open XML and OpenDocument (text, spreadsheet, presentation; no
macro-enabled variants), PNG, JPEG, GIF and WebP. Images are fully decoded with Pillow,
after their pixel count has been checked, so a truncated image or a decompression bomb is
refused instead of exhausting the server; the same goes for zip bombs posing as office
documents, whose entries are only ever read up to a small limit. Pure Python, no libmagic.
"""

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _
from PIL import Image

# 40 megapixels is more than any camera photo people share; beyond it a file is refused
# before Pillow allocates memory for it.
MAX_IMAGE_PIXELS = 40_000_000

# An office document is a zip archive. Only two small entries are ever read, and never more
# than these limits, whatever sizes the archive claims; archives that announce more than a
# real document ever holds are refused before anything is decompressed.
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_TOTAL_SIZE = 200 * 1024 * 1024
MAX_ZIP_COMPRESSION_RATIO = 200
MAX_CONTENT_TYPES_SIZE = 1024 * 1024
MAX_MIMETYPE_SIZE = 100


class UnsupportedFile(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", "pdf", "PDF")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel")
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PowerPoint"
)
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "OpenDocument")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument")
ODP = FileType("application/vnd.oasis.opendocument.presentation", "odp", "OpenDocument")
PNG = FileType("image/png", "png", "PNG")
JPEG = FileType("image/jpeg", "jpg", "JPEG")
GIF = FileType("image/gif", "gif", "GIF")
WEBP = FileType("image/webp", "webp", "WebP")

_OOXML_MAIN_PART = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_MIMETYPES = {t.content_type: t for t in (ODT, ODS, ODP)}
_PILLOW_FORMATS = {"PNG": PNG, "JPEG": JPEG, "GIF": GIF, "WEBP": WEBP}

UNSUPPORTED = _(
    "This file type is not accepted. Please upload a PDF, an office document (Word, Excel, "
    "PowerPoint, OpenDocument) or an image (PNG, JPEG, GIF, WebP)."
)


def sniff(file: BinaryIO) -> FileType:
    """The type of `file` judged by its content; raises `UnsupportedFile` with a message for people."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return _check_pdf(file)
        if head.startswith(b"PK\x03\x04"):
            return _check_zip_document(file)
        if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
            head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        ):
            return _check_image(file)
    finally:
        file.seek(0)
    raise UnsupportedFile(UNSUPPORTED)


def _check_pdf(file: BinaryIO) -> FileType:
    # A PDF ends with %%EOF (possibly followed by whitespace); a cut-off upload does not.
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - 1024))
    if b"%%EOF" not in file.read():
        raise UnsupportedFile(_("This PDF file seems to be incomplete or damaged."))
    return PDF


def _check_zip_document(file: BinaryIO) -> FileType:
    damaged = _("This office document seems to be incomplete or damaged.")
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            _refuse_zip_bomb(entries)
            by_name = {entry.filename: entry for entry in entries}
            if "mimetype" in by_name:
                mimetype = _read_entry(archive, by_name["mimetype"], MAX_MIMETYPE_SIZE)
                mimetype = mimetype.decode("ascii", "replace").strip()
                if mimetype in _ODF_MIMETYPES and "content.xml" in by_name:
                    return _ODF_MIMETYPES[mimetype]
            if "[Content_Types].xml" in by_name:
                content_types = _read_entry(archive, by_name["[Content_Types].xml"], MAX_CONTENT_TYPES_SIZE)
                if b"macroEnabled" in content_types or any(
                    name.endswith("vbaProject.bin") for name in by_name
                ):
                    raise UnsupportedFile(_("Office documents with macros are not accepted."))
                for part, file_type in _OOXML_MAIN_PART.items():
                    if part in by_name:
                        return file_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError) as exc:
        raise UnsupportedFile(damaged) from exc
    raise UnsupportedFile(UNSUPPORTED)


def _zip_bomb() -> UnsupportedFile:
    return UnsupportedFile(
        _("This office document unpacks to far more data than a real document holds and is not accepted.")
    )


def _refuse_zip_bomb(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _zip_bomb()
    if sum(entry.file_size for entry in entries) > MAX_ZIP_TOTAL_SIZE:
        raise _zip_bomb()
    for entry in entries:
        # Small entries compress well without being suspicious; big ones that shrink by a
        # factor of hundreds are what a bomb is made of.
        if entry.file_size > 1024 * 1024 and (
            entry.file_size > MAX_ZIP_COMPRESSION_RATIO * max(entry.compress_size, 1)
        ):
            raise _zip_bomb()


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    """At most `limit` bytes of `entry`; an entry that claims or turns out to be longer is refused.

    The size in the archive's directory is the sender's word, so the decompressed stream is
    cut off after `limit + 1` bytes as well.
    """
    if entry.file_size > limit:
        raise _zip_bomb()
    with archive.open(entry) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise _zip_bomb()
    return data


def _check_image(file: BinaryIO) -> FileType:
    damaged = _("This image seems to be incomplete or damaged.")
    too_big = _("This image is too large (at most %(limit)s megapixels).") % {
        "limit": MAX_IMAGE_PIXELS // 1_000_000
    }
    # The pixel count is checked here, against our own limit, right after Pillow has read the
    # header and before it decodes anything. Pillow's process-wide MAX_IMAGE_PIXELS is left
    # alone: changing it per call would race with other threads of the same worker.
    try:
        with Image.open(file) as image:
            file_type = _PILLOW_FORMATS.get(image.format or "")
            if file_type is None:
                raise UnsupportedFile(UNSUPPORTED)
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UnsupportedFile(too_big)
            image.verify()
        # verify() checks the structure; decoding the pixels finds a cut-off file.
        file.seek(0)
        with Image.open(file) as image:
            image.load()
    except Image.DecompressionBombError as exc:
        # Pillow's own, larger limit, hit while opening: too large by both measures.
        raise UnsupportedFile(too_big) from exc
    except UnsupportedFile:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError) as exc:
        raise UnsupportedFile(damaged) from exc
    return file_type


def safe_filename(name: str, file_type: FileType, *, max_length: int = 120) -> str:
    """A file name fit to show and to offer for download: no path, no control characters.

    The extension always follows the sniffed type, so "report.exe.pdf" that is really a
    PNG is offered as "report.exe.png" and opens in an image viewer, if at all.
    """
    name = unicodedata.normalize("NFC", name or "")
    # Both separators: a Windows browser may send "C:\\Users\\...\\file.pdf".
    name = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "CZ" or ch == " ").strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .") or "dokument"
    stem = stem[: max_length - len(file_type.extension) - 1].rstrip(" .")
    return f"{stem}.{file_type.extension}"
