"""The web addresses of a reference: its PubMed record and its DOI."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote


def web_links(item: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, address) of the PubMed, DOI and full-text links of a CSL-JSON item; identifiers
    and addresses were validated when references.bib was read."""
    links = []
    if pmid := item.get("PMID"):
        links.append(("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
    if doi := item.get("DOI"):
        # A DOI may hold ( ) < > (10.1002/(SICI)...<...>): encoded, it cannot end the link.
        links.append(("DOI", f"https://doi.org/{quote(str(doi), safe='/:;')}"))
    if url := item.get("URL"):
        # Brackets and spaces encoded: the address ends a Markdown link where it should.
        links.append(("Full text", quote(str(url), safe=":/?#@!$&'*+,;=%~")))
    return links
