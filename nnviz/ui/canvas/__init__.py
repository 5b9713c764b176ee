"""The canvas: the network drawn as neurons and weight-coloured connections."""

from .scene import NetworkScene
from .style import ELIDE_ABOVE, ELIDE_KEEP
from .view import NetworkView

__all__ = ["ELIDE_ABOVE", "ELIDE_KEEP", "NetworkScene", "NetworkView"]
