"""Qt tests run offscreen: no X server, no window on anyone's screen."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
