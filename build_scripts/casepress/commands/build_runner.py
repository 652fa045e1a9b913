"""Run a real build into a staging folder and swap it into place when it succeeds: MkDocs
in this process, or another engine in its own (`engines`)."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

import jinja2
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, ConfigurationError

from casepress.commands.atomic_output import replaced_atomically
from casepress.commands.engines import EngineFailed, engine_problem, run_engine
from casepress.commands.mkdocs_yml import options_from_mkdocs_yml
from casepress.commands.output_guard import project_sources
from casepress.commands.zensical_build import build_with_zensical


def build_atomically(config_file: Path, site_dir: str | None = None, strict: bool = False,
                     force: bool = False, engine: str = "mkdocs") -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    if problem := engine_problem(engine):
        print(problem, file=sys.stderr)
        return 2
    options, _yml = options_from_mkdocs_yml(config_file)
    try:
        config = load_config(str(config_file), strict=strict or None)
        target = Path(site_dir) if site_dir else Path(config.site_dir)
        with replaced_atomically(target, project_sources(options, config_file),
                                 force) as staging:
            if engine == "mkdocs":
                config.site_dir = str(staging)
                build(config)
            elif engine == "zensical":
                build_with_zensical(config_file, options, staging, strict)
            else:
                run_engine(engine, config_file, staging, strict)
    except (Abort, BuildError, ConfigurationError, jinja2.TemplateError, EngineFailed) as exc:
        message = (_template_problem(exc, config_file.resolve().parent)
                   if isinstance(exc, jinja2.TemplateError) else f"Error: {exc}")
        print(message, file=sys.stderr)
        print(f"The previous {target if 'target' in locals() else 'site'}/ was left as it was.",
              file=sys.stderr)
        return 1
    print(f"Site written to {target}")
    return 0


def _template_problem(exc: jinja2.TemplateError, root: Path) -> str:
    """A theme template (e.g. templates/overrides/main.html) failed: say where, not a
    traceback. The innermost template frame is where the template went wrong."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
    filename = getattr(exc, "filename", None) or (frames[-1].filename if frames else None)
    line = getattr(exc, "lineno", None) or (frames[-1].lineno if frames else None)
    where = "theme template"
    if filename:
        path = Path(filename).resolve()
        where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        where += f":{line}" if line else ""
    return (f"{where}: error: {exc.message or type(exc).__name__}; fix the template "
            "(theme overrides see MkDocs' page, config and nav objects)")
