"""nnviz: build a neural network by dragging layers, train it with NumPy, and watch it learn."""

__version__ = "0.1.0"
