"""A DICOM file turned into grey levels a page can show, and nothing else from it.

The header is de-identified first by the DICOM PS3.15 Basic Application Level
Confidentiality Profile as dicom-anonymizer implements it (its table of actions per
attribute), so that the little we record (the modality) is read from de-identified data;
then the pixels are windowed to 8 bits. No header reaches the output: the image written is
a plain PNG of those pixels. A file that declares text burned into its pixels is refused
unless the editor says they looked (`--burned-in-checked`): the profile cannot clean pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casepress.imaging.errors import ImportRefused

# Named windows (centre, width) in Hounsfield units, as radiology viewers offer them.
WINDOW_PRESETS = {"bone": (500, 2000), "soft-tissue": (40, 400), "brain": (40, 80),
                  "lung": (-600, 1500)}
PROFILE = "DICOM PS3.15 Basic Application Level Confidentiality Profile"
# Decoders pydicom can use for compressed pixel data, by what to install.
_DECODERS = {
    "JPEG 2000": "pylibjpeg with pylibjpeg-openjpeg (or Pillow built with OpenJPEG)",
    "JPEG-LS": "pylibjpeg with pylibjpeg-libjpeg, or pyjpegls",
    "JPEG": "pylibjpeg with pylibjpeg-libjpeg (lossless JPEG), or Pillow (baseline JPEG)",
    "RLE": "pylibjpeg with pylibjpeg-rle (pydicom's own decoder also reads RLE)",
    "Deflated": "pydicom itself (a damaged file?)",
    "HTJ2K": "pylibjpeg with pylibjpeg-openjpeg",
}
MAX_PIXELS = 50_000_000  # as for any figure file


@dataclass(frozen=True)
class DicomImage:
    frames: list[Any]  # 2-D uint8 arrays (grey) or 3-D (RGB), one per frame
    modality: str | None
    window: str | None
    instance: int = 0  # where the scanner put it in its series (Instance Number)


def _decoder_for(syntax_name: str) -> str:
    for family, decoder in _DECODERS.items():
        if family.lower() in syntax_name.lower():
            return decoder
    return "a pydicom pixel-data plugin for it (pylibjpeg covers most)"


def read_dicom(path: Path, window: str | None, burned_in_checked: bool) -> DicomImage:
    import pydicom
    from pydicom.errors import InvalidDicomError

    try:
        dataset = pydicom.dcmread(path)
    except (InvalidDicomError, OSError, ValueError, EOFError) as exc:
        raise ImportRefused(f"{path.name} is not a readable DICOM file ({exc})",
                            "export it again from the viewer or PACS") from None
    if "PixelData" not in dataset:
        raise ImportRefused(f"{path.name} holds no image (a DICOM file without pixel data, "
                            "such as a report or structured data)",
                            "export the image series itself")
    burned_in = str(dataset.get("BurnedInAnnotation", "")).upper()
    if burned_in == "YES" and not burned_in_checked:
        raise ImportRefused(
            f"{path.name} declares text burned into its pixels (Burned In Annotation: YES), "
            "which de-identification of the header cannot remove",
            "look at the image; if no name, date or number of the patient is visible, "
            "import it again with --burned-in-checked, otherwise crop or export it without "
            "the overlay")
    from dicomanonymizer import anonymize_dataset

    anonymize_dataset(dataset, delete_private_tags=True)
    rows, columns = int(dataset.get("Rows", 0)), int(dataset.get("Columns", 0))
    frames = int(dataset.get("NumberOfFrames", 1) or 1)
    if rows * columns * frames > MAX_PIXELS * 4 or rows * columns > MAX_PIXELS:
        raise ImportRefused(f"{path.name} claims {columns} x {rows} pixels x {frames} frames, "
                            "more than a figure can be shown at",
                            "export a smaller image or fewer frames")
    syntax = getattr(dataset, "file_meta", {}).get("TransferSyntaxUID")
    try:
        pixels = dataset.pixel_array
    except Exception as exc:  # pydicom raises several types for undecodable pixel data
        name = getattr(syntax, "name", str(syntax))
        reason = str(exc).splitlines()[0].rstrip(":")
        if syntax is not None and not getattr(syntax, "is_compressed", True):
            raise ImportRefused(f"{path.name}: its pixel data cannot be read ({reason}); the "
                                "file is truncated or damaged",
                                "export it again from the viewer or PACS") from None
        raise ImportRefused(
            f"{path.name}: its pixel data is compressed as {name}, which cannot be decoded "
            f"here ({reason})",
            f"install {_decoder_for(name)}, or export the image uncompressed") from None
    image = _to_eight_bits(dataset, pixels, window, frames)
    return DicomImage(image.frames, image.modality, image.window,
                      int(dataset.get("InstanceNumber", 0) or 0))


def _to_eight_bits(dataset: Any, pixels: Any, window: str | None, frames: int) -> DicomImage:
    import numpy as np
    from pydicom.pixels.processing import apply_modality_lut

    modality = str(dataset.get("Modality", "")) or None
    photometric = str(dataset.get("PhotometricInterpretation", "MONOCHROME2"))
    stack = pixels if frames > 1 else pixels[np.newaxis, ...]
    if photometric not in ("MONOCHROME1", "MONOCHROME2"):  # colour: shown as it is
        if photometric.startswith("YBR"):
            from pydicom.pixels.processing import convert_color_space

            stack = convert_color_space(stack, photometric, "RGB")
        return DicomImage([np.asarray(f, dtype=np.uint8) for f in stack], modality, None)
    values = apply_modality_lut(stack, dataset).astype(np.float64)
    centre: float
    width: float
    if window is not None:
        centre, width = WINDOW_PRESETS[window]
        used = f"{window} preset (centre {centre}, width {width})"
    elif "WindowCenter" in dataset and "WindowWidth" in dataset:
        centre, width = (_first(dataset.WindowCenter), _first(dataset.WindowWidth))
        used = f"the file's own (centre {centre:g}, width {width:g})"
    else:
        low, high = float(values.min()), float(values.max())
        centre, width = (low + high) / 2, max(high - low, 1.0)
        used = f"full range of the values (centre {centre:g}, width {width:g})"
    low = centre - width / 2
    scaled = np.clip((values - low) / max(width, 1e-9) * 255.0, 0, 255)
    grey = np.rint(scaled).astype(np.uint8)
    if photometric == "MONOCHROME1":  # white means low: invert for a PNG
        grey = 255 - grey
    return DicomImage(list(grey), modality, used)


def _first(value: Any) -> float:
    """Window centre and width may hold several values (one per preset of the modality)."""
    try:
        return float(value[0])
    except TypeError:
        return float(value)
