"""What is stored for an accepted upload: upright, no metadata, renditions at each width."""

import io
from pathlib import PurePosixPath

import pytest
from PIL import Image as PILImage
from PIL import ImageCms

from blog.media.models import Image
from tests.media.factories import (
    ImageFactory,
    animated_gif,
    image_bytes,
    image_upload,
    phone_photo,
    upload,
)

pytestmark = pytest.mark.django_db

METADATA_MARKERS = (b"Exif", b"EXIF", b"eXIf", b"GPS", b"xmpmeta", b"PhoneCo", b"Phone 15")


def stored(file_field):
    with file_field.open("rb") as handle:
        return handle.read()


def opened(content):
    image = PILImage.open(io.BytesIO(content))
    image.load()
    return image


def every_file(image):
    return [image.file, *(rendition.file for rendition in image.renditions.all())]


def test_a_phone_photo_is_stored_upright_with_no_exif_gps_or_xmp():
    source = phone_photo(size=(1600, 1200))
    assert all(marker in source for marker in METADATA_MARKERS if marker not in (b"EXIF", b"eXIf"))

    image = Image.objects.create_from_file(upload(source, "IMG_0042.JPG"), alt_text="Sea")

    assert (image.width, image.height) == (1200, 1600)  # turned a quarter, as the phone said
    files = every_file(image)
    assert len(files) == 6  # the original, 480 and 800 in JPEG and WebP, 1200 in WebP
    for file in files:
        content = stored(file)
        for marker in METADATA_MARKERS:
            assert marker not in content, (file.name, marker)
        picture = opened(content)
        assert len(picture.getexif()) == 0, file.name
        assert not {"exif", "xmp", "XML:com.adobe.xmp"} & set(picture.info), file.name
        width, height = picture.size
        assert height > width, file.name  # portrait, like the original once turned
        # The sensor's left half was red; upright, that is the top half.
        red, _green, blue = picture.convert("RGB").getpixel((width // 2, height // 4))
        assert red > 200 and blue < 60, file.name
        red, _green, blue = picture.convert("RGB").getpixel((width // 2, height * 3 // 4))
        assert blue > 200 and red < 60, file.name


def test_renditions_are_made_below_the_original_width_in_webp_and_the_original_format():
    # No WebP as wide as the original: it is wider than any width pages ask for.
    image = ImageFactory(size=(1700, 900))

    made = sorted((r.width, r.format) for r in image.renditions.all())
    assert made == [
        (480, "JPEG"), (480, "WEBP"), (800, "JPEG"), (800, "WEBP"),
        (1200, "JPEG"), (1200, "WEBP"), (1600, "JPEG"), (1600, "WEBP"),
    ]  # fmt: skip
    month = PurePosixPath(image.file.name).parent
    assert str(month).startswith("images/")
    for rendition in image.renditions.all():
        assert PurePosixPath(rendition.file.name).parent == month / "renditions"
        picture = opened(stored(rendition.file))
        assert picture.format == rendition.format
        assert picture.size == (rendition.width, rendition.height)
        assert rendition.height == round(900 * rendition.width / 1700)


def test_an_image_narrower_than_every_width_gets_only_a_full_size_webp():
    image = ImageFactory(size=(400, 300))

    assert [(r.width, r.format) for r in image.renditions.all()] == [(400, "WEBP")]


def test_widths_come_from_the_setting(settings):
    settings.BLOG_IMAGE_WIDTHS = [300, 600, 2000]

    image = ImageFactory(size=(1000, 500))

    assert sorted({r.width for r in image.renditions.all()}) == [300, 600, 1000]


def test_a_webp_original_has_webp_renditions_only():
    image = ImageFactory(file=image_upload("WEBP", (1000, 600)))

    assert image.format == "WEBP"
    assert sorted((r.width, r.format) for r in image.renditions.all()) == [
        (480, "WEBP"),
        (800, "WEBP"),
    ]


def test_the_format_is_the_detected_one_whatever_the_file_is_called():
    image = ImageFactory(file=upload(image_bytes("PNG", (300, 200)), "holiday photo.JPG"))

    assert image.format == "PNG"
    assert PurePosixPath(image.file.name).name == "holiday-photo.png"
    assert opened(stored(image.file)).format == "PNG"


def test_transparency_survives_in_png_and_webp():
    image = ImageFactory(file=image_upload("PNG", (1000, 500), alpha=True, color=(0, 0, 0, 0)))

    for file in every_file(image):
        picture = opened(stored(file))
        assert picture.mode == "RGBA", file.name
        assert picture.getpixel((picture.width - 1, picture.height - 1))[3] == 0, file.name


def test_an_animated_gif_keeps_its_frames_everywhere():
    image = ImageFactory(file=upload(animated_gif((900, 600)), "wave.gif"))

    assert image.format == "GIF"
    # Smaller animations in WebP only; the original GIF is the fallback.
    assert sorted((r.width, r.format) for r in image.renditions.all()) == [
        (480, "WEBP"), (800, "WEBP"), (900, "WEBP"),
    ]  # fmt: skip
    for file in every_file(image):
        picture = PILImage.open(io.BytesIO(stored(file)))
        assert picture.n_frames == 3, file.name
        colours = []
        for frame in range(3):
            picture.seek(frame)
            colours.append(picture.convert("RGB").getpixel((10, 10)))
        assert [max(range(3), key=colour.__getitem__) for colour in colours] == [0, 1, 2]


def test_an_rgb_colour_profile_is_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = image_bytes("JPEG", (900, 600), icc_profile=profile)

    image = ImageFactory(file=upload(content, "p3.jpg"))

    for file in every_file(image):
        assert opened(stored(file)).info.get("icc_profile") == profile, file.name


def test_a_cmyk_jpeg_is_stored_as_rgb():
    buffer = io.BytesIO()
    PILImage.new("CMYK", (600, 400), (0, 255, 255, 0)).save(buffer, "JPEG")

    image = ImageFactory(file=upload(buffer.getvalue(), "print.jpg"))

    picture = opened(stored(image.file))
    assert picture.mode == "RGB"
    red, green, blue = picture.getpixel((10, 10))
    assert red > 200 and green < 60 and blue < 60


def test_sixteen_bit_greys_are_scaled_not_clipped():
    buffer = io.BytesIO()
    PILImage.new("I;16", (600, 400), 32768).save(buffer, "PNG")  # mid grey

    image = ImageFactory(file=upload(buffer.getvalue(), "scan.png"))

    webp = next(r for r in image.renditions.all() if r.format == "WEBP")
    grey = opened(stored(webp.file)).convert("L").getpixel((5, 5))
    assert 120 <= grey <= 136


def test_the_same_name_twice_gets_two_sets_of_files(stored_files):
    first = ImageFactory(file=image_upload("JPEG", (600, 400), name="dup.jpg"))
    second = ImageFactory(file=image_upload("JPEG", (600, 400), name="dup.jpg"))

    assert first.file.name != second.file.name
    assert len(stored_files()) == 2 * 4  # each: original, 480 JPEG and WebP, 600 WebP
