"""pip install ./Sdk/python into a fresh virtual environment, offline, and import it from elsewhere."""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path

from conftest import REPO


def test_the_package_installs_offline_into_a_fresh_venv_and_imports_from_outside_the_repository(tmp_path: Path) -> None:
    # A copy, as a clean checkout has it: pip builds in the source tree, which must stay clean.
    source = tmp_path / "radmah-sdk"
    shutil.copytree(REPO / "Sdk" / "python", source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".pytest_cache"))
    environment = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False, symlinks=True).create(environment)
    python = environment / "bin" / "python"
    # pip comes from the system (python3-pip); --no-index keeps it off the network.
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "--no-build-isolation", "--disable-pip-version-check", str(source)],
        capture_output=True, text=True, timeout=300, cwd=str(tmp_path),
    )
    assert install.returncode == 0, install.stdout + install.stderr
    probe = subprocess.run(
        [str(python), "-c", "import radmah_sdk, pathlib; p = pathlib.Path(radmah_sdk.__file__).parent; "
         "print(radmah_sdk.__version__); print(p); print((p / 'py.typed').exists()); print(radmah_sdk.RadMahClient.__name__)"],
        capture_output=True, text=True, timeout=60, cwd=str(tmp_path),
    )
    assert probe.returncode == 0, probe.stderr
    version, location, typed, name = probe.stdout.split()
    assert version == "0.1.0"
    assert Path(location).resolve().is_relative_to(environment.resolve())
    assert typed == "True" and name == "RadMahClient"
