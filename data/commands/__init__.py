"""One module per CLI command; see ``data/__main__.py``."""
