"""The mapping catalogue: how each legacy Pleo endpoint maps onto the new API.

`load_catalogue()` reads `mappings/*.yaml` (or a user's folder) into a frozen `Catalogue`
that every other part of the toolkit consumes.
"""

from migrate.mapping.catalogue import Catalogue, LegacyMatch, Loss, load_catalogue
from migrate.mapping.model import Endpoint, Envelope, Field, Model, Operation

__all__ = [
    "Catalogue",
    "Endpoint",
    "Envelope",
    "Field",
    "LegacyMatch",
    "Loss",
    "Model",
    "Operation",
    "load_catalogue",
]
