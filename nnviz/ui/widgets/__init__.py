"""nnviz.ui.widgets."""
