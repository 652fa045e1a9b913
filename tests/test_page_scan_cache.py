"""Page scans in the disk cache (pagescan.py: `pages.json`, `descriptions.json`,
`spellings.json`): a fresh process builds the same pages without scanning the unchanged ones
again, an edited page is scanned anew, and a damaged record is a miss, never a wrong page.

Each build runs in a fresh process, as `mkdocs build` would, on a copy of a fixture site.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import build, copy_site

CACHE = Path(".cache/plugin/casepress")
PROBE = """
import json, sys
from pathlib import Path
from casepress import citations
from casepress.pipeline import run_pipeline
from casepress.projectfile import options_from_mkdocs_yml

scanned = []
find = citations.find_citations
def counting(text):
    scanned.append(text)
    return find(text)
citations.find_citations = counting

options, config = options_from_mkdocs_yml(Path(sys.argv[1]))
result = run_pipeline(options, config.get("nav"))
assert result.ok, result.diagnostics
pages = {path: page.markdown for path, page in result.site.pages.items()}
written = {p.read_text(encoding="utf-8") for p in options.docs_dir.rglob("*.md")}
print(json.dumps({"pages": pages, "hand_scanned": sum(1 for t in scanned if t in written)}))
"""


def _build(config: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(config)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _pages_json(config: Path) -> Path:
    return config.parent / CACHE / "pages.json"


def test_unchanged_pages_are_not_scanned_again(tmp_path: Path) -> None:
    config = copy_site("pages-only", tmp_path)
    first = _build(config)
    assert first["hand_scanned"] == 2
    assert _pages_json(config).exists()
    again = _build(config)
    assert again["pages"] == first["pages"]
    assert again["hand_scanned"] == 0
    kept = json.loads(_pages_json(config).read_text(encoding="utf-8"))["values"]
    assert len(kept) == 2  # index.md and notes/reading.md


def test_an_edited_page_is_scanned_anew(tmp_path: Path) -> None:
    config = copy_site("pages-only", tmp_path)
    _build(config)
    page = config.parent / "docs" / "notes" / "reading.md"
    page.write_text("# Reading notes\n\nSee [@ortiz2019, p. 4].\n", encoding="utf-8")
    built = _build(config)
    assert built["hand_scanned"] == 1
    edited = built["pages"]
    assert isinstance(edited, dict)
    assert "[1](../bibliography.md#ref-ortiz2019)" in edited["notes/reading.md"]
    assert ", p. 4)" in edited["notes/reading.md"]
    assert "nakamura2021" not in edited["notes/reading.md"]


def test_a_damaged_record_is_a_miss(tmp_path: Path) -> None:
    config = copy_site("pages-only", tmp_path)
    first = _build(config)
    record = json.loads(_pages_json(config).read_text(encoding="utf-8"))
    for digest in record["values"]:
        record["values"][digest] = [[[0, "not an offset", False, []]], []]
    _pages_json(config).write_text(json.dumps(record), encoding="utf-8")
    again = _build(config)
    assert again["pages"] == first["pages"]
    assert again["hand_scanned"] == 2


def _description(site: Path, page: str) -> str:
    found = re.search(r'<meta name="description" content="([^"]*)"',
                      (site / page / "index.html").read_text(encoding="utf-8"))
    assert found, page
    return found.group(1)


def test_page_descriptions_are_kept_and_follow_edits(tmp_path: Path) -> None:
    config = copy_site("pages-only", tmp_path)
    first = build(config, tmp_path / "first")
    assert first.returncode == 0, first.output
    kept = config.parent / CACHE / "descriptions.json"
    values = json.loads(kept.read_text(encoding="utf-8"))["values"]
    assert "A site of hand-written pages only: no case, technique or evidence files." in \
        " ".join(values.values())
    again = build(config, tmp_path / "again")
    assert _description(again.site, "notes/reading") == _description(first.site, "notes/reading")
    # a damaged value is worked out again; an edited page gets its new description
    kept.write_text(json.dumps({**json.loads(kept.read_text(encoding="utf-8")),
                                "values": dict.fromkeys(values, 42)}), encoding="utf-8")
    page = config.parent / "docs" / "notes" / "reading.md"
    page.write_text("# Reading notes\n\nCements compared, briefly [@ortiz2019].\n",
                    encoding="utf-8")
    edited = build(config, tmp_path / "edited")
    assert _description(edited.site, "notes/reading") == "Cements compared, briefly."
    assert _description(edited.site, "") == _description(first.site, "")


def test_a_kept_description_is_used_and_escaped(tmp_path: Path) -> None:
    """The kept value is what the page shows (the cache is read, not only written), and it is
    escaped like any description: a cache file is data, never markup."""
    config = copy_site("pages-only", tmp_path)
    assert build(config, tmp_path / "first").returncode == 0
    kept = config.parent / CACHE / "descriptions.json"
    record = json.loads(kept.read_text(encoding="utf-8"))
    record["values"] = dict.fromkeys(record["values"], 'Kept "here" <script>x</script>')
    kept.write_text(json.dumps(record), encoding="utf-8")
    again = build(config, tmp_path / "again")
    assert again.returncode == 0, again.output
    assert _description(again.site, "notes/reading") == \
        "Kept &quot;here&quot; &lt;script&gt;x&lt;/script&gt;"


def _search_terms(site: Path, page: str) -> list[str]:
    return re.findall(r'<div class="cp-search-terms" hidden>([^<]*)</div>',
                      (site / page / "index.html").read_text(encoding="utf-8"))


def test_search_spellings_are_kept_used_escaped_and_recomputed_when_damaged(
        tmp_path: Path) -> None:
    """`spellings.json` holds each page's other spellings by a digest of its HTML: a kept
    record is what the page shows (escaped like any term), one of the wrong shape is worked
    out again."""
    config = copy_site("pages-only", tmp_path)
    page = config.parent / "docs" / "notes" / "reading.md"
    page.write_text("# Reading notes\n\n@nakamura2021 compares the cements in use.\n\n"
                    "## Glue\n\nn-BCA was injected first [@ortiz2019].\n", encoding="utf-8")
    first = build(config, tmp_path / "first")
    assert first.returncode == 0, first.output
    assert _search_terms(first.site, "notes/reading") == ["nBCA"]
    kept = config.parent / CACHE / "spellings.json"
    record = json.loads(kept.read_text(encoding="utf-8"))
    assert ["nBCA"] in [terms for value in record["values"].values() for terms in value]

    record["values"] = {digest: [["Kept <b>x</b>"] for _ in value]
                        for digest, value in record["values"].items()}
    kept.write_text(json.dumps(record), encoding="utf-8")
    tampered = build(config, tmp_path / "tampered")
    assert tampered.returncode == 0, tampered.output
    assert set(_search_terms(tampered.site, "notes/reading")) == {"Kept &lt;b&gt;x&lt;/b&gt;"}

    record["values"] = {digest: [["one section too many"]] * (len(value) + 1)
                        for digest, value in record["values"].items()}
    kept.write_text(json.dumps(record), encoding="utf-8")
    damaged = build(config, tmp_path / "damaged")
    assert damaged.returncode == 0, damaged.output
    assert _search_terms(damaged.site, "notes/reading") == ["nBCA"]
