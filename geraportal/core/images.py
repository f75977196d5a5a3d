"""Checking and cleaning uploaded images (news pictures and other portal-wide uploads).

An upload is trusted for nothing: not its name, not its content type, not its size header.
Pillow must recognise it as JPEG, PNG or WebP, its pixel count is checked before anything is
decoded (decompression bombs), and it is re-encoded from the pixels alone, so EXIF data —
the GPS position of a phone photo above all — never reaches the server's storage.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def clean_image(upload, *, max_side: int = MAX_SIDE) -> ContentFile:
    """Return a re-encoded copy of `upload`, or raise ValidationError with a message for the user."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The image is larger than 5 MB. Please choose a smaller one."), code="too_large"
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    not_an_image = ValidationError(
        _("This file is not a JPEG, PNG or WebP image, or it is damaged."), code="invalid_image"
    )
    # The pixel count is checked against our own limit after Pillow has read the header and
    # before anything is decoded. Nothing process-wide is changed for it (neither Pillow's
    # MAX_IMAGE_PIXELS nor the warning filters): under a threaded server that would race.
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise not_an_image
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side))
            clean = _pixels_only(image, image_format)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, format="JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        clean.save(out, format="PNG", optimize=True)
    else:
        clean.save(out, format="WEBP", quality=85)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{FORMATS[image_format]}")


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image has too many pixels (at most 40 megapixels). Please choose a smaller one."),
        code="too_many_pixels",
    )


def _pixels_only(image: Image.Image, image_format: str) -> Image.Image:
    """A new image made of the pixels alone: no EXIF, no XMP, no text chunks, no ICC tricks."""
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())
