"""Indicator definitions, one module per family; each calls ``analysis.catalogue.register``."""
