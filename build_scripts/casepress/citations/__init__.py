"""Citations: Pandoc citation syntax found in Markdown (`syntax`), and numbered, linked
citations across the site (`numbering`)."""
