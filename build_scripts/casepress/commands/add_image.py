"""`casepress add-image CASE PANEL FILE...`: a clinical image brought to where the build
expects it, with nothing that identifies the patient.

FILE is PNG, JPEG, TIFF or DICOM (`imaging.photo`, `imaging.dicom`); several files, or a
folder of them, make the panel a stack (a series the reader scrolls), whose middle frame is
the key image every reader sees first. The source file is never copied: only the image made
from its pixels is written, under docs/assets/figures/<case>/, and the case YAML records what
was imported under the panel's `image:`. Everything is checked and prepared before anything
is written; an existing image is replaced only with --replace.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from casepress.commands.layout import replace_file
from casepress.commands.mkdocs_yml import existing_config, options_from_mkdocs_yml
from casepress.content.figures import FIGURE_DIR, IMAGE_SUFFIXES, FigureRefError, parse_figure_key
from casepress.content.loader import Document, parse_document
from casepress.diagnostics import format_report
from casepress.imaging.errors import ImportRefused

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PHOTO_PROFILE = "EXIF, XMP, IPTC, ICC and text metadata removed; orientation applied"


@dataclass(frozen=True)
class Prepared:
    frames: list[bytes]  # encoded images; one, or a stack's frames in order
    suffix: str  # .png or .jpg
    record: dict[str, Any]  # the panel's `image:` in the case YAML


def _is_dicom(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(132)
    return head[128:132] == b"DICM" or path.suffix.lower() in (".dcm", ".dicom")


def _encode_png(pixels: Any) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    image = pixels if isinstance(pixels, Image.Image) else Image.fromarray(pixels)
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _files_of(sources: list[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if not source.exists():
            raise ImportRefused(f"{source}: no such file", "check the path")
        if source.is_dir():
            inside = sorted(p for p in source.iterdir() if p.is_file()
                            and not p.name.startswith("."))
            if not inside:
                raise ImportRefused(f"{source} holds no files", "name the image files")
            files += inside
        else:
            files.append(source)
    for path in files:
        if path.suffix.lower() == ".svg":
            raise ImportRefused(f"{path.name} is an SVG image, which can carry script",
                                "export it as PNG")
    return files


def prepare(files: list[Path], window: str | None, burned_in_checked: bool,
            today: str) -> Prepared:
    """The images to write and the record to keep, or ImportRefused; writes nothing."""
    from casepress.imaging.dicom import PROFILE, read_dicom
    from casepress.imaging.photo import read_photo

    dicoms = [_is_dicom(p) for p in files]
    if any(dicoms) and not all(dicoms):
        raise ImportRefused("a stack mixes DICOM files with other images",
                            "import one series at a time")
    if all(dicoms):
        # A series, in the order the scanner numbered its slices (then by file name).
        images = sorted((read_dicom(p, window, burned_in_checked) for p in files),
                        key=lambda image: image.instance)
        frames = [_encode_png(frame) for image in images for frame in image.frames]
        first = images[0]
        record = {"format": "DICOM", "modality": first.modality, "window": first.window,
                  "frames": len(frames),
                  "deidentification": f"{PROFILE} (dicom-anonymizer); pixels only, no "
                                      "header kept",
                  "imported": today}
        return Prepared(frames, ".png", record)
    if window is not None:
        raise ImportRefused("--window applies to DICOM files only", "leave it out for photos")
    read = [read_photo(p) for p in files]
    kind = read[0][0]
    if len(read) == 1 and kind == "JPEG":
        buffer = io.BytesIO()
        read[0][1].convert("RGB").save(buffer, format="JPEG", quality=90)
        frames, suffix = [buffer.getvalue()], ".jpg"
    else:
        frames, suffix = [_encode_png(image) for _kind, image in read], ".png"
    record = {"format": kind, "frames": len(frames), "deidentification": PHOTO_PROFILE,
              "imported": today}
    return Prepared(frames, suffix, record)


def _panel_node(root: yaml.Node, figure_index: int, panel_index: int) -> yaml.MappingNode:
    def value(node: yaml.Node, key: str) -> yaml.Node:
        assert isinstance(node, yaml.MappingNode)
        found: yaml.Node = next(v for k, v in node.value if k.value == key)
        return found

    figure = value(root, "figures").value[figure_index]
    panel = value(figure, "panels").value[panel_index]
    assert isinstance(panel, yaml.MappingNode)
    return panel


def _end_line(node: yaml.Node) -> int:
    """Index of the first line after `node`: where its last scalar ends (a block collection's
    own end mark lies on the next token's line)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1


def record_in_yaml(text: str, figure_index: int, panel_index: int,
                   record: dict[str, Any]) -> str:
    """The case file with the panel's `image:` written (or replaced), every other line kept."""
    lines = text.splitlines(keepends=True)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None  # the file validated
    panel = _panel_node(root, figure_index, panel_index)
    indent = " " * panel.start_mark.column
    block = [f"{indent}image:\n"] + [
        f"{indent}  {key}: {json.dumps(value, ensure_ascii=False)}\n"
        for key, value in record.items() if value is not None]
    existing = [(k, v) for k, v in panel.value if k.value == "image"]
    if existing:
        key, value = existing[0]
        start, end = key.start_mark.line, _end_line(value)
    else:
        start = end = _end_line(panel.value[-1][1])
    return "".join(lines[:start] + block + lines[end:])


def add_image(config_file: Path, case: str, panel: str, sources: list[Path],
              window: str | None, burned_in_checked: bool, replace: bool) -> str:
    """Import and record; the message to print. ImportRefused when nothing was written."""
    for name, what in ((case, "case"), (panel, "panel")):
        if not _NAME.match(name):
            raise ImportRefused(f"'{name}' is not a {what} name (lower-case letters, digits "
                                "and hyphens; no path)", f"give the {what} as its id, e.g. "
                                + ("sacroplasty-hcc-nbca-pmma" if what == "case"
                                   else "mri-course-a"))
    options, _config = options_from_mkdocs_yml(config_file)
    case_file = options.content_dir / "cases" / f"{case}.yaml"
    if not case_file.is_file():
        raise ImportRefused(f"there is no case '{case}' ({options.relative(case_file)})",
                            "give the file name of a case in content/cases/, without .yaml")
    label = options.relative(case_file)
    text = case_file.read_text(encoding="utf-8")
    document, problems = parse_document("cases", label, text.encode())
    if not isinstance(document, Document):
        raise ImportRefused(f"{label} does not validate:\n{format_report(problems)}\n",
                            "fix it first (`casepress check`)")
    figures = document.model.figures
    try:
        ref = parse_figure_key("fig-" + panel, figures)
    except FigureRefError as exc:
        raise ImportRefused(f"{label}: {exc}", "give the panel as the references write it, "
                            "e.g. mri-course-a for panel A of figure mri-course") from None
    if ref.panel is None:
        if len(ref.figure.panels) > 1:
            raise ImportRefused(f"figure '{ref.figure.id}' has panels "
                                f"{', '.join(p.letter.lower() for p in ref.figure.panels)}",
                                f"name one, e.g. {ref.figure.id}-a")
        ref = type(ref)(ref.figure, ref.figure.panels[0].letter)
    figure_index = figures.index(ref.figure)
    panel_index = [p.letter for p in ref.figure.panels].index(ref.panel or "A")
    stem = options.docs_dir / FIGURE_DIR / case / f"{ref.figure.id}-{(ref.panel or 'a').lower()}"
    existing = [stem.with_name(stem.name + s) for s in IMAGE_SUFFIXES
                if stem.with_name(stem.name + s).exists()] + ([stem] if stem.is_dir() else [])
    if existing and not replace:
        raise ImportRefused(f"{options.relative(existing[0])} already exists",
                            "add --replace to replace it")
    prepared = prepare(_files_of(sources), window, burned_in_checked,
                       datetime.date.today().isoformat())
    new_text = record_in_yaml(text, figure_index, panel_index, prepared.record)
    check, _problems = parse_document("cases", label, new_text.encode())
    written = (check.model.figures[figure_index].panels[panel_index].image
               if isinstance(check, Document) else None)
    if written is None or written.model_dump(exclude_none=True) != {
            k: v for k, v in prepared.record.items() if v is not None}:
        raise ImportRefused(f"the import could not be recorded in {label}",
                            "check that the panel is written as a block of `key: value` "
                            "lines (`casepress fmt` lays it out)")
    # Prepared and checked: now write, the images first, the record last.
    for path in existing:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    key_image = stem.with_name(stem.name + prepared.suffix)
    replace_file(key_image, prepared.frames[len(prepared.frames) // 2])
    if len(prepared.frames) > 1:
        for number, frame in enumerate(prepared.frames, start=1):
            replace_file(stem / f"{number:03d}{prepared.suffix}", frame)
    replace_file(case_file, new_text)
    what = (f"a stack of {len(prepared.frames)} frames in {options.relative(stem)}/, key image "
            if len(prepared.frames) > 1 else "")
    return (f"wrote {what}{options.relative(key_image)} from {', '.join(s.name for s in sources)}"
            f" ({prepared.record['deidentification']}); recorded under figure "
            f"'{ref.figure.id}' panel {ref.panel} `image:` in {label}. Before publishing, give "
            "the figure its `provenance:` (source, credit, licence, consent).")


def cmd_add_image(args: argparse.Namespace) -> int:
    config_file = existing_config(Path(args.config_file))
    try:
        message = add_image(config_file, args.case, args.panel, [Path(f) for f in args.files],
                            args.window, args.burned_in_checked, args.replace)
    except ImportRefused as refused:
        print(f"casepress add-image: {refused}; nothing was written", file=sys.stderr)
        return 1
    print(message)
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from casepress.imaging.dicom import WINDOW_PRESETS

    command = commands.add_parser(
        "add-image", help="import a PNG, JPEG, TIFF or DICOM image into a figure panel, "
        "de-identified")
    command.add_argument("case", help="the case's file name without .yaml")
    command.add_argument("panel", help="the panel as references write it, e.g. mri-course-a")
    command.add_argument("files", nargs="+", help="the image; several files or a folder make "
                         "a stack (a series)")
    command.add_argument("--window", choices=sorted(WINDOW_PRESETS), default=None,
                         help="DICOM: a named window instead of the file's own")
    command.add_argument("--burned-in-checked", action="store_true",
                         help="DICOM: you looked, and no identifier is burned into the pixels")
    command.add_argument("--replace", action="store_true", help="replace an existing image")
    command.set_defaults(func=cmd_add_image)
