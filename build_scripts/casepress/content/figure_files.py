"""The image files an editor dropped under docs/assets/figures/, read to know what they are.

A figure file is published as it is and opened full size from the case page, on the site's
own origin, so its type is judged by its content, not its name: an SVG (or anything else that
is not a raster image) can hold script, and is refused; a raster image that is empty,
truncated, or whose header claims more pixels than any figure needs (a decompression bomb) is
reported and its panel keeps its placeholder. Pillow reads the files.
"""

from __future__ import annotations

from pathlib import Path

from casepress.content.figures import FIGURE_DIR
from casepress.diagnostics import Diagnostic, error, warning

# Suffix -> the format Pillow must find in the file.
RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP",
                  ".gif": "GIF"}
MAX_PIXELS = 50_000_000  # a 7000 x 7000 image; histology scans are exported smaller
# Above this a file is reported: readers open the original full size (the page itself shows
# resized copies), and every file lands in the offline bundle.
SIZE_BUDGET = 2_000_000


def _problem(path: Path, label: str) -> Diagnostic | None:
    suffix = path.suffix.lower()
    if suffix not in RASTER_FORMATS:
        what = "an SVG image, which can hold script" if suffix == ".svg" else "not an image"
        return error(label, None, "figure-file-type", f"{path.name} is {what}",
                     "export the figure as PNG or JPEG (WebP and GIF also work)")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            found, (width, height) = image.format, image.size
            if found != RASTER_FORMATS[suffix]:
                return error(label, None, "figure-file-type",
                             f"{path.name} holds a {found or 'different'} image, not the "
                             f"{RASTER_FORMATS[suffix]} its name says",
                             "export it again in the format its name says, or rename it")
            if width * height > MAX_PIXELS:
                return warning(label, None, "figure-file-damaged",
                               f"{path.name} claims {width} x {height} pixels, more than a "
                               "figure can be shown at; its placeholder is kept",
                               "export it at a size a screen can show (a few thousand pixels "
                               "wide at most)")
            image.load()  # reads every pixel: a truncated file fails here
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:
        detail = "is empty" if path.stat().st_size == 0 else f"cannot be read ({exc})"
        return warning(label, None, "figure-file-damaged",
                       f"{path.name} {detail}; its placeholder is kept",
                       "export the image again and replace the file")
    return None


def read_figure_files(docs: Path, folder_label: str) -> tuple[set[str], list[Diagnostic]]:
    """The usable image files under docs/assets/figures/ (paths inside docs/), and what is
    wrong with the others."""
    folder = docs / FIGURE_DIR
    if not folder.is_dir():
        return set(), []
    usable, problems = set(), []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        inside = path.relative_to(docs).as_posix()
        problem = _problem(path, f"{folder_label}/{inside}")
        if problem is None:
            usable.add(inside)
            if (size := path.stat().st_size) > SIZE_BUDGET:
                problems.append(warning(
                    f"{folder_label}/{inside}", None, "figure-file-large",
                    f"{path.name} is {size / 1e6:.1f} MB; readers who open it full size, and "
                    f"everyone who downloads the offline bundle, fetch all of it",
                    f"import it with `casepress add-image`, or export it under "
                    f"{SIZE_BUDGET // 1_000_000} MB"))
        else:
            problems.append(problem)
    return usable, problems
