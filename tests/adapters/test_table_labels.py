"""Cells learn their column's name, so that a phone can show each row as a card."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from casepress.adapters.table_labels import STACK_ATTRIBUTE, label_table_cells

THREE = ("<p>Before &amp; after</p><table><thead><tr><th>Day</th><th>Event <em>(as stated)</em>"
         "</th><th>Note</th></tr></thead><tbody><tr><td>0</td><td>Pain</td><td></td></tr>"
         "<tr><td>7</td><td>Procedure</td><td>CT</td></tr></tbody></table>")


def test_every_body_cell_gets_its_header_and_the_table_is_marked() -> None:
    tree = LexborHTMLParser(label_table_cells(THREE))
    table = tree.css_first("table")
    assert table is not None and STACK_ATTRIBUTE in table.attributes
    labels = [td.attributes.get("data-label") for td in tree.css("td")]
    assert labels == ["Day", "Event (as stated)", "Note"] * 2
    assert tree.css_first("p") is not None and tree.css_first("p").text() == "Before & after"


@pytest.mark.parametrize("page", [
    "<p>No table here.</p>",
    "<table><thead><tr><th>Term</th><th>Meaning</th></tr></thead>"
    "<tbody><tr><td>a</td><td>b</td></tr></tbody></table>",
    "<table><thead><tr><th colspan='2'>Dose</th><th>Day</th></tr></thead>"
    "<tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>",
    "<table><thead><tr><th>A</th><th></th><th>C</th></tr></thead>"
    "<tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>",
], ids=["no-table", "two-columns", "grouped-header", "unnamed-column"])
def test_pages_without_a_table_to_reflow_come_back_unchanged(page: str) -> None:
    assert label_table_cells(page) == page


def test_a_leading_style_block_stays_in_the_page() -> None:
    page = "<style>.x{}</style>" + THREE
    assert label_table_cells(page).startswith("<style>.x{}</style>")
