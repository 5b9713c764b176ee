"""nnviz.ui.io."""
