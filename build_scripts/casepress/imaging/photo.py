"""A photograph or exported image (PNG, JPEG, TIFF) with nothing but its pixels kept.

EXIF (dates, device, sometimes GPS), XMP, IPTC, ICC and text chunks can identify a patient
or a place; the orientation EXIF records is applied to the pixels first, then a new image is
made from the pixels alone, so no metadata can ride along.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from casepress.imaging.errors import ImportRefused

if TYPE_CHECKING:
    from PIL import Image as PILImage

FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "TIFF": "TIFF"}
MAX_PIXELS = 50_000_000  # as for any figure file (content/figure_files.py)


def read_photo(path: Path) -> tuple[str, PILImage.Image]:
    """(the format it was in, its pixels upright with no metadata)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            found = FORMATS.get(image.format or "")
            if found is None:
                raise ImportRefused(
                    f"{path.name} is a {image.format} image; casepress imports PNG, JPEG, "
                    "TIFF and DICOM", "export it as PNG or JPEG")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImportRefused(f"{path.name} claims {width} x {height} pixels, more "
                                    "than a figure can be shown at",
                                    "export it at a few thousand pixels wide at most")
            upright = ImageOps.exif_transpose(image)
            mode = upright.mode if upright.mode in ("L", "RGB", "RGBA") else (
                "RGBA" if "A" in upright.getbands() else "RGB")
            pixels = upright.convert(mode)
            return found, Image.frombytes(mode, pixels.size, pixels.tobytes())
    except ImportRefused:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own limit, met on opening
        raise ImportRefused(f"{path.name} claims more pixels than a figure can be shown at "
                            f"({exc})", "export it at a few thousand pixels wide at most"
                            ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImportRefused(f"{path.name} cannot be read as an image ({exc})",
                            "export it again as PNG or JPEG") from None
