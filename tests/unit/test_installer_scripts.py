"""The platform installers, checked here without the real bundles: the Windows NSIS script compiles with makensis
against stand-in files (PyInstaller cannot cross-build the Windows bundle), the Linux menu entry is valid, and the
tarball script packs a stand-in bundle whose install.sh installs it and uninstalls it without touching the store."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import stat
import subprocess
import tarfile
import tomllib
from pathlib import Path

import pytest

from app.kernel.paths import APP_AUTHOR, APP_NAME

REPO = Path(__file__).resolve().parents[2]
NSI = REPO / "installer" / "windows" / "fenqi.nsi"
LINUX = REPO / "installer" / "linux"
DESKTOP = LINUX / "fenqi-pos.desktop"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

needs_makensis = pytest.mark.skipif(
    shutil.which("makensis") is None,
    reason="makensis is not installed (Debian package nsis; scripts/setup.sh installs it for the tests as root)",
)


def _windows_bundle(root: Path) -> tuple[Path, Path]:
    """Stand-ins for dist\\fenqi (PyInstaller one-folder bundle) and dist\\fenqi-ocr."""
    bundle, ocr = root / "fenqi", root / "fenqi-ocr"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "fenqi-pos.exe").write_bytes(b"MZ stand-in GUI")
    (bundle / "fenqi.exe").write_bytes(b"MZ stand-in CLI")
    (bundle / "_internal" / "base_library.zip").write_bytes(os.urandom(50_000))
    (ocr / "site-packages" / "rapidocr_onnxruntime" / "models").mkdir(parents=True)
    (ocr / "site-packages" / "rapidocr_onnxruntime" / "models" / "det.onnx").write_bytes(os.urandom(20_000))
    return bundle, ocr


def _makensis(tmp_path: Path, *defines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["makensis", "-V2", "-NOCD", *defines, str(NSI)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_makensis
@pytest.mark.parametrize("with_ocr", [True, False], ids=["with-ocr", "without-ocr"])
def test_windows_installer_compiles_against_stand_in_bundle(tmp_path: Path, with_ocr: bool) -> None:
    bundle, ocr = _windows_bundle(tmp_path)
    out = tmp_path / f"fenqi-pos-{VERSION}-windows-x64-setup.exe"
    defines = [f"-DVERSION={VERSION}", f"-DSOURCE_DIR={bundle}", f"-DOUTFILE={out}"]
    if with_ocr:
        defines.append(f"-DOCR_DIR={ocr}")
    result = _makensis(tmp_path, *defines)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    # The version resource carries both product names and the version given to the build.
    for text in ("Fenqi POS", "分期 POS", VERSION):
        assert text.encode("utf-16-le") in data, text


@needs_makensis
@pytest.mark.parametrize("layout", ["fenqi-ocr", "site-packages"])
def test_windows_installer_puts_ocr_where_the_bundle_looks(tmp_path: Path, layout: str) -> None:
    """installer/bundle_entry/rthook_ocr.py imports from <program folder>\\fenqi-ocr\\site-packages."""
    bundle, ocr = _windows_bundle(tmp_path)
    source = ocr if layout == "fenqi-ocr" else ocr / "site-packages"
    out = tmp_path / "fenqi-pos-setup.exe"
    result = subprocess.run(
        ["makensis", "-V4", "-NOCD", f"-DVERSION={VERSION}", f"-DSOURCE_DIR={bundle}", f"-DOCR_DIR={source}",
         f"-DOUTFILE={out}", str(NSI)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    ocr_section = result.stdout[result.stdout.index("(SecOcr)") :]
    ocr_section = ocr_section[: ocr_section.index("SectionEnd")]
    target = "$INSTDIR\\fenqi-ocr" if layout == "fenqi-ocr" else "$INSTDIR\\fenqi-ocr\\site-packages"
    assert f'SetOutPath: "{target}"' in ocr_section
    assert 'File: "det.onnx"' in ocr_section


@needs_makensis
def test_windows_installer_refuses_a_missing_bundle(tmp_path: Path) -> None:
    result = _makensis(tmp_path, f"-DVERSION={VERSION}", f"-DSOURCE_DIR={tmp_path / 'nothing'}")
    assert result.returncode != 0
    assert "fenqi-pos.exe is missing" in result.stdout + result.stderr


def _nsis_define(name: str) -> str:
    match = re.search(rf'^!define {name} "([^"]*)"', NSI.read_text(encoding="utf-8-sig"), re.MULTILINE)
    assert match, name
    return match.group(1)


def test_windows_uninstaller_targets_the_apps_own_per_user_store() -> None:
    """The folder the uninstaller may delete is the one app/kernel/paths.py uses on Windows (platformdirs'
    %LOCALAPPDATA%\\<appauthor>\\<appname>), of the account it runs as, and only when asked."""
    assert (_nsis_define("DATA_AUTHOR"), _nsis_define("DATA_APPNAME")) == (APP_AUTHOR, APP_NAME)
    script = NSI.read_text(encoding="utf-8-sig")
    uninit = script[script.index("Function un.onInit") :]
    uninit = uninit[: uninit.index("FunctionEnd")]
    assert "SetShellVarContext current" in uninit
    assert 'StrCpy $DataDir "$LOCALAPPDATA\\${DATA_AUTHOR}\\${DATA_APPNAME}"' in uninit
    assert "StrCpy $RemoveData 0" in uninit and '"/REMOVEDATA"' in uninit  # kept unless asked
    removal = script[script.index('Section "Uninstall"') :]
    assert removal.index("${If} $RemoveData == 1") < removal.index('RMDir /r "$DataDir"')
    # Nothing but the uninstaller's removal touches the data folder, and FENQI_HOME is only read (to say so).
    code = [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith(";")]
    assert [line for line in code if "$LOCALAPPDATA" in line] == [
        'StrCpy $DataDir "$LOCALAPPDATA\\${DATA_AUTHOR}\\${DATA_APPNAME}"',
        'RMDir "$LOCALAPPDATA\\${DATA_AUTHOR}"  ; only when nothing else of ours is left in it',
    ]
    assert [line for line in code if "FENQI_HOME" in line] == ["ReadEnvStr $0 FENQI_HOME"]


def test_desktop_entry_has_the_required_keys() -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Fenqi POS"
    assert entry["Name[zh_CN]"] == "分期 POS"
    assert entry["Exec"] == "/opt/fenqi-pos/fenqi-pos"  # install.sh rewrites /opt/fenqi-pos for --user
    assert entry["Icon"] == "fenqi-pos" and (LINUX / "fenqi-pos.svg").is_file()
    assert entry["Categories"] == "Office;Finance;"
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == "fenqi-pos"
    assert entry["Comment"] and entry["Comment[zh_CN]"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def _linux_dist(root: Path) -> Path:
    """Stand-ins for dist/fenqi (the executables print what they were asked) and dist/fenqi-ocr."""
    bundle = root / "fenqi"
    (bundle / "_internal").mkdir(parents=True)
    for name in ("fenqi-pos", "fenqi"):
        exe = bundle / name
        exe.write_text(f'#!/bin/sh\necho "{name} $*"\n', encoding="utf-8")
        exe.chmod(0o755)
    (bundle / "_internal" / "libpython3.11.so.1.0").write_bytes(b"stand-in")
    (root / "fenqi-ocr" / "site-packages" / "rapidocr_onnxruntime").mkdir(parents=True)
    (root / "fenqi-ocr" / "site-packages" / "rapidocr_onnxruntime" / "det.onnx").write_bytes(b"stand-in")
    return bundle


def _make_tarball(bundle: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(LINUX / "make_tarball.sh"), str(bundle), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_tarball_has_the_bundle_menu_entry_icon_and_install_script(tmp_path: Path) -> None:
    bundle = _linux_dist(tmp_path / "dist")
    result = _make_tarball(bundle, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    name = f"fenqi-pos-{VERSION}-linux-x86_64"
    tarball = tmp_path / "out" / f"{name}.tar.gz"
    assert result.stdout.strip() == str(tarball)
    with tarfile.open(tarball) as tar:
        members = {m.name: m for m in tar.getmembers()}
    expected = {
        f"{name}/fenqi/fenqi-pos",
        f"{name}/fenqi/fenqi",
        f"{name}/fenqi/_internal/libpython3.11.so.1.0",
        # the OCR component, where installer/bundle_entry/rthook_ocr.py looks for it
        f"{name}/fenqi/fenqi-ocr/site-packages/rapidocr_onnxruntime/det.onnx",
        f"{name}/fenqi-pos.desktop",
        f"{name}/fenqi-pos.svg",
        f"{name}/install.sh",
        f"{name}/INSTALL.txt",
        f"{name}/VERSION",
    }
    assert expected <= set(members)
    assert all(m.name == name or m.name.startswith(f"{name}/") for m in members.values())
    for executable in ("fenqi/fenqi-pos", "fenqi/fenqi", "install.sh"):
        assert members[f"{name}/{executable}"].mode & stat.S_IXUSR, executable
    assert {m.uid for m in members.values()} == {0}


def test_tarball_without_ocr_and_without_a_bundle(tmp_path: Path) -> None:
    bundle = _linux_dist(tmp_path / "dist")
    result = _make_tarball(bundle, tmp_path / "out", OCR_DIR="")
    assert result.returncode == 0, result.stderr
    with tarfile.open(tmp_path / "out" / f"fenqi-pos-{VERSION}-linux-x86_64.tar.gz") as tar:
        assert not [n for n in tar.getnames() if "rapidocr" in n]
    missing = _make_tarball(tmp_path / "no-dist" / "fenqi", tmp_path / "out2")
    assert missing.returncode != 0 and "build the bundle first" in missing.stderr
    assert not (tmp_path / "out2").exists()


def test_install_script_installs_for_the_user_and_uninstalls_keeping_the_store(tmp_path: Path) -> None:
    bundle = _linux_dist(tmp_path / "dist")
    assert _make_tarball(bundle, tmp_path / "out").returncode == 0
    with tarfile.open(tmp_path / "out" / f"fenqi-pos-{VERSION}-linux-x86_64.tar.gz") as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    install = tmp_path / "unpacked" / f"fenqi-pos-{VERSION}-linux-x86_64" / "install.sh"
    home = tmp_path / "home"
    store = home / ".local" / "share" / "fenqi-pos" / "fenqi.db"  # where app/kernel/paths.py keeps it on Linux
    store.parent.mkdir(parents=True)
    store.write_bytes(b"the clerk's unsent applications")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")} | {"HOME": str(home)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["sh", str(install), *args], capture_output=True, text=True, timeout=60, env=env)

    for _ in range(2):  # the second run is an update over the first
        result = run("--user")
        assert result.returncode == 0, result.stderr
    prefix = home / ".local" / "opt" / "fenqi-pos"
    desktop = (home / ".local" / "share" / "applications" / "fenqi-pos.desktop").read_text(encoding="utf-8")
    assert f"Exec={prefix}/fenqi-pos\n" in desktop
    assert (home / ".local" / "share" / "icons" / "hicolor" / "scalable" / "apps" / "fenqi-pos.svg").is_file()
    wrapper = subprocess.run(
        [str(home / ".local" / "bin" / "fenqi"), "update", "check", "--json"], capture_output=True, text=True
    )
    assert wrapper.stdout.strip() == "fenqi update check --json"
    assert not (prefix.parent / "fenqi-pos.old").exists()

    result = run("--uninstall", "--user")
    assert result.returncode == 0, result.stderr
    assert not prefix.exists()
    assert not (home / ".local" / "share" / "applications" / "fenqi-pos.desktop").exists()
    assert not (home / ".local" / "bin" / "fenqi").exists()
    assert store.read_bytes() == b"the clerk's unsent applications"
    assert "local store was not touched" in result.stdout


def test_install_script_leaves_a_foreign_folder_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    foreign = home / ".local" / "opt" / "fenqi-pos" / "notes.txt"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("not ours", encoding="utf-8")
    result = subprocess.run(
        ["sh", str(LINUX / "install.sh"), "--uninstall", "--user"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(home)},
    )
    assert result.returncode == 1 and "not a Fenqi POS installation" in result.stderr
    assert foreign.read_text(encoding="utf-8") == "not ours"
