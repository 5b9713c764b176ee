"""nnviz: build a neural network by dragging layers, train it with NumPy, and watch it learn."""

# The one place the version is written: pyproject.toml reads it (dynamic
# version), and nnviz --version, the About box and the AppStream metainfo show it.
__version__ = "0.2.0"
