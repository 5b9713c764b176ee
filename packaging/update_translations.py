"""Translation files for nnviz: write or refresh the ones translators edit, and compile them.

    python packaging/update_translations.py de fr    # resources/translations/nnviz_de.ts, nnviz_fr.ts
    python packaging/update_translations.py          # refresh every .ts already there
    python packaging/update_translations.py --release  # .ts -> .qm, which the app loads

Translate a .ts file with Qt Linguist (``pyside6-linguist``) or any .ts editor. The strings are
found in the sources by pyside6-lupdate: tr() and QCoreApplication.translate() calls in
nnviz/ui, and QT_TRANSLATE_NOOP("nnviz.core", ...) marks in nnviz/core. The app loads
nnviz_<language>.qm for the system's language (nnviz/ui/translation.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"


def qt_tool(name: str) -> str:
    """pyside6-lupdate or pyside6-lrelease: beside this Python (a venv), else on PATH."""
    beside = Path(sys.executable).with_name(f"pyside6-{name}")
    found = str(beside) if beside.exists() else shutil.which(f"pyside6-{name}")
    if not found:
        sys.exit(f"pyside6-{name} not found: install PySide6 in this Python (pip install -e .)")
    return found


def sources() -> list[str]:
    """The Python files that hold translatable strings: those of the nnviz this Python imports
    (the checkout's, in its editable install)."""
    import nnviz

    package = Path(nnviz.__file__).resolve().parent
    return sorted(str(p) for p in package.rglob("*.py") if "__pycache__" not in p.parts)


def update(ts_files: list[Path]) -> None:
    """Write or refresh ``ts_files`` from the sources (translations already made are kept)."""
    for ts in ts_files:
        ts.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([qt_tool("lupdate"), "-no-obsolete", "-locations", "relative", *sources(),
                        "-ts", str(ts)], check=True)


def release(ts_files: list[Path]) -> None:
    """Compile each .ts into the .qm beside it."""
    for ts in ts_files:
        subprocess.run([qt_tool("lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("languages", nargs="*", help="language codes to add or refresh, e.g. de fr pt_BR")
    parser.add_argument("--release", action="store_true", help="compile every .ts into a .qm")
    args = parser.parse_args(argv)
    if args.release:
        release(sorted(TRANSLATIONS.glob("nnviz_*.ts")))
        return 0
    ts_files = [TRANSLATIONS / f"nnviz_{code}.ts" for code in args.languages] or sorted(TRANSLATIONS.glob("nnviz_*.ts"))
    if not ts_files:
        parser.error("no translation yet: name a language, e.g. de")
    update(ts_files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
