"""The MkDocs adapter: live reload watches content, templates and references; the Markdown
extensions our pages need are switched on."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

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
