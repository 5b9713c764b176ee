"""nnviz.ui.model."""
