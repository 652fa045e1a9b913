"""The site: templates rendered into pages, citations resolved, the bibliography, listings,
structured data and navigation order; `build.build_site` assembles them. No MkDocs here."""
