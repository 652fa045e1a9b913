"""The `casepress` command and what only it does: atomic output folders, running MkDocs,
the offline bundle, the link check, and laying out source files (`casepress fmt`)."""
