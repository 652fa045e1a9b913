"""The `casepress` command: build, serve, check, diff, export-md, linkcheck, schema, and for
editors new-case, new-technique, new-evidence, fmt and add-image.

`build` and `serve` run MkDocs (the plugin does the work); `check`, `export-md`, `schema` and
the editors' commands use the core alone, so they keep working without MkDocs.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from casepress.commands.atomic_output import (
    StoppedAfterReplacing,
    replaced_atomically,
    scratch_folder,
    terminate_cleanly,
)
from casepress.commands.engines import ENGINES, PLUGIN_ENGINES, engine_problem
from casepress.commands.markdown_tree import write_tree
from casepress.commands.mkdocs_yml import (
    engine_without_casepress,
    existing_config,
    options_from_mkdocs_yml,
    other_search_problem,
)
from casepress.commands.output_guard import OutputRefused, check_output_folder, project_sources
from casepress.diagnostics import Severity, format_report, has_errors
from casepress.pages import PAGE_FOLDER_PREFIX, PageFolder
from casepress.pipeline import BuildCache, run_pipeline


def _config_path(args: argparse.Namespace) -> Path:
    return existing_config(Path(args.config_file))


def cmd_check(args: argparse.Namespace) -> int:
    from casepress.checks.care import care_reports, format_care_text

    options, config = options_from_mkdocs_yml(_config_path(args))
    result = run_pipeline(options, config.get("nav"))
    diagnostics = result.diagnostics
    if problem := other_search_problem(_config_path(args), config):
        diagnostics.append(problem)
    diagnostics += engine_without_casepress(_config_path(args), config)
    reports = care_reports(result.project.content) if args.care else []
    if args.format == "json" and args.care:
        print(json.dumps({"diagnostics": json.loads(format_report(diagnostics, "json")),
                          "care": [r.as_dict() for r in reports]}, indent=2))
    elif args.format == "text" and not diagnostics:
        print("casepress check: no problems found.")
    elif diagnostics:
        print(format_report(diagnostics, args.format))
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if args.format == "text" and diagnostics:
        print(f"{errors} error(s), {warnings} warning(s).")
    if args.care and args.format != "json":
        print("\n" + format_care_text(reports))
    return 1 if errors or (args.strict and warnings) else 0


def cmd_new(args: argparse.Namespace) -> int:
    from casepress.content.skeleton import COMMANDS, SkeletonError, write_skeleton
    from casepress.references import load_bibliography

    options, _config = options_from_mkdocs_yml(_config_path(args))
    kind = COMMANDS[args.command]
    first_key = None
    if kind == "evidence":  # a real key, so the skeleton passes `check` from the start
        bibliography, _problems = load_bibliography(options.bibliography, "references.bib")
        first_key = next(iter(bibliography.entries), None)
    try:
        path = write_skeleton(options, kind, args.slug, first_key)
    except SkeletonError as exc:
        print(f"casepress {args.command}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {options.relative(path)}: fill in the lines marked TODO (`casepress check` "
          "lists them), then preview with `mkdocs serve`")
    return 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from casepress.commands.layout import files_to_format, format_files

    options, _config = options_from_mkdocs_yml(_config_path(args))
    paths = [Path(p) for p in args.files] or files_to_format(options)
    result = format_files(options, paths, check=args.check)
    if result.diagnostics:
        print(format_report(result.diagnostics, args.format))
    if args.format == "text":
        if not args.check:
            for label in result.changed:
                print(f"formatted {label}")
        print(f"casepress fmt: {_fmt_summary(len(paths), len(result.changed), args.check)}.")
    return 1 if has_errors(result.diagnostics) else 0


def _fmt_summary(checked: int, changed: int, check: bool) -> str:
    """'3 files checked, 1 file needs reformatting': English for one file and for many."""
    def files(n: int) -> str:
        return f"{n} file{'' if n == 1 else 's'}"

    if check:
        outcome = ("none needs reformatting" if changed == 0
                   else f"{files(changed)} {'needs' if changed == 1 else 'need'} reformatting")
    else:
        outcome = ("none needed reformatting" if changed == 0
                   else f"{files(changed)} {'was' if changed == 1 else 'were'} reformatted")
    return f"{files(checked)} checked, {outcome}"


def cmd_export_md(args: argparse.Namespace) -> int:
    config_file = _config_path(args)
    options, config = options_from_mkdocs_yml(config_file)
    sources = project_sources(options, config_file)
    check_output_folder(Path(args.directory), sources, args.force)  # before any work
    with scratch_folder(PAGE_FOLDER_PREFIX) as pages:  # one finished page in memory at a time
        result = run_pipeline(options, config.get("nav"), BuildCache.single(),
                              PageFolder(Path(pages)).keep)
        if not result.ok or result.site is None:
            print(format_report(result.diagnostics), file=sys.stderr)
            print("Nothing was written.", file=sys.stderr)
            return 1
        site = result.site
        with replaced_atomically(Path(args.directory), sources, args.force) as out:
            write_tree(site, options.docs_dir, out)
    print(f"Wrote {len(site.pages)} pages and {len(site.assets)} files to {args.directory}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from casepress.commands.build_runner import build_atomically

    return build_atomically(_config_path(args), site_dir=args.site_dir, strict=args.strict,
                            force=args.force, engine=args.engine)


def cmd_bundle(args: argparse.Namespace) -> int:
    from casepress.commands.bundle import build_bundle

    return build_bundle(_config_path(args), Path(args.out), strict=args.strict,
                        force=args.force, engine=args.engine)


def _not_the_dirty_build_notice(record: logging.LogRecord) -> bool:
    # MkDocs warns on every dirty build that navigation may be wrong; casepress keeps dirty
    # builds exact (adapters/incremental.py), so the warning would only mislead an editor.
    return "'dirty' build is being performed" not in record.getMessage()


def cmd_serve(args: argparse.Namespace) -> int:
    """`mkdocs serve --dirty` in this process: the plugin then renders only what an edit
    changed (adapters/incremental.py). Another engine serves in a process of its own."""
    # Material prints an end-of-life banner under `mkdocs`; our own commands say nothing of it
    # (the README and issue 18 explain the way across).
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    if problem := engine_problem(args.engine):
        print(problem, file=sys.stderr)
        return 2
    argv = ["serve", "--dirty", "-f", str(_config_path(args))]
    if args.dev_addr:
        argv += ["--dev-addr", args.dev_addr]
    if args.engine != "mkdocs":  # its import redirection needs a process without MkDocs
        module = ENGINES[args.engine].module
        os.execv(sys.executable, [sys.executable, "-m", module, *argv])
    from mkdocs.__main__ import cli as mkdocs_cli

    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_notice)
    try:
        mkdocs_cli.main(args=argv, prog_name="casepress serve", standalone_mode=True)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return 0


def cmd_linkcheck(args: argparse.Namespace) -> int:
    from casepress.commands.linkcheck import check_site
    from casepress.commands.mkdocs_yml import read_mkdocs_yml

    site = Path(args.site) if args.site else None
    if site is None:
        config = Path(args.config_file)
        site_dir = read_mkdocs_yml(config).get("site_dir", "site") if config.is_file() else "site"
        site = config.parent / str(site_dir)
    if not (site / "index.html").is_file():
        print(f"casepress linkcheck: {site} holds no built site; run `casepress build` first",
              file=sys.stderr)
        return 2
    problems = check_site(site, args.base_path)
    if problems:
        print(format_report(problems, args.format))
        if args.format == "text":
            print(f"{len(problems)} broken link(s) in {site}.")
        return 1
    if args.format == "text":
        print(f"casepress linkcheck: every internal link and anchor in {site} resolves.")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from casepress.content.schema import write_schemas

    options, _config = options_from_mkdocs_yml(_config_path(args))
    for path in write_schemas(options.content_dir / "schema"):
        print(f"wrote {options.relative(path)}")
    return 0


ENGINE_HELP = ("the site engine that builds the pages casepress makes (default: mkdocs; "
               "another needs its extra: `pip install 'casepress[properdocs]'`, "
               "`'casepress[zensical]'`)")
FORCE_HELP = ("replace the output folder even if casepress did not write it (it never "
              "writes into the project's sources)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casepress", description=__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml",
                        help="the project's mkdocs.yml (default: ./mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build site/ (the old site stays if this fails)")
    build.add_argument("-d", "--site-dir", default=None, help="output folder (default: site)")
    build.add_argument("--strict", action="store_true", help="fail on warnings")
    build.add_argument("--force", action="store_true", help=FORCE_HELP)
    build.add_argument("--engine", choices=list(ENGINES), default="mkdocs", help=ENGINE_HELP)
    build.set_defaults(func=cmd_build)

    bundle = commands.add_parser("bundle", help="zip a copy of the site that works opened from "
                                 "disk, with no server or network")
    bundle.add_argument("-o", "--out", default="dist/site-offline.zip",
                        help="zip file to write (default: dist/site-offline.zip)")
    bundle.add_argument("--strict", action="store_true", help="fail on warnings")
    bundle.add_argument("--force", action="store_true", help="replace --out even if it is not "
                        "a zip file casepress wrote")
    bundle.add_argument("--engine", choices=PLUGIN_ENGINES, default="mkdocs", help=ENGINE_HELP)
    bundle.set_defaults(func=cmd_bundle)

    serve = commands.add_parser("serve", help="preview with live reload (mkdocs serve)")
    serve.add_argument("-a", "--dev-addr", default=None, help="IP:PORT to serve on")
    serve.add_argument("--engine", choices=PLUGIN_ENGINES, default="mkdocs", help=ENGINE_HELP)
    serve.set_defaults(func=cmd_serve)

    check = commands.add_parser("check", help="validate everything, build nothing")
    check.add_argument("--format", choices=["text", "github", "json"], default="text")
    # Strict by default, as `casepress build --strict`, CI and pre-commit are: a check that
    # passes while the build refuses the same content tells the editor the wrong thing.
    check.add_argument("--no-strict", dest="strict", action="store_false",
                       help="warnings (such as TODOs left) do not fail the check; the strict "
                       "build still refuses them")
    check.add_argument("--strict", dest="strict", action="store_true", default=True,
                       help="the default: warnings fail the check, as they fail "
                       "`casepress build --strict`")
    check.add_argument("--care", action="store_true",
                       help="also report which CARE checklist items each case has")
    check.set_defaults(func=cmd_check)

    for name, what in (("new-case", "case"), ("new-technique", "technique"),
                       ("new-evidence", "evidence table")):
        new = commands.add_parser(name, help=f"write a commented {what} skeleton to fill in")
        new.add_argument("slug", help="file name without .yaml: lower-case letters, digits, "
                         "hyphens")
        new.set_defaults(func=cmd_new)

    fmt = commands.add_parser("fmt", help="rewrite references.bib and content YAML in their "
                              "canonical layout")
    fmt.add_argument("files", nargs="*", help="files to format (default: references.bib and "
                     "every content file)")
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; fail if a file is not formatted")
    fmt.add_argument("--format", choices=["text", "github", "json"], default="text")
    fmt.set_defaults(func=cmd_fmt)

    export = commands.add_parser("export-md", help="write the finished Markdown tree")
    export.add_argument("directory", help="folder to write (replaced as a whole)")
    export.add_argument("--force", action="store_true", help=FORCE_HELP)
    export.set_defaults(func=cmd_export_md)

    linkcheck = commands.add_parser("linkcheck", help="check every internal link and anchor "
                                    "of a built site")
    linkcheck.add_argument("site", nargs="?", default=None,
                           help="the built site (default: site_dir of mkdocs.yml, or site)")
    linkcheck.add_argument("--base-path", default=None,
                           help="URL path the site is served under, e.g. /casepress/ "
                           "(default: read from the site's sitemap.xml)")
    linkcheck.add_argument("--format", choices=["text", "github", "json"], default="text")
    linkcheck.set_defaults(func=cmd_linkcheck)

    schema = commands.add_parser("schema", help="write JSON Schema files to content/schema/")
    schema.set_defaults(func=cmd_schema)

    from casepress.commands.add_image import add_parser as add_image_parser
    from casepress.commands.diff import add_parser as add_diff_parser

    add_diff_parser(commands)
    add_image_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    with terminate_cleanly():  # a stopped build removes its staging folder
        try:
            result: int = args.func(args)
        except OutputRefused as refused:
            print(f"casepress: {refused}", file=sys.stderr)
            return 1
        except StoppedAfterReplacing:
            print("casepress: stopped, after the new output had replaced the old one; it is "
                  "complete.", file=sys.stderr)
            return 130
        except KeyboardInterrupt:
            print("casepress: stopped; any output folder was left as it was.", file=sys.stderr)
            return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
