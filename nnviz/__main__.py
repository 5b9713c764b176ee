"""Entry points: ``nnviz`` (console) and ``nnviz-gui`` (desktop launcher, no console).

A sub-command (``info``, ``predict``, ``train``…) runs headless without ever
importing Qt; anything else is for the window.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

from . import cli
from .core.shipped import EXAMPLE_PREFIX, UnknownNameError, resolve_network


def main(argv: list[str] | None = None) -> int:
    """``nnviz [COMMAND …]``: the command line, or the window when there is no command."""
    # A frozen build starts its training process by running this executable again with
    # arguments of multiprocessing's own: that run serves training and exits here.
    multiprocessing.freeze_support()
    argv = sys.argv[1:] if argv is None else argv
    if argv and (argv[0] in cli.COMMANDS or argv[0].startswith("-")):
        return cli.main(argv)
    return run_gui(argv)


def main_gui() -> int:
    """Desktop-launcher entry point."""
    multiprocessing.freeze_support()  # see main()
    return run_gui(sys.argv[1:])


def run_gui(argv: list[str]) -> int:
    # example:NAME opens a shipped example as File ▸ Examples does: an unsaved copy, so Save asks where.
    as_copy = bool(argv) and argv[0].startswith(EXAMPLE_PREFIX)
    if as_copy:
        try:
            argv = [resolve_network(argv[0]), *argv[1:]]
        except UnknownNameError as exc:
            print(f"nnviz: {exc}", file=sys.stderr)
            return 2
    if argv and not Path(argv[0]).is_file():
        commands = ", ".join(cli.COMMANDS)
        print(f"nnviz: {argv[0]}: no such file, and not a command ({commands}); see 'nnviz --help'", file=sys.stderr)
        return 2
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        print("nnviz: no display to open the window on (DISPLAY is not set); the commands work without one: see 'nnviz --help'", file=sys.stderr)
        return 2
    from .ui.app import run  # Qt is imported only for the window

    return run(argv, as_copy=as_copy)


if __name__ == "__main__":
    sys.exit(main())
