"""What ships: the sdist holds every file git tracks, the wheel every file nnviz needs and the licence.

The sdist and the wheel are built here with `python -m build` (pip install build)
from a git checkout. CI (.ci/run) sets NNVIZ_DIST_DIR to a folder the built
files are copied to, and installs that wheel to run the tests against it.
"""

import email.parser
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import nnviz

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "nnviz-studio"  # "nnviz" on PyPI is another project (README, "Set up")

# Files git tracks that the wheel leaves out, and why; the sdist holds them all.
NOT_IN_THE_WHEEL = {
    "resources/screenshots/": "the README's pictures (2.4 MB) that nnviz never opens",
    "resources/examples/build_examples.py": "rebuilds the examples from a checkout",
}
SHIPPED_FOLDERS = ("nnviz/", "resources/")
# What git ignores and a build must not see (.gitignore).
BUILD_LEFTOVERS = (".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", "*.pyc", ".*_cache")


def tracked_files() -> set[str]:
    """The files `git ls-files` lists that are on disk (another change may have deleted one)."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout (the file list to compare with is `git ls-files`)")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return {name for name in listed.decode().split("\0") if name and (ROOT / name).is_file()}


def _build_installed() -> bool:
    """The build package, not a build/ folder (PyInstaller's) that shadows its name in the checkout."""
    try:
        return importlib.util.find_spec("build.__main__") is not None
    except ModuleNotFoundError:
        return False


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sdist, the wheel (built from that sdist) and what `python -m build` printed."""
    tracked_files()  # skips outside a checkout
    if not _build_installed():
        pytest.skip("needs the build package: pip install build (CI installs it)")
    # From a copy: setuptools would read a stale file list the checkout's last
    # build left (its .egg-info) and write its own into the shared tree.
    source = tmp_path_factory.mktemp("source") / "nnviz"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*BUILD_LEFTOVERS))
    out = tmp_path_factory.mktemp("dist")
    env = dict(os.environ)
    # Without bytecode setuptools warns that it skips compiling; that is this
    # machine's setting, not a fault of the package.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    printed = result.stdout + result.stderr
    assert result.returncode == 0, printed
    (sdist,), (wheel,) = out.glob("*.tar.gz"), out.glob("*.whl")
    if os.environ.get("NNVIZ_DIST_DIR"):
        for made in (sdist, wheel):
            shutil.copy2(made, os.environ["NNVIZ_DIST_DIR"])
    return sdist, wheel, printed


def test_the_build_prints_no_warning(built):
    *_, printed = built
    # "copying"/"adding" lines name files (warnings_panel.py), not warnings.
    said = [line for line in printed.splitlines() if not line.startswith(("copying ", "adding '"))]
    warnings = [line for line in said if "warn" in line.lower()]
    assert not warnings, "\n".join(warnings)


def test_the_sdist_holds_every_tracked_file(built):
    sdist, *_ = built
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        held = {name.removeprefix(f"{top}/") for name in archive.getnames()}
    missing = sorted(tracked_files() - held)
    assert not missing, f"add these to MANIFEST.in: {missing}"
    assert "LICENSE" in held and "PKG-INFO" in held


def test_the_wheel_holds_the_code_the_resources_and_the_licence(built):
    _, wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        held = set(archive.namelist())
    expected = {
        name for name in tracked_files()
        if name.startswith(SHIPPED_FOLDERS) and not name.startswith(tuple(NOT_IN_THE_WHEEL))
    }
    installed_as = {name: "nnviz/" + name if name.startswith("resources/") else name for name in expected}
    missing = sorted(name for name, path in installed_as.items() if path not in held)
    assert not missing, f"the wheel lacks {missing}: see package-data in pyproject.toml"
    left_out = sorted(name for name in held if name.startswith("nnviz/resources/screenshots/"))
    assert not left_out, left_out
    assert f"nnviz_studio-{nnviz.__version__}.dist-info/licenses/LICENSE" in held


def test_the_wheel_metadata_names_the_project(built):
    _, wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(archive.read(name).decode())
    assert metadata["Name"] == DISTRIBUTION
    assert metadata["Version"] == nnviz.__version__
    assert metadata["License-Expression"] == "MIT"
    urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL"))
    # The About box sends problem reports to the "Issues" address.
    assert urls["Issues"].startswith("https://") and urls["Issues"].endswith("/issues")
    assert "Programming Language :: Python :: 3.13" in metadata.get_all("Classifier")


def test_the_installed_version_is_the_one_in_the_source():
    # A stale install (an old name, an old version) would show another version.
    assert importlib.metadata.version(DISTRIBUTION) == nnviz.__version__


@pytest.mark.skipif(not os.environ.get("NNVIZ_TEST_INSTALLED"), reason="CI sets NNVIZ_TEST_INSTALLED to test the installed wheel")
def test_the_tests_import_the_installed_package_not_a_checkout():
    location = Path(nnviz.__file__).resolve()
    assert "site-packages" in location.parts, location
    assert (location.parent / "resources" / "examples").is_dir(), "the examples did not install"
