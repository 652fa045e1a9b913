"""Tables that reflow on a phone: each body cell carries its column's header as `data-label`.

A clinical table cut at the screen edge hides findings, doses and warnings from a reader on a
ward phone, and a sideways-scrolling one hides which column a value belongs to. Below the
phone breakpoint, casepress.css shows each row of a marked table as a card: one cell per line,
its header before it (`td::before { content: attr(data-label) }`), so nothing lies outside the
viewport and no column is dropped. Wider screens see the table unchanged.

Works on the HTML of one page after the sanitiser, read and written with lexbor (an HTML5
parser); imports nothing from MkDocs. Tables of one or two columns fit any screen and are
left alone.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

STACK_ATTRIBUTE = "data-cp-stack"
_MIN_COLUMNS = 3


def _children(node: LexborNode, tag: str) -> list[LexborNode]:
    return [child for child in node.iter() if child.tag == tag]


def _headers(table: LexborNode) -> list[str]:
    head = next(iter(_children(table, "thead")), None)
    rows = _children(head, "tr") if head is not None else []
    if not rows:
        return []
    cells = _children(rows[0], "th")
    if any(cell.attributes.get("colspan") not in (None, "1") for cell in cells):
        return []  # a grouped header does not name one column per cell
    return [" ".join(cell.text(separator=" ").split()) for cell in cells]


def label_table_cells(page_html: str) -> str:
    """`page_html` with every table of three or more named columns marked to reflow."""
    if "<table" not in page_html:
        return page_html
    # An explicit <body> keeps a leading <style> or <link> where it was, not moved to <head>.
    tree = LexborHTMLParser(f"<body>{page_html}")
    marked = False
    for table in tree.css("table"):
        headers = _headers(table)
        if len(headers) < _MIN_COLUMNS or not all(headers):
            continue
        for section in _children(table, "tbody"):
            for row in _children(section, "tr"):
                for header, cell in zip(headers, _children(row, "td"), strict=False):
                    cell.attrs["data-label"] = header
        table.attrs[STACK_ATTRIBUTE] = ""
        marked = True
    labelled = tree.body.inner_html if marked and tree.body is not None else None
    return labelled if labelled is not None else page_html
