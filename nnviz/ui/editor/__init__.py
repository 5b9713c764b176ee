"""nnviz.ui.editor."""
