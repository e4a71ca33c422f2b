"""The export layers: every layer an analyst can send to an agency, declared once.

Import the registry from here (``from geo.export_layers import LayerSpec, registered,
resolve, ...``): importing this module registers the project's layers, once and in this
order, and it gives every name of the modules they are declared in:

* :mod:`geo.export_registry`: the declaration types (:class:`Field`, :class:`LayerSpec`,
  :class:`Resolved`), the data sources (:data:`SOURCES`), the registry and the privacy
  rules it enforces on every declaration;
* :mod:`geo.export_layers_areas`: boundaries and indicators at every level, village points;
* :mod:`geo.export_layers_community`: the CODI registries (community organizations,
  councils, Baan Mankong projects, land cases);
* :mod:`geo.export_layers_needs`: verified housing need reports.

A new layer is a :class:`LayerSpec` added to the ``LAYERS`` of one of these modules (or of a
new module, added to the list below).
"""

from __future__ import annotations

from geo import export_layers_areas, export_layers_community, export_layers_needs
from geo.export_layers_areas import LEVEL_NAMES, VALUE_DECIMALS, indicator_values_sql
from geo.export_layers_community import (
    LANDOWNER,
    ORG_STATUS,
    ORG_TYPES,
    PROJECT_STAGES,
    TENURE_STATUS,
)
from geo.export_layers_needs import URGENCY
from geo.export_registry import (
    AREA_KINDS,
    AREA_LEVELS,
    FIELD_TYPES,
    GEOMETRY_TYPES,
    PRIVATE_NAME,
    PRIVATE_TABLES,
    SOURCES,
    Field,
    LayerSpec,
    LayerSpecError,
    Resolved,
    Source,
    available_layers,
    check_sql_privacy,
    label_sql,
    register_layer,
    registered,
    resolve,
    with_fields,
)

for _spec in (
    *export_layers_areas.LAYERS,
    *export_layers_community.LAYERS,
    *export_layers_needs.LAYERS,
):
    register_layer(_spec)
del _spec

__all__ = [
    "AREA_KINDS",
    "AREA_LEVELS",
    "FIELD_TYPES",
    "GEOMETRY_TYPES",
    "LANDOWNER",
    "LEVEL_NAMES",
    "ORG_STATUS",
    "ORG_TYPES",
    "PRIVATE_NAME",
    "PRIVATE_TABLES",
    "PROJECT_STAGES",
    "SOURCES",
    "TENURE_STATUS",
    "URGENCY",
    "VALUE_DECIMALS",
    "Field",
    "LayerSpec",
    "LayerSpecError",
    "Resolved",
    "Source",
    "available_layers",
    "check_sql_privacy",
    "indicator_values_sql",
    "label_sql",
    "register_layer",
    "registered",
    "resolve",
    "with_fields",
]
