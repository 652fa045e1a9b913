"""Render the Jinja2 page templates into Markdown.

Templates live in `templates/pages/` of the project, so a site can change any page's layout
without touching code. Output is Markdown with citations and figure references still
written in Pandoc syntax; `site/build.py` resolves them across the whole site afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, cast

import jinja2

from casepress.citations.numbering import attribute_text
from casepress.diagnostics import Diagnostic, error
from casepress.references.formatting import escape_markdown

WORDING = "wording.j2"


Render = Callable[..., str]
"""A template name and its context in, Markdown out (`render` with its environment bound)."""


class Wording(Protocol):
    """What `wording.j2` defines: the sentences that the page code puts into graphics and
    labels before a page is rendered (a macro returns Markup, hence `object`)."""

    timeline_description: str
    forest_description: str
    before_treatment: str
    cebm_note: str
    flag_titles: dict[str, str]
    discussion_status: dict[str, str]

    def timeline_title(self, events: int) -> object: ...

    def forest_title(self, outcome: str) -> object: ...


# Checked when the file is loaded: a name an editor deleted is then one located message,
# not an AttributeError in the middle of drawing a graphic.
_WORDING_NAMES = sorted({*Wording.__annotations__,
                         *(name for name in vars(Wording) if not name.startswith("_"))})


def inline_markdown(text: object) -> str:
    """Content text placed into Markdown: raw HTML can never pass (it is validated out and,
    should anything slip through, escaped here)."""
    return str(text).replace("<", "&lt;").replace(">", "&gt;").strip()


def table_cell(text: object) -> str:
    """Inline Markdown that stays inside one table cell."""
    return re.sub(r"\s*\n\s*", " ", inline_markdown(text)).replace("|", "&#124;")


_MARKERS = re.compile(r"[*_`#\[\]]")
_SPACES = re.compile(r"\s+")


def plain(text: object) -> str:
    """Text for an HTML attribute or a heading: no Markdown markers, no line breaks."""
    return _MARKERS.sub("", _SPACES.sub(" ", str(text))).strip()


def number(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}"


def age(years: int) -> str:
    """"76-year-old"; from 90 on a single category, as HIPAA Safe Harbor requires."""
    return "≥90-year-old" if years >= 90 else f"{years}-year-old"


class TemplateProblem(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format_text())
        self.diagnostic = diagnostic


def make_environment(project_templates: Path, root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(project_templates / "pages")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown; text is made safe by the filters above
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    filters: dict[str, Callable[..., Any]] = {
        "md": inline_markdown,
        "cell": table_cell,
        "plain": plain,
        "number": number,
        "age": age,
        # Text inside an HTML attribute of a Markdown page: Python-Markdown runs its inline
        # patterns there too (a `[x](y)` would become a link whose quotes end the attribute),
        # so every character they react to is written as an entity, as in citation tooltips.
        "attribute": attribute_text,
        # A one-line name shown as written (a bibliographic field, a code): every character
        # Markdown reacts to is an entity, so fields placed side by side cannot join into a
        # construct that none of them holds alone (`[x](java` + `script:...)`).
        "literal": escape_markdown,
    }
    env.filters.update(filters)
    env.globals["_root"] = str(root)
    return env


def _template_file(env: jinja2.Environment, name: str, root: Path) -> str:
    try:
        source = env.loader.get_source(env, name)[1] if env.loader else None
    except jinja2.TemplateNotFound:
        source = None
    if source is None:
        return f"templates/pages/{name}"
    try:
        return Path(source).resolve().relative_to(root).as_posix()
    except ValueError:
        return f"casepress/templates/{name}"


@contextmanager
def _located(env: jinja2.Environment, name: str) -> Iterator[None]:
    """A broken template becomes a located diagnostic (TemplateProblem), not a traceback."""
    root = Path(env.globals["_root"])  # type: ignore[arg-type]
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        file = _template_file(env, name, root) if exc.filename else f"templates/pages/{name}"
        raise TemplateProblem(error(file, exc.lineno, "template-syntax", exc.message or "syntax",
                                    "fix the Jinja2 syntax at this line")) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(error(f"templates/pages/{name}", None, "template-missing",
                                    f"template '{exc.name}' not found",
                                    "restore it or remove the reference to it")) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(error(_template_file(env, name, root), None, "template-undefined",
                                    str(exc.message), "use a field the content model has")) from exc


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template into Markdown."""
    with _located(env, name):
        markdown = env.get_template(name).render(**context)
    return markdown


def wording(env: jinja2.Environment) -> Wording:
    """The reader-facing sentences of `wording.j2` (its macros and variables), for the code
    that builds graphics and labels before a page is rendered. A name the file no longer
    defines is reported at the file, as a page template's unknown field is."""
    with _located(env, WORDING):
        module = env.get_template(WORDING).module
    missing = [name for name in _WORDING_NAMES if not hasattr(module, name)]
    if missing:
        root = Path(env.globals["_root"])  # type: ignore[arg-type]
        raise TemplateProblem(error(
            _template_file(env, WORDING, root), None, "template-undefined",
            f"{WORDING} does not define {', '.join(missing)}",
            "restore the macro or variable (`{% set name = \"...\" %}`) with its wording"))
    return cast(Wording, module)
