"""The frozen app's entry script (PyInstaller needs a file to start from): nnviz's own ``main``,
which also serves the training process a frozen build starts by running itself again."""

import sys

from nnviz.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
