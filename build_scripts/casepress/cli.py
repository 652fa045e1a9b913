"""The `casepress` command: build, serve, check, export-md, schema.

`build` and `serve` run MkDocs (the plugin does the work); `check`, `export-md` and `schema`
use the core alone, so they keep working without MkDocs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from casepress.atomic import replaced_atomically
from casepress.diagnostics import Severity, format_report
from casepress.pipeline import run_pipeline
from casepress.projectfile import options_from_mkdocs_yml


def _config_path(args: argparse.Namespace) -> Path:
    path = Path(args.config_file)
    if not path.is_file():
        raise SystemExit(f"casepress: {path}: no such file; run from the project folder or "
                         "pass --config-file")
    return path


def cmd_check(args: argparse.Namespace) -> int:
    options, config = options_from_mkdocs_yml(_config_path(args))
    result = run_pipeline(options, config.get("nav"))
    diagnostics = result.diagnostics
    if args.format == "text" and not diagnostics:
        print("casepress check: no problems found.")
    elif diagnostics:
        print(format_report(diagnostics, args.format))
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if args.format == "text" and diagnostics:
        print(f"{errors} error(s), {warnings} warning(s).")
    return 1 if errors or (args.strict and warnings) else 0


def cmd_export_md(args: argparse.Namespace) -> int:
    options, config = options_from_mkdocs_yml(_config_path(args))
    result = run_pipeline(options, config.get("nav"))
    if not result.ok or result.site is None:
        print(format_report(result.diagnostics), file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    site = result.site
    with replaced_atomically(Path(args.directory)) as out:
        for page in site.pages.values():
            _write(out / page.path, page.markdown.encode("utf-8"))
        for asset in site.assets:
            _write(out / asset.path, asset.content)
        for path in sorted(options.docs_dir.rglob("*")):
            relative = path.relative_to(options.docs_dir)
            if path.is_file() and path.suffix != ".md" and not (out / relative).exists():
                _write(out / relative, path.read_bytes())
    print(f"Wrote {len(site.pages)} pages and {len(site.assets)} files to {args.directory}")
    return 0


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def cmd_build(args: argparse.Namespace) -> int:
    from casepress.mkdocs_runner import build_atomically

    return build_atomically(_config_path(args), site_dir=args.site_dir, strict=args.strict)


def cmd_serve(args: argparse.Namespace) -> int:
    argv = [sys.executable, "-m", "mkdocs", "serve", "-f", str(_config_path(args))]
    if args.dev_addr:
        argv += ["--dev-addr", args.dev_addr]
    os.execv(sys.executable, argv)


def cmd_schema(args: argparse.Namespace) -> int:
    from casepress.schema import write_schemas

    options, _config = options_from_mkdocs_yml(_config_path(args))
    for path in write_schemas(options.content_dir / "schema"):
        print(f"wrote {options.relative(path)}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casepress", description=__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml",
                        help="the project's mkdocs.yml (default: ./mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build site/ (the old site stays if this fails)")
    build.add_argument("-d", "--site-dir", default=None, help="output folder (default: site)")
    build.add_argument("--strict", action="store_true", help="fail on warnings")
    build.set_defaults(func=cmd_build)

    serve = commands.add_parser("serve", help="preview with live reload (mkdocs serve)")
    serve.add_argument("-a", "--dev-addr", default=None, help="IP:PORT to serve on")
    serve.set_defaults(func=cmd_serve)

    check = commands.add_parser("check", help="validate everything, build nothing")
    check.add_argument("--format", choices=["text", "github", "json"], default="text")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check.set_defaults(func=cmd_check)

    export = commands.add_parser("export-md", help="write the finished Markdown tree")
    export.add_argument("directory", help="folder to write (replaced as a whole)")
    export.set_defaults(func=cmd_export_md)

    schema = commands.add_parser("schema", help="write JSON Schema files to content/schema/")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
