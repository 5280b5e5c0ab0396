"""The wheel carries the bundled program: build it, install it in a fresh venv, run it elsewhere.

Offline: the wheel is built without build isolation and installed with --no-index. The new
venv sees the dependencies of the environment running the tests (a venv or the system Python)
through a .pth line naming that environment's site-packages folders: explicitly these, never
whatever the system Python happens to hold.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("planner", "data", "setup.cfg", "pyproject.toml", "README.md")
TIMEOUT = 120


def call(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def copy_project(target: Path) -> Path:
    """A copy to build in, so the build's own folders never land in the working tree."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A venv with the freshly built wheel installed; returns its bin folder and an env."""
    base = tmp_path_factory.mktemp("packaging")
    source = copy_project(base / "src")
    pip_env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    pip = (sys.executable, "-m", "pip")
    wheels = base / "dist"
    call(
        *pip,
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-q",
        "-w",
        wheels,
        source,
        cwd=base,
        env=pip_env,
    )
    (wheel,) = wheels.glob("planner-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "planner/data/mlsys2022.json" in names
    assert "planner/data/mlsys2022-tue-30-aug.txt" in names
    venv = base / "venv"
    call(sys.executable, "-m", "venv", "--without-pip", venv, cwd=base)
    python = venv / "bin" / "python"
    _see_dependencies_of_this_environment(python, base)
    call(
        *pip,
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "-q",
        wheel,
        cwd=base,
        env=pip_env,
    )
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANNER_", "PYTHON"))}
    return venv / "bin", run_env


def _see_dependencies_of_this_environment(python: Path, cwd: Path) -> None:
    """Put this environment's site-packages on the new venv's path, after its own.

    A .pth line only appends the folder: the .pth files inside it (such as the editable
    install of planner under test) are not run, so ``import planner`` finds the wheel.
    """
    folders = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    own = call(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=cwd
    ).strip()
    (Path(own) / "test_dependencies.pth").write_text("\n".join(sorted(folders)) + "\n")


@pytest.mark.slow
def test_installed_planner_runs_from_another_folder(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    where = call(
        bin_dir / "python", "-c", "import planner; print(planner.__file__)", cwd=tmp_path, env=env
    )
    assert Path(where.strip()).is_relative_to(bin_dir.parent), where
    output = call(bin_dir / "planner", "talks", cwd=tmp_path, env=env)
    assert "virtualflow" in output
    assert "VirtualFlow: Decoupling Deep Learning Models from the Underlying Hardware" in output


@pytest.mark.slow
def test_installed_planner_converts_to_berlin(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    output = call(
        bin_dir / "planner", "--tz", "Europe/Berlin", "talks", "--json", cwd=tmp_path, env=env
    )
    by_id = {item["id"]: item for item in json.loads(output)}
    assert by_id["systems-for-ml-2"]["start"] == "2022-08-30T17:45:00+02:00"
