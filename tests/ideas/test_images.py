import io
import warnings
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from geraportal.core.images import clean_image
from tests.paths import TESTDATA  # noqa: E402

if not TESTDATA.is_dir():
    TESTDATA = Path(__file__).resolve().parents[3] / "shared" / "testdata"


def upload(name: str, content: bytes | None = None, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else (TESTDATA / name).read_bytes(), content_type
    )


def test_gps_photo_comes_out_without_any_exif():
    source = Image.open(TESTDATA / "photo-with-gps.jpg")
    assert source.getexif().get_ifd(0x8825), "test photo should carry GPS data"
    cleaned = clean_image(upload("photo-with-gps.jpg"))
    result = Image.open(io.BytesIO(cleaned.read()))
    assert result.format == "JPEG"
    assert not result.getexif()
    assert "exif" not in result.info
    assert not cleaned.name.startswith("photo")  # never the uploader's file name


@pytest.mark.parametrize("name", ["bomb-30000x30000.png", "script-named.jpg", "truncated.jpg"])
def test_hostile_files_are_refused_with_a_message(name):
    with pytest.raises(ValidationError) as error:
        clean_image(upload(name))
    assert error.value.messages[0]


def test_image_over_5_mb_is_refused():
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10), "image/jpeg")
    with pytest.raises(ValidationError) as error:
        clean_image(big)
    assert error.value.code == "too_large"


@pytest.mark.parametrize(("fmt", "ext"), [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_are_accepted_and_re_encoded(fmt, ext):
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 30), (200, 10, 10, 128)).save(buffer, format=fmt)
    cleaned = clean_image(upload(f"x.{ext}", buffer.getvalue(), f"image/{ext}"))
    assert cleaned.name.endswith(f".{ext}")
    assert Image.open(io.BytesIO(cleaned.read())).size == (40, 30)


def test_gif_and_svg_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    with pytest.raises(ValidationError):
        clean_image(upload("x.gif", buffer.getvalue(), "image/gif"))
    with pytest.raises(ValidationError):
        clean_image(upload("script.svg", (TESTDATA / "script.svg").read_bytes(), "image/svg+xml"))


def test_cleaning_an_image_leaves_process_wide_image_settings_alone(monkeypatch):
    # Another request in the same worker may be opening an image at the same moment: it must
    # see Pillow's limit and the warning filters as configured, not a temporary change of ours.
    configured_limit, configured_filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    seen = []
    real_open = Image.open

    def watching_open(*args, **kwargs):
        seen.append((Image.MAX_IMAGE_PIXELS, list(warnings.filters)))
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Image, "open", watching_open)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    clean_image(upload("x.png", buffer.getvalue(), "image/png"))
    assert seen
    assert all(state == (configured_limit, configured_filters) for state in seen)


def test_image_over_40_megapixels_but_under_pillows_own_limit_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (7000, 6000)).save(buffer, format="PNG")
    assert Image.MAX_IMAGE_PIXELS > 7000 * 6000
    with pytest.raises(ValidationError) as error:
        clean_image(upload("wide.png", buffer.getvalue(), "image/png"))
    assert error.value.code == "too_many_pixels"
