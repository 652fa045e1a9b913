"""`casepress bundle`: the whole site in one zip that works opened from disk (file://).

The hosted site is built again, into a temporary folder, with `use_directory_urls: false`
(each page a `.html` file a browser opens from disk; the site search loads its files as
scripts, which works from file://) and with everything that would reach the network removed
or refused:

* `repo_url` is dropped: Material fetches the repository's star count for the header.
* `site_url` is dropped: canonical links and the sitemap would name hosted addresses that the
  bundle's `.html` pages do not have.
* Settings that need the network (web fonts, remote scripts, styles or images, analytics,
  instant loading) stop the bundle with a message naming each. After the build, every page and
  stylesheet is scanned for anything loaded from outside the bundle.

The zip is written to a temporary file and renamed into place, so `--out` is never half-written.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import sys
import time
import zipfile
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError, ConfigurationError
from mkdocs.plugins import BasePlugin

from casepress.adapters.offline import OFFLINE_VARIABLE, make_offline
from casepress.adapters.plugin import CasepressPlugin
from casepress.commands.atomic_output import replaced_file_atomically, scratch_folder
from casepress.commands.engines import EngineFailed, engine_problem, run_engine
from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
from casepress.commands.output_guard import check_output_file, project_sources

BUNDLE_FOLDER = "site-offline"
# The bundle is built in <temporary folder>/<prefix><pid>-<random>, so that a later run can
# tell a folder whose process was killed from one still in use.
TEMPORARY_PREFIX = ".casepress-bundle-"
# Only a web server uses these: sitemaps list hosted addresses, and 404.html is served for
# missing pages with site-root paths that mean nothing on disk.
LEFT_OUT = ("sitemap.xml", "sitemap.xml.gz", "404.html")
# Link relations that make the browser fetch (or connect to) the target.
LOADING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest",
                "apple-touch-icon", "preconnect", "dns-prefetch", "mask-icon"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
# Schemes that never leave the page: inline data, in-memory objects.
_LOCAL_SCHEMES = {"data", "blob", "about"}
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def _is_remote(url: str) -> bool:
    scheme = _SCHEME.match(url)
    return url.startswith("//") or bool(scheme and scheme.group(1).lower() not in _LOCAL_SCHEMES)


def network_settings(config: MkDocsConfig) -> list[str]:
    """Settings that would make the bundle reach the network; one message each."""
    found = []
    if config.theme.get("font") is not False:
        found.append("theme.font: web fonts are downloaded from the network; set `font: false`")
    if "navigation.instant" in (config.theme.get("features") or []):
        found.append("theme.features: navigation.instant loads pages with fetch, which browsers "
                     "refuse for file://; remove it")
    for option in ("extra_css", "extra_javascript"):
        for item in config[option]:
            if _is_remote(str(item)):
                found.append(f"{option}: {item} is loaded from the network; copy it into docs/ "
                             "and name the local path")
    for item in config.extra.get("polyfills") or []:
        if _is_remote(str(item)):
            found.append(f"extra.polyfills: {item} is loaded from the network; ship a local copy")
    for option in ("logo", "favicon"):
        value = config.theme.get(option)
        if value and _is_remote(str(value)):
            found.append(f"theme.{option}: {value} is loaded from the network; use a file under "
                         "docs/")
    if config.extra.get("analytics"):
        found.append("extra.analytics: analytics send requests to the network; remove it from "
                     "the offline bundle")
    return found


class _LoadFinder(HTMLParser):
    """Every URL an HTML page makes the browser load (not links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("src", "poster", "data"):
            if values.get(name):
                self.urls.append(values[name])
        if values.get("srcset"):
            self.urls += [part.split()[0] for part in values["srcset"].split(",") if part.split()]
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and rels & LOADING_RELS and values.get("href"):
            self.urls.append(values["href"])
        if tag in ("image", "use", "feimage"):  # SVG elements that load their href
            self.urls += [v for k, v in values.items() if k in ("href", "xlink:href") and v]
        if values.get("style"):
            self.urls += css_urls(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += css_urls(data)


def css_urls(css: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(css)]


def external_loads(site: Path) -> list[str]:
    """Resources that pages or stylesheets under `site` would load from outside it."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".css":
            urls = css_urls(text)
        else:
            finder = _LoadFinder()
            finder.feed(text)
            urls = finder.urls
        relative = path.relative_to(site).as_posix()
        for url in dict.fromkeys(urls):
            if _is_remote(url) or _escapes(relative, url):
                found.append(f"{relative}: loads {url}, which is outside the bundle")
    return found


def _escapes(page: str, url: str) -> bool:
    """True when a relative URL climbs above the bundle's top folder."""
    if _SCHEME.match(url) or url.startswith("#"):
        return False
    target = unquote(urlsplit(url).path)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    return joined == ".." or joined.startswith("../") or target.startswith("/")


def prepare_offline(config: MkDocsConfig) -> None:
    """Turn the hosted configuration into the offline one (see the module docstring)."""
    make_offline(config)
    plugins: list[BasePlugin] = list(config.plugins.values())  # type: ignore[type-arg]
    for plugin in plugins:
        if isinstance(plugin, CasepressPlugin):
            plugin.config.hosted = False


def write_zip(site: Path, out: Path, sources: Iterable[Path] = (), force: bool = False) -> int:
    """Zip `site` under one top folder into `out`; the number of files. Atomic: `out` is
    written beside itself and renamed into place (a killed run's leftover is removed by the
    next). Reproducible: entries in name order, dated SOURCE_DATE_EPOCH (the plugin sets it)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    stamp = max(time.gmtime(int(epoch) if epoch.isdigit() else 0)[:6], _ZIP_EPOCH)
    count = 0
    with replaced_file_atomically(out, sources, force) as temporary, zipfile.ZipFile(
            temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(site.rglob("*")):
            if path.is_file():
                entry = zipfile.ZipInfo(f"{BUNDLE_FOLDER}/{path.relative_to(site).as_posix()}",
                                        date_time=stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, path.read_bytes(), compresslevel=9)
                count += 1
    return count


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _refuse(problems: list[str], summary: str) -> int:
    """Print every problem, then how many there were; the exit code of a refused bundle."""
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} {summary}", file=sys.stderr)
    return 1


def build_bundle(config_file: Path, out: Path, strict: bool = False, force: bool = False,
                 engine: str = "mkdocs") -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    if problem := engine_problem(engine):
        print(problem, file=sys.stderr)
        return 2
    options, _yml = options_from_mkdocs_yml(config_file)
    sources = project_sources(options, config_file)
    check_output_file(out, sources, force)  # before the build, not after it
    try:
        config = load_config(str(config_file), strict=strict or None)
    except (Abort, ConfigurationError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    problems = [f"{config_file}: error: {p}" for p in network_settings(config)]
    if problems:
        return _refuse(problems, "setting(s) would need the network; nothing was written.")
    prepare_offline(config)
    with scratch_folder(TEMPORARY_PREFIX) as temporary:
        site = Path(temporary) / BUNDLE_FOLDER
        config.site_dir = str(site)
        try:
            if engine == "mkdocs":
                build(config)
            else:  # its own process, where the plugin makes the configuration offline
                run_engine(engine, config_file, site, strict, {OFFLINE_VARIABLE: "1"})
        except (Abort, BuildError, ConfigurationError, EngineFailed) as exc:
            print(f"Error: {exc}", file=sys.stderr)
            print(f"{out} was left as it was.", file=sys.stderr)
            return 1
        for name in LEFT_OUT:
            (site / name).unlink(missing_ok=True)
        problems = [f"error: {p}" for p in external_loads(site)]
        if problems:
            return _refuse(problems, f"network request(s) in the bundle; {out} was left as it was.")
        unpacked = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        count = write_zip(site, out, sources, force)
    print(f"Offline bundle written to {out}: {count} files, {_megabytes(out.stat().st_size)} "
          f"({_megabytes(unpacked)} unpacked). Unzip it and open {BUNDLE_FOLDER}/index.html.")
    return 0
