"""nnviz on the Linux desktop: its app id, icons, launcher, file type and AppStream data.

``nnviz install-desktop`` copies the launcher (``<APP_ID>.desktop``, whose ``Exec=`` is made
the absolute path of this installation's ``nnviz-gui``), the icons, the ``.nnviz`` MIME type and
the AppStream metainfo into the current user's ``$XDG_DATA_HOME`` (``~/.local/share``), then
refreshes the desktop's caches with whichever of update-mime-database, update-desktop-database
and gtk-update-icon-cache are installed; ``--uninstall`` removes them again. The files are
package data (``nnviz.resources``), so this works from a checkout, a wheel and a frozen app.
Never imports Qt.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from .core.shipped import resources_root

APP_ID = "io.github.nnviz_studio.nnviz"
MIME_TYPE = "application/x-nnviz"
MIME_XML = "nnviz.xml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
GUI_COMMAND = "nnviz-gui"

DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"


class DesktopError(Exception):
    """Something that stops installing the desktop files; the message says what to do."""


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``icons``, ``desktop``) of the files nnviz ships (package data)."""
    return resources_root() / name


def icon_png(size: int) -> Path:
    """The application icon drawn ``size`` pixels square (one of :data:`ICON_SIZES`)."""
    return resource_dir("icons") / f"nnviz-{size}.png"


def icon_svg() -> Path:
    """The scalable application icon."""
    return resource_dir("icons") / "nnviz.svg"


def data_home(environ=os.environ) -> Path:
    """``$XDG_DATA_HOME`` if set to an absolute path (as the XDG spec asks), else ``~/.local/share``."""
    value = environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def gui_executable() -> Path:
    """The absolute path of the program a launcher should run to open nnviz's window.

    A frozen app's own executable (it opens the window when given no command), else the
    ``nnviz-gui`` script pip installed with this copy of nnviz (from its record of files), else
    one in this Python's script folders, else ``nnviz-gui`` on ``PATH``.
    """
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve()
    candidates = _recorded_scripts()
    for scheme in (sysconfig.get_default_scheme(), f"{os.name}_user"):
        candidates.append(Path(sysconfig.get_path("scripts", scheme)) / GUI_COMMAND)
    found = shutil.which(GUI_COMMAND)
    candidates += [Path(found)] if found else []
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate.resolve()
    raise DesktopError(f"cannot find the '{GUI_COMMAND}' program of this installation (nor on PATH); install nnviz "
                       "with pip (pip install nnviz-studio, or pip install -e . in a checkout) and run this again")


def _recorded_scripts() -> list[Path]:
    """``nnviz-gui`` as listed in the installed distribution's RECORD (one per distribution name)."""
    from importlib import metadata

    scripts = []
    for name in ("nnviz-studio", "nnviz"):  # the distribution's name from 0.2 on, and before
        try:
            files = metadata.distribution(name).files or []
        except metadata.PackageNotFoundError:
            continue
        scripts += [Path(str(f.locate())) for f in files if f.name == GUI_COMMAND]
    return scripts


def quote_exec_argument(argument: str) -> str:
    """``argument`` as the Desktop Entry spec wants it in ``Exec=``: quoted when it holds a
    reserved character, with ``"`", "`", "$" and "\\"`` escaped inside the quotes, every
    backslash doubled again because ``Exec`` is itself a string value, and "%" doubled (field
    codes start with it)."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`=%")
    if argument and not reserved & set(argument):
        return argument
    inner = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return ('"' + inner + '"').replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(executable: Path) -> str:
    """The shipped launcher with ``Exec=`` (and ``TryExec=``) naming ``executable`` by absolute path."""
    lines = []
    for line in (resource_dir("desktop") / DESKTOP_FILE).read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={quote_exec_argument(str(executable))} %f"
        elif line.startswith("TryExec="):
            line = f"TryExec={str(executable).replace(chr(92), chr(92) * 2)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


@dataclass
class Outcome:
    """What :func:`install` or :func:`uninstall` did: the files and the cache tools run."""

    files: list[Path] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _targets(home: Path) -> dict[Path, Path | None]:
    """Every file installed, mapped to the shipped file it copies (None: the launcher, written)."""
    targets: dict[Path, Path | None] = {home / "applications" / DESKTOP_FILE: None}
    for size in ICON_SIZES:
        targets[home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = icon_png(size)
    targets[home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"] = icon_svg()
    targets[home / "mime" / "packages" / MIME_XML] = resource_dir("desktop") / MIME_XML
    targets[home / "metainfo" / METAINFO_FILE] = resource_dir("desktop") / METAINFO_FILE
    return targets


def install(home: Path | None = None, executable: Path | None = None, refresh: bool = True) -> Outcome:
    """Install the launcher, icons, MIME type and metainfo under ``home`` (default :func:`data_home`).

    ``executable`` is what the launcher runs (default :func:`gui_executable`). Raises
    :class:`DesktopError` when a file cannot be written.
    """
    home = data_home() if home is None else home
    entry = desktop_entry(executable or gui_executable())
    outcome = Outcome()
    try:
        for target, source in _targets(home).items():
            target.parent.mkdir(parents=True, exist_ok=True)
            if source is None:
                target.write_text(entry, encoding="utf-8")
            else:
                shutil.copyfile(source, target)
            outcome.files.append(target)
    except OSError as exc:
        raise DesktopError(f"cannot write {exc.filename or home}: {exc.strerror or exc}; "
                           "check that the folder is yours and writable (or set XDG_DATA_HOME)") from None
    if refresh:
        _refresh_caches(home, outcome)
    return outcome


def uninstall(home: Path | None = None, refresh: bool = True) -> Outcome:
    """Remove what :func:`install` wrote under ``home``; files already gone are skipped."""
    home = data_home() if home is None else home
    outcome = Outcome()
    for target in _targets(home):
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopError(f"cannot remove {target}: {exc.strerror or exc}; remove it by hand") from None
        outcome.files.append(target)
    if refresh:
        _refresh_caches(home, outcome)
    return outcome


def _refresh_caches(home: Path, outcome: Outcome) -> None:
    """Run the desktop's cache updaters that are installed; the files work without them, so a
    missing or failing one is noted, not an error."""
    commands = [
        ["update-mime-database", str(home / "mime")],
        ["update-desktop-database", str(home / "applications")],
        # -t: a user's hicolor folder usually has no index.theme of its own.
        ["gtk-update-icon-cache", "-f", "-t", str(home / "icons" / "hicolor")],
    ]
    for command in commands:
        if shutil.which(command[0]) is None or not Path(command[-1]).is_dir():
            continue
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            outcome.notes.append(f"{command[0]} did not run ({exc})")
            continue
        outcome.tools.append(command[0])
        if result.returncode != 0:
            outcome.notes.append(f"{command[0]} failed: {(result.stderr or result.stdout).strip()[:200]}")


def add_command(subparsers) -> None:
    """Add ``install-desktop`` to the command line's sub-commands."""
    p = subparsers.add_parser(
        "install-desktop",
        help="add nnviz to this user's desktop menu, with its icon and the .nnviz file type",
        description="Install nnviz's launcher, icons, .nnviz file type and AppStream data for the current user "
        "under $XDG_DATA_HOME (default ~/.local/share); --uninstall removes them.",
    )
    p.add_argument("--uninstall", action="store_true", help="remove what install-desktop installed")


def cmd_install_desktop(args: argparse.Namespace) -> int:
    """``nnviz install-desktop [--uninstall]``."""
    try:
        outcome = uninstall() if args.uninstall else install()
    except DesktopError as exc:
        print(f"nnviz: {exc}", file=sys.stderr)
        return 2
    verb = "removed" if args.uninstall else "installed"
    if not outcome.files:
        print(f"nothing to remove: nnviz's desktop files are not installed under {data_home()}")
    for path in outcome.files:
        print(f"{verb} {path}")
    if outcome.tools:
        print(f"refreshed the desktop's caches with {', '.join(outcome.tools)}")
    for note in outcome.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
