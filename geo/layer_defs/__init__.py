"""Map layer definitions, one module per layer family; each calls ``geo.layers.register_layer``.

Modules here are imported automatically by ``geo.layers.layers()``.
"""
