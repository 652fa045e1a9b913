"""`casepress add-image`: DICOM and photos into figure panels, with no identifier left behind,
on a copy of the seed project, through the real command and the real build."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pydicom
import pytest
import yaml
from PIL import Image
from pydicom.data import get_testdata_file

from conftest import build, copy_project, run_casepress

CASE = "sacroplasty-hcc-nbca-pmma"
CASE_FILE = f"content/cases/{CASE}.yaml"
FIGURES = f"docs/assets/figures/{CASE}"
PROVENANCE = """    provenance:
      source: own institution
      credit: The editors' radiology department
      licence: CC BY 4.0
      consent_documented: true
"""
MR, CT = get_testdata_file("MR_small.dcm"), get_testdata_file("CT_small.dcm")


def identifiers() -> list[bytes]:
    """What the test DICOM headers say about their patients, and the test photo's EXIF."""
    found = [b"SecretCam", b"2024:05:06 10:11:12", b"Street 12", b"Jane Roe", b"4471123",
             b"Hospital Pathology Lab"]
    for path in (MR, CT):
        data = pydicom.dcmread(path)
        for keyword in ("PatientName", "PatientID", "StudyDate", "InstitutionName",
                        "PatientBirthDate", "ReferringPhysicianName", "StudyID",
                        "AccessionNumber"):
            value = str(data.get(keyword, "") or "").strip()
            if len(value) >= 4:
                found.append(value.encode())
    assert b"CompressedSamples^MR1" in found and b"20040826" in found
    return found


def exif_photo(path: Path, size: tuple[int, int] = (300, 200)) -> Path:
    """A JPEG whose EXIF names a camera, a date and a place, and says 'rotate 90°'."""
    image = Image.new("RGB", size, (90, 120, 150))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0132] = "2024:05:06 10:11:12"  # DateTime
    exif[0x010E] = "Street 12"  # ImageDescription
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    image.save(path, exif=exif.tobytes())
    return path


def png_with_text(path: Path) -> Path:
    """A PNG whose text chunks and XMP packet name the patient."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Patient Jane Roe, MRN 4471123")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>Jane Roe</x:xmpmeta>")
    Image.new("RGB", (120, 80), (200, 10, 10)).save(path, pnginfo=info)
    return path


def tiff_with_tags(path: Path) -> Path:
    """A TIFF whose tags name the patient and the scanner's owner (a microscope export)."""
    tags = {270: "Jane Roe slide 4471123", 315: "Hospital Pathology Lab"}  # description, artist
    Image.new("RGB", (150, 100), (240, 200, 220)).save(path, tiffinfo=tags)
    return path


def add(project: Path, *args: str | Path) -> tuple[int, str]:
    result = run_casepress("add-image", CASE, *map(str, args), cwd=project)
    return result.returncode, result.stdout + result.stderr


def with_provenance(project: Path, figure: str = "mri-course") -> None:
    case = project / CASE_FILE
    text = case.read_text(encoding="utf-8")
    start = text.index(f"  - id: {figure}\n")
    panels = text.index("    panels:", start)
    case.write_text(text[:panels] + PROVENANCE + text[panels:], encoding="utf-8")


def panel_record(project: Path, figure: str, letter: str) -> dict[str, object]:
    data = yaml.safe_load((project / CASE_FILE).read_text(encoding="utf-8"))
    figure_data = next(f for f in data["figures"] if f["id"] == figure)
    panel = next(p for p in figure_data["panels"] if p["letter"] == letter)
    record: dict[str, object] = panel["image"]
    return record


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def test_no_identifier_reaches_the_sources_or_the_site(project: Path, tmp_path: Path) -> None:
    assert add(project, "mri-course-a", MR)[0] == 0
    assert add(project, "mri-course-b", "--window", "bone", CT)[0] == 0
    assert add(project, "mri-course-c", exif_photo(tmp_path / "photo.jpg"))[0] == 0
    assert add(project, "ct-post-procedure-a", png_with_text(tmp_path / "export.png"))[0] == 0
    assert add(project, "histology-a", tiff_with_tags(tmp_path / "slide.tif"))[0] == 0
    for figure in ("mri-course", "ct-post-procedure", "histology"):
        with_provenance(project, figure)
    built = build(project / "mkdocs.yml", tmp_path / "site", "--strict")
    assert built.returncode == 0, built.output
    searched = [p for folder in (project / "docs", project / "content", built.site)
                for p in folder.rglob("*") if p.is_file()]
    assert len(searched) > 100
    for secret in identifiers():
        leaks = [p for p in searched if secret in p.read_bytes()]
        assert leaks == [], (secret, leaks)
    # The sources were never copied: only images made from their pixels.
    written = sorted(p.name for p in (project / FIGURES).iterdir())
    assert written == ["ct-post-procedure-a.png", "histology-a.png", "mri-course-a.png",
                       "mri-course-b.png", "mri-course-c.jpg"]
    with Image.open(project / FIGURES / "mri-course-c.jpg") as photo:
        assert photo.size == (200, 300)  # turned upright as the EXIF said, then dropped
        assert not photo.getexif() and "icc_profile" not in photo.info


def test_the_case_records_what_was_imported(project: Path) -> None:
    code, output = add(project, "mri-course-a", MR)
    assert code == 0, output
    record = panel_record(project, "mri-course", "A")
    assert record["format"] == "DICOM" and record["modality"] == "MR"
    assert record["window"] == "the file's own (centre 600, width 1600)"
    assert str(record["deidentification"]).startswith(
        "DICOM PS3.15 Basic Application Level Confidentiality Profile")
    assert len(str(record["imported"])) == 10
    assert add(project, "mri-course-a", "--replace", "--window", "brain", CT)[0] == 0
    replaced = panel_record(project, "mri-course", "A")
    assert (replaced["modality"], replaced["window"]) == (
        "CT", "brain preset (centre 40, width 80)")
    assert (project / CASE_FILE).read_text(encoding="utf-8").count("    image:") == 1
    check = run_casepress("check", cwd=project)
    assert "figure-provenance" in check.stdout  # a real image now needs its provenance


def test_a_series_becomes_a_stack_with_a_key_image(project: Path, tmp_path: Path) -> None:
    series = tmp_path / "series"
    series.mkdir()
    for number in range(1, 8):
        Image.new("L", (32, 32), number * 30).save(series / f"slice-{number:02d}.png")
    code, output = add(project, "mri-course-c", series)
    assert code == 0, output
    frames = sorted(p.name for p in (project / FIGURES / "mri-course-c").iterdir())
    assert frames == [f"{n:03d}.png" for n in range(1, 8)]
    key = (project / FIGURES / "mri-course-c.png").read_bytes()
    assert key == (project / FIGURES / "mri-course-c" / "004.png").read_bytes()
    assert panel_record(project, "mri-course", "C")["frames"] == 7


def _burned_in(tmp_path: Path) -> Path:
    data = pydicom.dcmread(MR)
    data.BurnedInAnnotation = "YES"
    data.save_as(tmp_path / "burned.dcm")
    return tmp_path / "burned.dcm"


def _huge(tmp_path: Path) -> Path:
    Image.new("1", (20_000, 20_000)).save(tmp_path / "huge.png")
    return tmp_path / "huge.png"


def _svg(tmp_path: Path) -> Path:
    (tmp_path / "drawn.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">'
                                        "<script>alert(1)</script></svg>", encoding="utf-8")
    return tmp_path / "drawn.svg"


def _truncated(tmp_path: Path) -> Path:
    data = Path(MR).read_bytes()
    (tmp_path / "cut.dcm").write_bytes(data[: len(data) // 2])
    return tmp_path / "cut.dcm"


Case = tuple[str, Callable[[Path], Path | str], str]
REFUSED: dict[str, Case] = {
    "corrupt-dicom": ("mri-course-a", lambda t: get_testdata_file("MR_truncated.dcm"),
                      "the file is truncated or damaged"),
    "truncated-dicom": ("mri-course-a", _truncated, "cut.dcm"),
    "no-pixel-data": ("mri-course-a", lambda t: get_testdata_file("rtplan.dcm"),
                      "holds no image (a DICOM file without pixel data"),
    "jpeg-ls": ("mri-course-a", lambda t: get_testdata_file("MR_small_jpeg_ls_lossless.dcm"),
                "compressed as JPEG-LS Lossless Image Compression, which cannot be decoded "
                "here"),
    "burned-in": ("mri-course-a", _burned_in, "declares text burned into its pixels"),
    "decompression-bomb": ("mri-course-a", _huge, "claims more pixels than a figure can be"),
    "svg": ("mri-course-a", _svg, "drawn.svg is an SVG image, which can carry script"),
    "undeclared-panel": ("mri-course-z", lambda t: MR, "figure 'mri-course' has no panel Z"),
    "path-in-panel": ("../../etc/passwd", lambda t: MR, "is not a panel name"),
    "missing-file": ("mri-course-a", lambda t: str(t / "nowhere.dcm"), "no such file"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_bad_input_is_refused_and_nothing_is_written(project: Path, tmp_path: Path,
                                                     name: str) -> None:
    panel, make, expected = REFUSED[name]
    source = make(tmp_path)
    before = {p: hashlib.sha1(p.read_bytes()).hexdigest() for p in project.rglob("*")
              if p.is_file()}
    code, output = add(project, panel, source)
    assert code == 1
    assert expected in output and "nothing was written" in output
    assert "Traceback" not in output
    after = {p: hashlib.sha1(p.read_bytes()).hexdigest() for p in project.rglob("*")
             if p.is_file()}
    assert after == before


def test_the_jpeg_ls_refusal_names_the_decoder_to_install(project: Path) -> None:
    _code, output = add(project, "mri-course-a",
                        get_testdata_file("MR_small_jpeg_ls_lossless.dcm"))
    assert "install pylibjpeg with pylibjpeg-libjpeg, or pyjpegls" in output


def test_burned_in_text_is_imported_once_checked(project: Path, tmp_path: Path) -> None:
    code, output = add(project, "mri-course-a", "--burned-in-checked", _burned_in(tmp_path))
    assert code == 0, output


def test_an_existing_image_is_kept_without_replace(project: Path) -> None:
    assert add(project, "mri-course-a", MR)[0] == 0
    first = (project / FIGURES / "mri-course-a.png").read_bytes()
    code, output = add(project, "mri-course-a", CT)
    assert code == 1 and "already exists; add --replace" in output
    assert (project / FIGURES / "mri-course-a.png").read_bytes() == first


def test_the_build_serves_sized_copies_and_credits_the_image(project: Path,
                                                             tmp_path: Path) -> None:
    photo = exif_photo(tmp_path / "photo.jpg", size=(2400, 1600))
    assert add(project, "mri-course-b", photo)[0] == 0
    with_provenance(project)
    first = build(project / "mkdocs.yml", tmp_path / "one", "--strict")
    assert first.returncode == 0, first.output
    page = first.page(f"cases/{CASE}/")
    assert ('srcset="../../assets/figures/sacroplasty-hcc-nbca-pmma/mri-course-b.480w.webp '
            '480w, ../../assets/figures/sacroplasty-hcc-nbca-pmma/mri-course-b.960w.webp 960w, '
            '../../assets/figures/sacroplasty-hcc-nbca-pmma/mri-course-b.1600w.webp 1600w') \
        in page
    # Upright, and sized so that nothing moves as it loads.
    assert 'height="2400"' in page and 'width="1600"' in page
    assert 'src="../../assets/figures/sacroplasty-hcc-nbca-pmma/mri-course-b.960w.jpg"' in page
    assert 'href="../../assets/figures/sacroplasty-hcc-nbca-pmma/mri-course-b.jpg"' in page
    assert "Image: The editors' radiology department (CC BY 4.0)." in page.replace(
        "&#x27;", "'").replace("&#39;", "'")
    figures = first.site / "assets/figures" / CASE
    with Image.open(figures / "mri-course-b.960w.webp") as copy:
        assert copy.size == (960, 1440)
    # Rebuilt from scratch, the copies are the same bytes.
    shutil.rmtree(project / ".cache", ignore_errors=True)
    second = build(project / "mkdocs.yml", tmp_path / "two", "--strict")
    assert second.returncode == 0, second.output
    for copy in figures.glob("mri-course-b.*"):
        assert copy.read_bytes() == (second.site / "assets/figures" / CASE / copy.name
                                     ).read_bytes(), copy.name


def test_a_dicom_series_is_stacked_in_instance_order(project: Path, tmp_path: Path) -> None:
    series = tmp_path / "series"
    series.mkdir()
    for name, instance, flip in (("a.dcm", 2, False), ("b.dcm", 1, True)):
        data = pydicom.dcmread(MR)
        data.InstanceNumber = instance
        if flip:  # a different slice: the same pixels upside down
            data.PixelData = data.pixel_array[::-1].copy().tobytes()
        data.save_as(series / name)
    assert add(project, "mri-course-c", series)[0] == 0
    assert add(project, "histology-a", series / "b.dcm")[0] == 0
    frames = project / FIGURES / "mri-course-c"
    assert sorted(p.name for p in frames.iterdir()) == ["001.png", "002.png"]
    # Frame 1 is instance 1 (b.dcm), de-identified and windowed as it is alone.
    assert (frames / "001.png").read_bytes() == (project / FIGURES / "histology-a.png"
                                                 ).read_bytes()
    assert panel_record(project, "mri-course", "C")["frames"] == 2
