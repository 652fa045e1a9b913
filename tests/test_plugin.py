"""The MkDocs adapter: live reload watches content, templates and references; front matter
is taken off resolved pages exactly as MkDocs takes it off."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from mkdocs.utils.meta import get_data

from casepress.plugin import without_front_matter
from conftest import REPO


def test_serve_watches_content_templates_and_references(tmp_path: Path) -> None:
    config = load_config(str(REPO / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0,
                              root=str(tmp_path))
    try:
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        watched = {Path(p).resolve() for p in server._watched_paths}
    finally:
        server.server_close()
    assert {REPO / "content", REPO / "templates", REPO / "references.bib"} <= watched


def test_required_markdown_extensions_are_switched_on(tmp_path: Path) -> None:
    minimal = tmp_path / "mkdocs.yml"
    minimal.write_text(f"site_name: t\ndocs_dir: {REPO / 'docs'}\nplugins:\n  - casepress\n",
                       encoding="utf-8")
    config = load_config(str(minimal))
    config = config.plugins.on_config(config)
    for extension in ("attr_list", "md_in_html", "tables", "toc"):
        assert extension in config.markdown_extensions
    assert any(path.endswith("casepress.css") for path in config.extra_css)


FRONT_MATTER_LINES = ["---", "...", "title: T", "Title: A page", "    more", "", "  ", "\r",
                      "# Heading", "Text with: a colon", "key:value", "- item", "--- ", "\t"]


@given(st.lists(st.sampled_from(FRONT_MATTER_LINES) | st.text(max_size=12), max_size=8),
       st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=2000, deadline=None, database=None)
def test_front_matter_is_removed_exactly_as_mkdocs_does(lines: list[str], newline: str
                                                        ) -> None:
    markdown = newline.join(lines)
    assert without_front_matter(markdown) == get_data(markdown)[0]


@pytest.mark.parametrize("markdown", [
    "---\ntitle: T\n---\n# H\n", "Title: T\nSummary: S\n\n# H\n", "\n\n# H\n",
    "# H\r\n\r\nText\r\n", "   \n# H", "# H\n\nTitle: not front matter\n",
], ids=["yaml", "multimarkdown", "leading-blank-lines", "crlf", "blank-first-line", "none"])
def test_front_matter_examples(markdown: str) -> None:
    assert without_front_matter(markdown) == get_data(markdown)[0]
