"""casepress: structured clinical case reports to a cited, searchable MkDocs site."""

__version__ = "0.1.0"
