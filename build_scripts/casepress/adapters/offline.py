"""The offline form of a site's configuration, for the bundle (commands/bundle.py explains
why each setting changes).

`casepress bundle` applies it to the configuration it builds with MkDocs in its own process.
Another engine builds in a process of its own from mkdocs.yml; there the plugin applies it,
asked by the `OFFLINE_VARIABLE` environment variable that `casepress bundle` sets for that
process alone.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

from casepress.commands.mkdocs_yml import OTHER_SEARCH_PLUGINS

OFFLINE_VARIABLE = "CASEPRESS_OFFLINE"


def make_offline(config: MkDocsConfig) -> None:
    """Everything but the casepress plugin's own `hosted` option, which its owner sets."""
    config.use_directory_urls = False
    for name in OTHER_SEARCH_PLUGINS:  # (warned about) it cannot search from disk
        if (other := config.plugins.get(name)) is not None and "enabled" in other.config:
            other.config.enabled = False
    config.site_url = None
    config.repo_url = None
    config.edit_uri = None
