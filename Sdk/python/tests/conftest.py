"""A real `radmah serve` on free loopback ports for the whole session, and accounts made through
`radmah admin`, as an operator makes them."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator, List

import pytest

REPO = Path(__file__).resolve().parents[3]
SDK_SOURCE = REPO / "Sdk" / "python" / "src"
sys.path.insert(0, str(SDK_SOURCE))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from radmah_sdk import RadMahClient  # noqa: E402


def radmah_command() -> List[str]:
    """The CLI: the built radmah.dll when ./test.sh names it, else the ./radmah script (which builds it)."""
    dll = os.environ.get("RADMAH_CLI_DLL")
    if dll:
        return ["dotnet", dll]
    return [str(REPO / "radmah")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Node:
    def __init__(self, data: Path) -> None:
        self.http_port, self.grpc_port, self.cluster_port = free_port(), free_port(), free_port()
        self.base_url = f"http://127.0.0.1:{self.http_port}"
        self.log = data / "node.log"
        command = radmah_command() + [
            "serve", "--data", str(data / "node"),
            "--http-port", str(self.http_port), "--grpc-port", str(self.grpc_port),
            "--dashboard-port", str(free_port()), "--silo-port", str(free_port()),
            "--cluster-port", str(self.cluster_port), "--cluster-id", f"pytest-{os.getpid()}",
        ]
        self._log_file = open(self.log, "wb")
        self.process = subprocess.Popen(command, stdout=self._log_file, stderr=subprocess.STDOUT, cwd=str(data))
        deadline = time.monotonic() + 180
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"radmah serve exited with {self.process.returncode}:\n{self.log.read_text(errors='replace')[-4000:]}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("radmah serve did not become healthy within 180 s")
            time.sleep(0.3)

    def admin(self, *args: str) -> dict:
        result = subprocess.run(
            radmah_command() + ["admin", "--cluster-port", str(self.cluster_port), "--cluster-id", f"pytest-{os.getpid()}", *args, "--json"],
            capture_output=True, text=True, timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"radmah admin {' '.join(args)} failed ({result.returncode}): {result.stderr or result.stdout}")
        return json.loads(result.stdout)

    def new_key(self, plan: str = "pro", credits: float = 100) -> str:
        return str(self.admin("accounts", "create", "--plan", plan, "--credits", str(credits))["api_key"])

    def client(self, plan: str = "pro", credits: float = 100, **options: object) -> RadMahClient:
        return RadMahClient(api_key=self.new_key(plan, credits), base_url=self.base_url, **options)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


@pytest.fixture(scope="session")
def node() -> Iterator[Node]:
    data = Path(tempfile.mkdtemp(prefix="radmah-pytest-"))
    started = Node(data)
    try:
        yield started
    finally:
        started.stop()
        if os.environ.get("RADMAH_KEEP_LOGS") != "1":
            shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def api_key(node: Node) -> str:
    """One pro account with room for every test that only needs to run jobs."""
    return node.new_key("pro", 1000)


@pytest.fixture()
def client(node: Node, api_key: str) -> RadMahClient:
    return RadMahClient(api_key=api_key, base_url=node.base_url)


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Runs the test in its own directory, so the page's relative file names land there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
