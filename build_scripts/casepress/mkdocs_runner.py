"""Run a real MkDocs build into a staging folder and swap it into place when it succeeds."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, ConfigurationError

from casepress.atomic import replaced_atomically


def build_atomically(config_file: Path, site_dir: str | None = None, strict: bool = False) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    try:
        config = load_config(str(config_file), strict=strict or None)
        target = Path(site_dir) if site_dir else Path(config.site_dir)
        with replaced_atomically(target) as staging:
            config.site_dir = str(staging)
            build(config)
    except (Abort, BuildError, ConfigurationError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        print(f"The previous {target if 'target' in locals() else 'site'}/ was left as it was.",
              file=sys.stderr)
        return 1
    print(f"Site written to {target}")
    return 0
