"""The site engines casepress can build with, and running one that is not MkDocs.

MkDocs builds in casepress's own process. ProperDocs, the maintained fork of MkDocs 1.6, runs
MkDocs plugins unchanged (it answers `mkdocs.*` imports with its own modules), so its own
command builds the same mkdocs.yml, casepress plugin included, in a child process: its import
redirection must not meet a process that has loaded MkDocs. Zensical runs no MkDocs plugin:
it builds the finished Markdown tree (`zensical_build`). Nothing here imports an engine.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Engine:
    name: str
    module: str  # what must be importable for it to run
    extra: str  # the casepress extra that installs it
    runs_plugin: bool  # whether it runs the casepress plugin (and so can serve and bundle)


ENGINES = {"mkdocs": Engine("MkDocs", "mkdocs", "", True),
           "properdocs": Engine("ProperDocs", "properdocs", "properdocs", True),
           "zensical": Engine("Zensical", "zensical", "zensical", False)}
PLUGIN_ENGINES = [name for name, engine in ENGINES.items() if engine.runs_plugin]


class EngineFailed(Exception):
    """The engine's own build stopped; it has said why on the terminal."""


def engine_problem(engine: str) -> str | None:
    """Why `engine` cannot build here, or None."""
    chosen = ENGINES[engine]
    if importlib.util.find_spec(chosen.module) is None:
        return (f"casepress: {chosen.name} is not installed; install it with "
                f"`pip install 'casepress[{chosen.extra}]'`, or use MkDocs (--engine mkdocs)")
    return None


def run_engine(engine: str, config_file: Path, site: Path | None, strict: bool,
               environment: dict[str, str] | None = None) -> None:
    """`engine`'s own build of `config_file` into `site` (None: where the configuration
    says), in a child process."""
    argv = [sys.executable, "-m", ENGINES[engine].module, "build", "-f", str(config_file),
            *(["-d", str(site)] if site else []), *(["--strict"] if strict else [])]
    if subprocess.run(argv, check=False, env={**os.environ, **(environment or {})}
                      ).returncode != 0:
        raise EngineFailed(f"{ENGINES[engine].name} stopped (its messages are above)")
