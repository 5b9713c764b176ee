"""nnviz.ui.training."""
