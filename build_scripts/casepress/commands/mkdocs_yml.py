"""Read what casepress needs from mkdocs.yml without importing MkDocs.

mkdocs.yml may hold tags such as `!!python/name:` (pymdownx emoji) or `!ENV`; we only need
`docs_dir`, `nav`, `site_dir` and the casepress plugin's options, so unknown tags load as None.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from casepress.project import ProjectOptions
from casepress.references.store import DEFAULT_FOLDER


class _TolerantLoader(yaml.SafeLoader):
    pass


def _ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)


def read_mkdocs_yml(config_file: Path) -> dict[str, Any]:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    return data if isinstance(data, dict) else {}


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    for item in config.get("plugins") or []:
        if isinstance(item, dict) and "casepress" in item:
            return dict(item["casepress"] or {})
    return {}


def options_from_mkdocs_yml(config_file: Path) -> tuple[ProjectOptions, dict[str, Any]]:
    config = read_mkdocs_yml(config_file)
    root = config_file.resolve().parent
    plugin = plugin_options(config)
    options = ProjectOptions.at(
        root,
        content_dir=root / plugin.get("content_dir", "content"),
        templates_dir=root / plugin.get("templates_dir", "templates"),
        bibliography=root / plugin.get("bibliography", "references.bib"),
        docs_dir=root / config.get("docs_dir", "docs"),
        style=plugin.get("style", "casepress"),
        numbering=plugin.get("numbering", "page"),
        site_name=config.get("site_name", "casepress"),
        cache_dir=(root / plugin.get("cache_dir", DEFAULT_FOLDER)
                   if plugin.get("cache", True) else None),
    )
    return options, config


def site_path(config_file: Path = Path("mkdocs.yml")) -> str:
    """The path part of `site_url` ("/casepress/"): MkDocs serves the preview under it."""
    url = str(read_mkdocs_yml(config_file).get("site_url") or "/")
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"
