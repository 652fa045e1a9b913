"""Read what casepress needs from mkdocs.yml without importing MkDocs.

mkdocs.yml may hold tags such as `!!python/name:` (pymdownx emoji) or `!ENV`; we only need
`docs_dir`, `nav`, `site_dir` and the casepress plugin's options, so unknown tags load as None.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from casepress.diagnostics import Diagnostic, error, warning
from casepress.project import ProjectOptions
from casepress.references.store import DEFAULT_FOLDER

# Search plugins that would put a second search box beside casepress's own.
OTHER_SEARCH_PLUGINS = ("search", "material/search")


class _TolerantLoader(yaml.SafeLoader):
    pass


def _ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)


def existing_config(config_file: Path) -> Path:
    """`config_file`, or the command stops with what to do (no traceback)."""
    if not config_file.is_file():
        raise SystemExit(f"casepress: {config_file}: no such file; run from the project "
                         "folder or pass --config-file")
    return config_file


def missing_site_url(label: str = "mkdocs.yml") -> Diagnostic:
    """A hosted site without `site_url`, whatever engine builds it."""
    return error(label, None, "site-url",
                 "site_url is not set; a hosted site needs it for canonical links, the sitemap "
                 "and each case's structured data",
                 "set `site_url:` to the address the site is published at")


def read_mkdocs_yml(config_file: Path) -> dict[str, Any]:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    return data if isinstance(data, dict) else {}


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    for item in config.get("plugins") or []:
        if isinstance(item, dict) and "casepress" in item:
            return dict(item["casepress"] or {})
    return {}


def plugin_names(config: dict[str, Any]) -> list[str]:
    return [next(iter(item)) if isinstance(item, dict) and item else str(item)
            for item in config.get("plugins") or []]


def other_search_problem(config_file: Path, config: dict[str, Any]) -> Diagnostic | None:
    """Material's search plugin left on beside casepress (projects made before casepress
    brought its own search have it)."""
    found = [name for name in plugin_names(config) if name in OTHER_SEARCH_PLUGINS]
    if not found or "casepress" not in plugin_names(config):
        return None
    lines = config_file.read_text(encoding="utf-8").splitlines()
    line = next((n for n, text in enumerate(lines, start=1)
                 if text.split("#")[0].strip().removeprefix("-").strip().rstrip(":")
                 == found[0]), None)
    return warning(config_file.name, line, "search-plugin",
                   f"the `{found[0]}` plugin is on beside casepress: readers get two search "
                   "boxes, and that one downloads its whole index before a first result",
                   "remove it from `plugins:`; casepress brings its own search (README, Search)")


# Configuration files of engines that read the project without running casepress.
FOREIGN_ENGINE_CONFIGS = {"zensical.toml": "Zensical (`zensical build`)"}


def engine_without_casepress(config_file: Path, config: dict[str, Any]) -> list[Diagnostic]:
    """Ways this project could be built without casepress, each silently: a site with no
    case, technique or evidence pages, and citations left as `[@key]`."""
    found = []
    if "casepress" not in plugin_names(config):
        found.append(warning(config_file.name, None, "engine-without-casepress",
                             "mkdocs.yml lists no `casepress` plugin: `mkdocs build` would "
                             "build no case, technique or evidence pages",
                             "add `- casepress` under `plugins:`"))
    for name, engine in FOREIGN_ENGINE_CONFIGS.items():
        if (config_file.parent / name).is_file():
            found.append(warning(name, None, "engine-without-casepress",
                                 f"{engine} would build this site without casepress: no case, "
                                 "technique or evidence pages, citations left as [@key]",
                                 "build with `casepress build --engine zensical`, which "
                                 f"makes those pages first, and remove {name} unless another "
                                 "tool needs it"))
    return found


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
        site_url=config.get("site_url") or None,
        directory_urls=bool(config.get("use_directory_urls", True)),
        history=bool(plugin.get("history", True)),
    )
    return options, config


def site_path(config_file: Path = Path("mkdocs.yml")) -> str:
    """The path part of `site_url` ("/casepress/"): MkDocs serves the preview under it."""
    url = str(read_mkdocs_yml(config_file).get("site_url") or "/")
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"
