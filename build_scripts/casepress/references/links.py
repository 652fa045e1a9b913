"""The web addresses of a reference: its PubMed record and its DOI."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote


def web_links(item: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, address) of the PubMed and DOI links of a CSL-JSON item; identifiers were
    validated when references.bib was read."""
    links = []
    if pmid := item.get("PMID"):
        links.append(("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
    if doi := item.get("DOI"):
        # A DOI may hold ( ) < > (10.1002/(SICI)...<...>): encoded, it cannot end the link.
        links.append(("DOI", f"https://doi.org/{quote(str(doi), safe='/:;')}"))
    return links
