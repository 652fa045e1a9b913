"""Adapters to the site engine: the MkDocs plugin (`plugin`, options in `config`), the
hidden search spellings it adds to each page, and the reproducible build date."""
