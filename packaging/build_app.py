"""Build the one-folder nnviz app with PyInstaller: ``python packaging/build_app.py [--dist DIR]``.

Run it with a Python that has nnviz's dependencies and PyInstaller (``pip install -e .
pyinstaller``); it installs nothing itself. The app lands in dist/nnviz/ (``dist/nnviz/nnviz``
opens the window; ``dist/nnviz/nnviz info FILE`` and the other commands work as ``nnviz`` does).
Check it afterwards with ``python packaging/check_app.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def strip_python_debug_info(app: Path) -> None:
    """Drop the debugging symbols of the Python interpreter's own libraries (about 30 MB; Qt's
    and NumPy's come stripped). Only those: stripping NumPy's bundled libraries can break them."""
    if shutil.which("strip") is None:
        return
    libraries = [*app.glob("_internal/libpython3*.so*"), *app.glob("_internal/python3*/lib-dynload/*.so")]
    for library in libraries:
        if library.is_file() and not library.is_symlink():
            subprocess.run(["strip", "--strip-debug", str(library)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the app folder goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's scratch folder (default: build/)")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("PyInstaller") is None:
        print(f"build_app: PyInstaller is not installed for {sys.executable}; install it with "
              f"'{sys.executable} -m pip install pyinstaller' and run this again", file=sys.stderr)
        return 2
    if shutil.which("objdump") is None and sys.platform.startswith("linux"):
        print("build_app: PyInstaller needs objdump (binutils) to find the libraries the app uses; "
              "install it (sudo apt-get install binutils) and run this again", file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
               "--distpath", str(args.dist), "--workpath", str(args.work), str(ROOT / "packaging" / "nnviz.spec")]
    print(" ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        print("build_app: PyInstaller failed (its messages are above)", file=sys.stderr)
        return result.returncode
    app = args.dist / "nnviz"
    strip_python_debug_info(app)
    print(f"built {app / 'nnviz'}: {folder_size(app) / 2**20:.0f} MB in {app}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
