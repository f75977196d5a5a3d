"""What an uploaded file really is, judged by its bytes — never by its name or the browser's word.

Accepted: PDF, Office Open XML and OpenDocument (text, spreadsheet, presentation; no
macro-enabled variants), PNG, JPEG, GIF and WebP. Images are fully decoded with Pillow,
with a pixel limit set before decoding, so a truncated image or a decompression bomb is
refused instead of exhausting the server. Pure Python, no libmagic.
"""

import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _
from PIL import Image

# 40 megapixels is more than any camera photo people share; beyond it a file is refused
# before Pillow allocates memory for it.
MAX_IMAGE_PIXELS = 40_000_000


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
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _ODF_MIMETYPES and "content.xml" in names:
                    return _ODF_MIMETYPES[mimetype]
            if "[Content_Types].xml" in names:
                content_types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in content_types or any(n.endswith("vbaProject.bin") for n in names):
                    raise UnsupportedFile(_("Office documents with macros are not accepted."))
                for part, file_type in _OOXML_MAIN_PART.items():
                    if part in names:
                        return file_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError) as exc:
        raise UnsupportedFile(_("This office document seems to be incomplete or damaged.")) from exc
    raise UnsupportedFile(UNSUPPORTED)


def _check_image(file: BinaryIO) -> FileType:
    damaged = _("This image seems to be incomplete or damaged.")
    too_big = _("This image is too large (at most %(limit)s megapixels).") % {
        "limit": MAX_IMAGE_PIXELS // 1_000_000
    }
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between the limit and twice the limit; here that is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
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
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnsupportedFile(too_big) from exc
    except UnsupportedFile:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError) as exc:
        raise UnsupportedFile(damaged) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit
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
