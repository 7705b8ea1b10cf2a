"""The JobTech taxonomy: concepts, relations, and Swedish search over them."""

from lotsen.taxonomy.model import Concept, Edge, Taxonomy, load_municipality_geometry, load_taxonomy

__all__ = ["Concept", "Edge", "Taxonomy", "load_municipality_geometry", "load_taxonomy"]
