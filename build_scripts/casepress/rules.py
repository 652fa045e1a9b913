"""Every rule id casepress can report (mostly `casepress check`; also `fmt --check`, `build`
and `linkcheck`), with what it means and how to fix it.

Rule ids are part of the interface: editors search for them, suppressions name them, and CI
logs are compared across runs, so an id is never renamed or reused. The editors' page
`editors/rules.md` is generated from this table, and a test fails when a rule used in the
code is missing here or has no fixture that triggers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from casepress.diagnostics import Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    area: str
    meaning: str
    fix: str
    command: str = "check"  # the command that reports it


E, W = Severity.ERROR, Severity.WARNING

_TABLE: list[tuple[str, Severity, str, str, str] | tuple[str, Severity, str, str, str, str]] = [
    # Reading the YAML files
    ("empty-file", E, "YAML", "A content file is empty.",
     "Fill it in (`casepress new-case` writes a skeleton) or delete it."),
    ("file-too-large", E, "YAML", "A content file is larger than 2 MB.",
     "Split it into several files."),
    ("not-utf8", E, "YAML", "The file is not saved as UTF-8.", "Save it as UTF-8."),
    ("yaml-syntax", E, "YAML", "The YAML cannot be read (indentation, a missing colon, an "
     "unclosed quote or bracket).", "Fix the line shown; the other files are still checked."),
    ("yaml-alias", E, "YAML", "YAML aliases (`*name`) or merge keys are used.",
     "Write the value out in full."),
    ("yaml-duplicate-key", E, "YAML", "The same key appears twice in one block.",
     "Keep one of them."),
    ("yaml-key", E, "YAML", "A key is not plain text (a list or block used as a key).",
     "Write the key as a word, e.g. `title:`."),
    ("yaml-tag", E, "YAML", "A YAML tag (`!!python/...`, `!custom`) is used.",
     "Remove it: content is plain text, numbers, lists and fields."),
    ("yaml-too-deep", E, "YAML", "Nesting is deeper than content ever needs.",
     "Flatten the structure."),
    ("yaml-list-merged", W, "YAML", "A `- ` line is indented further than the list item above "
     "it, so YAML reads it as more words of that item.",
     "Give each `- ` of one list the same indentation."),
    ("file-name", E, "YAML", "A content file name is not lower-case letters, digits and "
     "hyphens ending `.yaml`.", "Rename the file."),
    ("file-outside-project", E, "YAML", "A content file is a link to a file outside the "
     "project.", "Copy the content into the repository."),
    # The content model
    ("schema-missing-field", E, "Content model", "A required field is missing.",
     "Add the field; the JSON Schema lists what each kind of file needs."),
    ("schema-unknown-field", E, "Content model", "A field name is not known (often a typo).",
     "Fix its spelling or remove it; the message lists the fields allowed there."),
    ("schema-type", E, "Content model", "A value has the wrong type (text for a number, "
     "a single value for a list).", "Write the value as the message says."),
    ("schema-value", E, "Content model", "A value is out of range, not one of the allowed "
     "choices, or breaks a rule of the field (raw HTML, an unsafe link).",
     "Follow the message; the field's description is in the JSON Schema."),
    ("schema-line", W, "Content model", "Line 1 does not name the file's JSON Schema.",
     "Make line 1 `# yaml-language-server: $schema=../schema/KIND.schema.json`."),
    # References between pieces of content
    ("citation-unknown-key", E, "Cross-references", "A citation names a key that is not in "
     "references.bib.", "Fix the key (the hint suggests close ones) or add the entry."),
    ("figure-unknown", E, "Cross-references", "`@fig-ID` names a figure or panel the case "
     "does not declare, or a hand-written page refers to a figure.",
     "Declare the figure under `figures:` or fix the reference."),
    ("figure-duplicate-id", E, "Cross-references", "Two figures of a case share an id.",
     "Give each figure its own id."),
    ("figure-unreferenced", W, "Cross-references", "A declared figure is never referred to.",
     "Refer to it where it matters, e.g. `@fig-ID`."),
    ("technique-unknown", E, "Cross-references", "`technique:` names a technique file that "
     "does not exist.", "Create it (`casepress new-technique`) or fix the slug."),
    ("evidence-unknown", E, "Cross-references", "`evidence:` names an evidence table that "
     "does not exist.", "Create it (`casepress new-evidence`) or fix the slug."),
    ("event-duplicate-id", E, "Cross-references", "Two interventions or outcomes share an id.",
     "Give each its own id."),
    ("time-unknown-anchor", E, "Cross-references", "`when: {after: ID}` names no intervention "
     "or outcome of the case that has a time.", "Name the id of the event this one is timed "
     "from."),
    ("time-out-of-order", E, "Cross-references", "An event is listed before one that happened "
     "earlier.", "List events in the order they happened, or fix the timing."),
    ("quote-too-long", E, "Cross-references", "A time's `as_stated` is longer than a short "
     "phrase: it holds only the source's own words.", "Quote the phrase that gives the time; "
     "put your explanation in `note`."),
    ("time-before-anchor", E, "Cross-references", "An event is listed above the event it is "
     "timed from.", "List the event it is timed from first."),
    ("time-bounds", E, "Cross-references", "A time's `latest` is earlier than its start, or "
     "comes with `open_ended: true`.", "Give the earliest time in `day`/`days` and the latest in "
     "`latest`, or write `open_ended: true` alone."),
    ("evidence-count", E, "Cross-references", "An evidence row has more events than patients.",
     "Check the numerator and denominator against the source."),
    ("figure-file-type", E, "Cross-references", "A file under docs/assets/figures/ is not a "
     "raster image (an SVG can hold script), or holds another format than its name says.",
     "Export the figure as PNG or JPEG."),
    ("figure-file-damaged", W, "Cross-references", "A figure image is empty, truncated or "
     "claims an enormous size; its panel keeps the placeholder.",
     "Export the image again at a size a screen can show."),
    ("figure-provenance", E, "Cross-references", "A figure shows a real image but has no "
     "`provenance` (where it comes from, its credit line, its licence).",
     "Add `provenance:` with `source`, `credit` and `licence` to the figure."),
    ("figure-consent", E, "Cross-references", "A figure shows images of the editors' own "
     "patient without documented consent to publish them.",
     "Set `consent_documented: true` once consent is on file; keep the placeholder until then."),
    ("figure-stack-incomplete", E, "Cross-references", "A panel recorded as a stack of "
     "images lacks some of its frames under docs/assets/figures/.",
     "Import the series again with `casepress add-image --replace`."),
    ("figure-file-large", W, "Cross-references", "A figure image is larger than a reader "
     "should download at full size (the page itself shows resized copies).",
     "Import it with `casepress add-image`, or export it smaller."),
    ("evidence-percent", W, "Cross-references", "An evidence row's percentage cannot come "
     "from a whole number of its patients, or disagrees with its count.",
     "Compare both numbers with the source; if it prints them so, add "
     "`percent_checked: true` to the row (the page still marks the row)."),
    ("docs-conflict", E, "Cross-references", "A hand-written page under docs/ sits where a "
     "generated page goes.", "Move it out of cases/, techniques/ and evidence/."),
    ("style", E, "Cross-references", "The citation style in mkdocs.yml cannot be used.",
     "Set `style:` to casepress, ama, vancouver or a readable .csl file."),
    ("engine-without-casepress", W, "Cross-references", "Something in the project would build "
     "the site without casepress (a zensical.toml, or mkdocs.yml without the plugin): no "
     "case, technique or evidence pages, and citations left as [@key], without a warning.",
     "Build with `casepress build` (`--engine zensical` or `--engine properdocs` for those "
     "engines); keep `- casepress` under `plugins:`."),
    ("search-plugin", W, "Cross-references", "Material's `search` plugin is on beside "
     "casepress, which brings its own search: readers get two search boxes.",
     "Remove `- search` from `plugins:` in mkdocs.yml."),
    ("own-reference-list", W, "Cross-references", "A hand-written page that cites has a "
     "\"References\" heading of its own, while casepress ends the page with its numbered "
     "reference list: readers would see two.", "Delete the hand-written list and cite each "
     "reference in the text with `[@key]`."),
    ("numbering", E, "Cross-references", "The `numbering` set in mkdocs.yml is neither `page` "
     "nor `site`.", "Write `numbering: page` (the default) or `numbering: site`."),
    ("content-dir", E, "Cross-references", "The `content_dir` set in mkdocs.yml does not "
     "exist (often a typo), or lies outside the project.",
     "Fix the folder name, or set `content_dir:` to a folder inside the project."),
    # references.bib
    ("bib-missing", E, "References", "The bibliography file does not exist.",
     "Create references.bib or fix the `bibliography` option."),
    ("bib-encoding", E, "References", "references.bib is not UTF-8.",
     "Save it as UTF-8, or write the character as a LaTeX escape."),
    ("bib-syntax", E, "References", "An entry cannot be parsed (unclosed brace or quote, "
     "missing comma).", "Fix the entry at the line shown."),
    ("bib-duplicate-key", E, "References", "Two entries share a key.",
     "Rename or delete one (and the citations meant for it)."),
    ("bib-duplicate-field", E, "References", "An entry has the same field twice.",
     "Keep one of them."),
    ("bib-bad-key", E, "References", "An entry key has characters a web address cannot "
     "hold (quotes, angle brackets, spaces).", "Use letters, digits and _ : . + - / only."),
    ("bib-bad-pmid", E, "References", "A `pmid` field is not digits only.",
     "Write the PubMed id as digits, e.g. `pmid = {15760854}`."),
    ("bib-bad-url", E, "References", "A `url` field is not an http(s) address.",
     "Use a full https:// address, or remove the field."),
    ("bib-bad-doi", E, "References", "A `doi` field is not a DOI.",
     "Write it as 10.NNNN/suffix."),
    ("bib-invisible-character", E, "References", "A field holds an invisible formatting "
     "character (a right-to-left override, a zero-width space) that can make the reference "
     "read otherwise than the file.", "Delete it; retype the words around it."),
    ("bib-missing-field", E, "References", "A cited entry lacks a title, or both author and "
     "editor.", "Add the field to the entry."),
    ("bib-no-year", W, "References", "A cited entry has no year; the reference list shows "
     "\"n.d.\" (no date).", "Add the year if the work has one."),
    ("bib-uncited", W, "References", "An entry is never cited.",
     "Cite it where it supports a statement, or remove it."),
    ("bib-style-failed", W, "References", "The citation style produced no text for an entry.",
     "Check the entry's fields or the CSL style."),
    # Templates
    ("template-syntax", E, "Templates", "A page template has a Jinja2 syntax error.",
     "Fix the template at the line shown."),
    ("template-missing", E, "Templates", "A page template is missing.",
     "Restore it under templates/pages/."),
    ("template-undefined", E, "Templates", "A template uses a field the content model does not "
     "have.", "Use a field of the model."),
    # De-identification (HIPAA Safe Harbor identifiers in case files)
    ("phi-name", E, "De-identification", "Text looks like a personal name: after a title (Mr, "
     "Dr), 'patient', 'named' or a relative, or on its own (a known given or family name, two "
     "capitalised words that are not ordinary words, initials with a surname).",
     "Remove the name; write 'the patient'."),
    ("phi-date", E, "De-identification", "Text looks like a calendar date or part of one "
     "(day and month, month and year, ISO or numeric dates, date of birth).",
     "State time relative to the first procedure (`day:`, `after:`), or only the year."),
    ("phi-age", E, "De-identification", "An age over 89 in text, or `age_years` over 90 "
     "(Safe Harbor groups these ages as '90 or older').",
     "Write '90 or older' in text and `age_years: 90`, which stands for 90 or older."),
    ("phi-phone", E, "De-identification", "Text looks like a telephone or fax number.",
     "Remove it."),
    ("phi-email", E, "De-identification", "Text holds an e-mail address.", "Remove it."),
    ("phi-url", E, "De-identification", "Text holds a web or IP address (outside "
     "`source.url`).", "Remove it; link sources through references.bib."),
    ("phi-id", E, "De-identification", "Text looks like a record, account, licence, device, "
     "serial or social security number.", "Remove it."),
    ("phi-place", E, "De-identification", "Text names a place smaller than a state (street "
     "address, town of a hospital or of residence, ZIP or postcode, county).",
     "Remove it, or name only the state or country."),
    ("suppress-no-reason", E, "De-identification", "A `# casepress: allow RULE` comment "
     "gives no reason.", "Add `-- reason: WHY` (why it identifies no one)."),
    ("suppress-invalid", E, "De-identification", "A `# casepress:` comment is malformed or "
     "names a rule that cannot be silenced.",
     "Write `# casepress: allow phi-KIND -- reason: WHY`; only phi-* rules can be "
     "silenced."),
    ("suppress-unused", W, "De-identification", "A `# casepress: allow` comment silences "
     "nothing on its line or the line below.", "Remove it, or move it next to the field."),
    # Editing workflow
    ("todo-left", W, "Editing", "A value or comment still holds a `TODO` placeholder from "
     "`casepress new-case`.", "Fill the value in and delete the TODO."),
    ("fmt-unformatted", E, "Formatting", "A file is not in the canonical layout "
     "(`casepress fmt --check`).", "Run `casepress fmt` and commit the result.", "fmt"),
    ("fmt-failed", E, "Formatting", "A file cannot be formatted because it cannot be read "
     "(`casepress fmt`).", "Fix the problem `casepress check` reports in it first.", "fmt"),
    # Reported by other commands than `check`
    ("site-url", E, "Building and publishing", "`site_url` is not set for a hosted site "
     "(`casepress build`).", "Set `site_url:` in mkdocs.yml to the published address.",
     "build"),
    ("unsafe-html", E, "Building and publishing", "A page holds markup the HTML allow-list "
     "removes (a script, an event attribute, a non-web link, an element or attribute pages "
     "do not use), found in hand-written pages or edited templates (`casepress build`).",
     "Write the text as Markdown and link only to http(s) "
     "addresses.", "build"),
    ("link-broken", E, "Building and publishing", "A link or anchor in the built site leads "
     "nowhere (`casepress linkcheck`).", "Fix the link in the page or content it comes from.",
     "linkcheck"),
]

RULES: dict[str, Rule] = {row[0]: Rule(*row) for row in _TABLE}
SUPPRESSIBLE_PREFIX = "phi-"


def rules_by_area() -> dict[str, list[Rule]]:
    grouped: dict[str, list[Rule]] = {}
    for rule in RULES.values():
        grouped.setdefault(rule.area, []).append(rule)
    return grouped
