"""References: references.bib -> checked entries -> CSL-JSON -> formatted text and exports."""

from casepress.references.bibfile import (
    BibEntry,
    Bibliography,
    check_entries,
    closest_keys,
    load_bibliography,
    normalize_doi,
    parse_bibliography,
)
from casepress.references.csljson import OTHERS, decode_latex, parse_names, to_csl
from casepress.references.export import to_bibtex, to_csl_json, to_ris
from casepress.references.formatting import (
    BUILTIN_STYLES,
    FormattedReference,
    Formatter,
    brief_reference,
    escape_markdown,
    narrative_label,
    resolve_style,
)

__all__ = [
    "BUILTIN_STYLES",
    "OTHERS",
    "BibEntry",
    "Bibliography",
    "BibliographyCache",
    "FormattedReference",
    "Formatter",
    "brief_reference",
    "check_entries",
    "closest_keys",
    "decode_latex",
    "escape_markdown",
    "load_bibliography",
    "narrative_label",
    "normalize_doi",
    "parse_bibliography",
    "parse_names",
    "resolve_style",
    "to_bibtex",
    "to_csl",
    "to_csl_json",
    "to_ris",
]
