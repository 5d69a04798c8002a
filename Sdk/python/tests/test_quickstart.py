"""docs/examples/quickstart.py runs against the node as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SDK_SOURCE


def test_the_quickstart_example_runs_to_its_end(node, api_key, tmp_path: Path) -> None:
    env = dict(os.environ, RADMAH_API_KEY=api_key, RADMAH_BASE_URL=node.base_url, PYTHONPATH=str(SDK_SOURCE), MPLBACKEND="Agg")
    result = subprocess.run([sys.executable, str(REPO / "docs" / "examples" / "quickstart.py")], capture_output=True, text=True, timeout=300, cwd=str(tmp_path), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "succeeded" in result.stdout
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "matplotlib is not installed" in result.stdout
    else:
        assert (tmp_path / "amount.png").stat().st_size > 1000
