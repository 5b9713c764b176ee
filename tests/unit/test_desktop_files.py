"""The desktop files agree with each other and with the package, pass the freedesktop validators,
and ``nnviz install-desktop`` installs and removes them under XDG_DATA_HOME without Qt."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest

import nnviz
from nnviz import desktop

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = desktop.resource_dir("desktop")
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def read_entry(text: str) -> dict[str, str]:
    parser = ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(text)
    return dict(parser["Desktop Entry"])


def entry_list(value: str) -> list[str]:
    return [item for item in value.split(";") if item]


@pytest.fixture(scope="module")
def entry():
    return read_entry((SHIPPED / desktop.DESKTOP_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def metainfo():
    return ET.parse(SHIPPED / desktop.METAINFO_FILE).getroot()


@pytest.fixture(scope="module")
def mime_type():
    root = ET.parse(SHIPPED / desktop.MIME_XML).getroot()
    (element,) = root.findall(f"{MIME_NS}mime-type")
    return element


@pytest.fixture(scope="module")
def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_metainfo_release_is_the_package_version(metainfo):
    releases = metainfo.findall("releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == nnviz.__version__  # the newest release comes first


def test_metainfo_names_the_app_its_launcher_and_the_file_type(metainfo, mime_type):
    assert metainfo.findtext("id") == desktop.APP_ID
    assert metainfo.findtext("launchable[@type='desktop-id']") == desktop.DESKTOP_FILE
    assert metainfo.findtext("provides/mediatype") == mime_type.get("type") == desktop.MIME_TYPE


def test_metainfo_binaries_are_the_entry_points(metainfo, project):
    scripts = {**project["scripts"], **project["gui-scripts"]}
    binaries = [element.text for element in metainfo.findall("provides/binary")]
    assert "nnviz" in binaries
    assert set(binaries) <= set(scripts), f"the metainfo provides binaries pyproject does not install: {binaries}"


def test_launcher_runs_the_gui_entry_point_with_the_icon_and_file_type(entry, project, mime_type):
    assert entry["Icon"] == desktop.APP_ID
    program, *arguments = entry["Exec"].split()
    assert program == desktop.GUI_COMMAND and program in project["gui-scripts"]
    assert arguments == ["%f"]
    assert entry_list(entry["MimeType"]) == [mime_type.get("type")]
    assert entry["Terminal"] == "false"


def test_mime_type_matches_the_shipped_examples(mime_type):
    assert [glob.get("pattern") for glob in mime_type.findall(f"{MIME_NS}glob")] == ["*.nnviz"]
    assert mime_type.findtext(f"{MIME_NS}comment")
    (match,) = mime_type.findall(f"{MIME_NS}magic/{MIME_NS}match")
    start, end = (int(n) for n in match.get("offset").split(":"))
    for example in (ROOT / "resources" / "examples").glob("*.nnviz"):
        head = example.read_text(encoding="utf-8")[: end + len(match.get("value"))]
        assert match.get("value") in head[start:], f"the MIME magic does not recognise {example.name}"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_icons_exist_at_every_size():
    for size in desktop.ICON_SIZES:
        assert png_size(desktop.icon_png(size)) == (size, size)
    assert ET.parse(desktop.icon_svg()).getroot().tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/usr/bin/nnviz-gui", "/usr/bin/nnviz-gui"),
        ("/home/ann/my apps/nnviz-gui", '"/home/ann/my apps/nnviz-gui"'),
        ('/opt/a"b$c/nnviz-gui', '"/opt/a\\\\"b\\\\$c/nnviz-gui"'),
        ("/opt/100%/nnviz-gui", '"/opt/100%%/nnviz-gui"'),
    ],
)
def test_exec_quoting(path, expected):
    assert desktop.quote_exec_argument(path) == expected


def run_validator(*command):
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed (Debian: desktop-file-utils / appstream)")
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_desktop_file_validates(tmp_path):
    shipped = run_validator("desktop-file-validate", str(SHIPPED / desktop.DESKTOP_FILE))
    assert shipped.returncode == 0 and not shipped.stdout.strip(), shipped.stdout
    # The launcher install-desktop writes, for a path that needs quoting.
    written = tmp_path / desktop.DESKTOP_FILE
    written.write_text(desktop.desktop_entry(Path("/home/ann/my apps/bin/nnviz-gui")), encoding="utf-8")
    result = run_validator("desktop-file-validate", str(written))
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_metainfo_validates_with_no_warnings():
    result = run_validator("appstreamcli", "validate", "--no-net", "--pedantic", str(SHIPPED / desktop.METAINFO_FILE))
    assert result.returncode == 0, result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if line.startswith(("E:", "W:"))]
    assert not problems, result.stdout


def nnviz_command(*args, data_home: Path):
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    env.pop("QT_QPA_PLATFORM", None)
    # Fails the command if anything it does imports Qt.
    code = ("import sys; from nnviz.__main__ import main; status = main(sys.argv[1:]); "
            "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph'))); "
            "sys.exit(f'Qt was imported: {qt}') if qt else sys.exit(status)")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)


def test_install_desktop_and_uninstall(tmp_path):
    home = tmp_path / "data home"
    result = nnviz_command("install-desktop", data_home=home)
    assert result.returncode == 0, result.stderr

    launcher = home / "applications" / desktop.DESKTOP_FILE
    installed = read_entry(launcher.read_text(encoding="utf-8"))
    program = Path(installed["Exec"].rsplit(" ", 1)[0].strip('"'))
    assert program.is_absolute() and program.name == desktop.GUI_COMMAND and program.is_file()
    assert installed["Icon"] == desktop.APP_ID
    for size in desktop.ICON_SIZES:
        icon = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{desktop.APP_ID}.png"
        assert png_size(icon) == (size, size)
    assert (home / "icons" / "hicolor" / "scalable" / "apps" / f"{desktop.APP_ID}.svg").is_file()
    assert (home / "mime" / "packages" / desktop.MIME_XML).is_file()
    assert (home / "metainfo" / desktop.METAINFO_FILE).is_file()
    assert str(launcher) in result.stdout
    if shutil.which("update-mime-database"):
        # The MIME database was rebuilt and knows the type (the XML was accepted).
        assert (home / "mime" / "application" / "x-nnviz.xml").is_file()

    removed = nnviz_command("install-desktop", "--uninstall", data_home=home)
    assert removed.returncode == 0, removed.stderr
    assert not launcher.exists()
    assert not list(home.rglob(f"{desktop.APP_ID}*")), "uninstall left files behind"
    assert not (home / "mime" / "packages" / desktop.MIME_XML).exists()


def test_install_into_a_folder_that_cannot_be_written_says_so(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    result = nnviz_command("install-desktop", data_home=blocker)
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "XDG_DATA_HOME" in result.stderr


def test_data_home_follows_xdg():
    assert desktop.data_home({"XDG_DATA_HOME": "/srv/data"}) == Path("/srv/data")
    # The spec says to ignore a relative path.
    assert desktop.data_home({"XDG_DATA_HOME": "relative"}) == Path.home() / ".local" / "share"
    assert desktop.data_home({}) == Path.home() / ".local" / "share"
