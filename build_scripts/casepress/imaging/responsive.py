"""Figure images in the sizes a screen needs: each image under docs/assets/figures/ gets WebP
copies at a few widths (the `srcset` a browser picks from by its screen) and a PNG or JPEG
at most 960 px wide as the fallback `src`; the original is what the zoom opens.

The copies are made from the file's bytes only, with fixed encoder settings, so equal files
give equal copies (the site stays byte-for-byte reproducible). Their URLs in `srcset` are
written relative to the page's Markdown file, as MkDocs expects of `src`; engines rewrite
`src` for their URL style but not `srcset`, so `rebase_srcsets` does it for the built page.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from casepress.pages import Asset

WIDTHS = (480, 960, 1600)
FALLBACK_WIDTH = 960
WEBP_QUALITY = 82
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Candidate:
    path: str  # inside docs/, e.g. assets/figures/case/mri-a.480w.webp
    width: int


@dataclass(frozen=True)
class ResponsiveImage:
    original: str  # inside docs/
    width: int
    height: int
    fallback: str  # inside docs/: what `src` names
    candidates: tuple[Candidate, ...]  # WebP, narrowest first


def _encode(image: object, fmt: str) -> bytes:
    from PIL import Image

    assert isinstance(image, Image.Image)
    buffer = io.BytesIO()
    if fmt == "WEBP":
        image.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    elif fmt == "JPEG":
        image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_responsive(path: str, data: bytes) -> tuple[ResponsiveImage, list[Asset]]:
    """The copies of one image file (`path` inside docs/) and how the page names them."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        image = opened if opened.mode in ("L", "RGB", "RGBA") else opened.convert("RGBA")
        width, height = image.size
        stem, suffix = posixpath.splitext(path)
        assets: list[Asset] = []
        candidates = []
        for target in [w for w in WIDTHS if w < width] + [width]:
            resized = image if target == width else image.resize(
                (target, max(1, round(height * target / width))), Image.Resampling.LANCZOS)
            name = f"{stem}.{target}w.webp"
            assets.append(Asset(name, _encode(resized, "WEBP")))
            candidates.append(Candidate(name, target))
        fallback = path
        if width > FALLBACK_WIDTH:
            fmt = "JPEG" if suffix.lower() in (".jpg", ".jpeg") else "PNG"
            fallback = f"{stem}.{FALLBACK_WIDTH}w{'.jpg' if fmt == 'JPEG' else '.png'}"
            small = image.resize((FALLBACK_WIDTH, max(1, round(height * FALLBACK_WIDTH / width))),
                                 Image.Resampling.LANCZOS)
            assets.append(Asset(fallback, _encode(small, fmt)))
    return ResponsiveImage(path, width, height, fallback, tuple(candidates)), assets


# Bump when the copies made from equal bytes would differ (widths, encoder settings, Pillow).
COPIES_VERSION = 1


def _cache_key(data: bytes) -> str:
    from PIL import __version__ as pillow

    settings = f"{COPIES_VERSION};{WIDTHS};{FALLBACK_WIDTH};{WEBP_QUALITY};{JPEG_QUALITY};{pillow}"
    return hashlib.sha256(settings.encode() + b"\0" + data).hexdigest()


def cached_responsive(path: str, data: bytes, folder: Path | None
                      ) -> tuple[ResponsiveImage, list[Asset]]:
    """`make_responsive`, kept in `folder` between builds (None: not kept). The cache is data:
    a manifest in JSON and the copies' bytes, each copy opened and measured again when read;
    anything amiss is a miss, made again."""
    if folder is None:
        return make_responsive(path, data)
    key = _cache_key(data)
    found = _read_cached(path, folder, key)
    if found is not None:
        return found
    image, assets = make_responsive(path, data)
    stem = posixpath.splitext(path)[0]
    files = [[f"{key}-{number}", asset.path.removeprefix(stem)]
             for number, asset in enumerate(assets)]
    manifest = {"width": image.width, "height": image.height, "files": files,
                "fallback": image.fallback.removeprefix(stem) if image.fallback != path else None,
                "candidates": [[c.path.removeprefix(stem), c.width] for c in image.candidates]}
    try:  # the copies first, the manifest that names them last
        folder.mkdir(parents=True, exist_ok=True)
        for (name, _suffix), asset in zip(files, assets, strict=True):
            (folder / name).write_bytes(asset.content)
        (folder / f"{key}.json").write_text(json.dumps(manifest), encoding="utf-8")
    except OSError:
        pass  # a cache folder that cannot be written only costs the time to make them again
    return image, assets


def _read_cached(path: str, folder: Path, key: str) -> tuple[ResponsiveImage, list[Asset]] | None:
    from PIL import Image, UnidentifiedImageError

    stem = posixpath.splitext(path)[0]
    try:
        manifest = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        width, height = int(manifest["width"]), int(manifest["height"])
        assets = []
        for name, suffix in manifest["files"]:
            if not _SUFFIX.match(suffix) or not _KEYED.match(name):
                return None
            content = (folder / name).read_bytes()
            with Image.open(io.BytesIO(content)) as copy:  # still an image of a sane size
                if copy.width > width or copy.format not in ("WEBP", "PNG", "JPEG"):
                    return None
            assets.append(Asset(stem + suffix, content))
        named = {asset.path for asset in assets}
        candidates = tuple(Candidate(stem + suffix, int(w)) for suffix, w in
                           manifest["candidates"])
        fallback = stem + manifest["fallback"] if manifest["fallback"] else path
        if any(c.path not in named for c in candidates) or (
                fallback != path and fallback not in named):
            return None
        return ResponsiveImage(path, width, height, fallback, candidates), assets
    except (OSError, ValueError, KeyError, TypeError, UnidentifiedImageError):
        return None


_SUFFIX = re.compile(r"^\.\d+w\.(webp|png|jpg)$")
_KEYED = re.compile(r"^[0-9a-f]{64}-\d+$")


_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


def rebase_srcsets(html: str, source_uri: str, page_url: str) -> str:
    """Each relative URL in a `srcset` of `html`, written relative to the Markdown file
    `source_uri`, made relative to the page's own URL (`cases/x/` or `cases/x.html`)."""
    source_dir = posixpath.dirname(source_uri)
    page_dir = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(
        page_url)

    def rebase(candidate: str) -> str:
        url, _, descriptor = candidate.strip().partition(" ")
        if not url or "://" in url or url.startswith(("/", "data:", "#")):
            return candidate.strip()
        target = posixpath.normpath(posixpath.join(source_dir, url))
        relative = posixpath.relpath(target, page_dir.rstrip("/") or ".")
        return f"{relative} {descriptor}".strip()

    def rebased(match: re.Match[str]) -> str:
        if "data:" in match[2]:  # a data URL holds commas: not ours, left as it is
            return match[0]
        return match[1] + ", ".join(rebase(c) for c in match[2].split(",")) + match[3]

    return _SRCSET.sub(rebased, html)
