"""The casepress plugin's options in mkdocs.yml (`plugins: - casepress: ...`)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from casepress.references.store import DEFAULT_FOLDER


class CasepressConfig(base.Config):
    content_dir = c.Type(str, default="content")
    """Folder holding `cases/`, `techniques/` and `evidence/` YAML files, relative to
    mkdocs.yml."""

    templates_dir = c.Type(str, default="templates")
    """Folder whose `pages/` subfolder holds the Jinja2 page templates, relative to
    mkdocs.yml."""

    bibliography = c.Type(str, default="references.bib")
    """The BibTeX file every citation key is looked up in, relative to mkdocs.yml."""

    style = c.Type(str, default="casepress")
    """Citation style for the bibliography: `casepress` (the seed journal's style), `ama`,
    `vancouver`, or the path of any CSL 1.0 style file."""

    numbering = c.Choice(("page", "site"), default="page")
    """`page`: each page numbers its citations in its own reading order and ends with its own
    reference list, so a page's numbers never move when another page changes (what journals
    do; right for a growing library). `site`: one numbering across the whole site, by first
    citation, with the bibliography as the only list (for a small, fixed site)."""

    cache = c.Type(bool, default=True)
    """Keep parsed, decoded and formatted references between builds (in `cache_dir`), so a
    fresh `mkdocs build` redoes only what changed in references.bib or the style. Safe to
    delete at any time; set to false to build without it."""

    cache_dir = c.Type(str, default=DEFAULT_FOLDER)
    """Folder for that cache, relative to mkdocs.yml. Git-ignore it; in CI, keep it between
    runs (e.g. GitHub's actions/cache) to save the work on every run."""

    history = c.Type(bool, default=True)
    """End each case, technique and evidence page with its history from git: the date it
    last changed, each commit with what it changed, and how to cite that version. Outside a
    git checkout the page says history is unavailable."""

    hosted = c.Type(bool, default=True)
    """True for a site published at `site_url` (canonical links, sitemap, structured data need
    it, so a missing `site_url` is an error); `casepress bundle` sets it to false for the
    offline copy."""
