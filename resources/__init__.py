"""Files nnviz ships: example networks, datasets, icons (installed as ``nnviz.resources``)."""
