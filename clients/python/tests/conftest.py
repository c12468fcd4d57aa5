"""A real host for the tests: the built src/PGenRM.Host (Release) started as README.md runs it, with a temporary data
folder, free loopback ports and its own embedded Azurite; stopped with SIGTERM at the end of the session."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
HOST_DLL = Path(os.environ.get("PGENRM_HOST_DLL", ROOT / "src/PGenRM.Host/bin/Release/net10.0/linux-x64/PGenRM.Host.dll"))
ADMIN_KEY = "python-admin-key-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Host:
    def __init__(self) -> None:
        if not HOST_DLL.exists():
            raise RuntimeError(f"The host is not built: {HOST_DLL} (dotnet build -c Release first)")
        self.data = tempfile.mkdtemp(prefix="pgenrm-python-")
        self.url = f"http://127.0.0.1:{free_port()}"
        self.output: list[str] = []
        self.process = subprocess.Popen(
            ["dotnet", str(HOST_DLL), "--urls", self.url, f"--PGenRM:DataDirectory={self.data}", f"--PGenRM:AdminKey={ADMIN_KEY}",
             "--PGenRM:AzuriteBlobPort=0", "--PGenRM:AzuriteQueuePort=0", "--PGenRM:AzuriteTablePort=0",
             f"--PGenRM:SiloPort={free_port()}", f"--PGenRM:GatewayPort={free_port()}", "--Logging:LogLevel:Default=Warning"],
            cwd=self.data, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + 180
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"The host exited ({self.process.returncode}):\n{self.text}")
            try:
                # "PGenRM listening on" follows the demo key line; readiness may answer before both.
                if httpx.get(self.url + "/health/ready", timeout=5).status_code == 200 and "PGenRM listening on" in self.text:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError(f"The host was not ready within 180 s:\n{self.text}")
            time.sleep(0.25)
        match = re.search(r"demo tenant 'demo' created; its API key[^:]*: (\S+)", self.text)
        if not match:
            self.process.kill()
            raise RuntimeError(f"No demo key printed:\n{self.text}")
        self.demo_key = match.group(1)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    @property
    def text(self) -> str:
        return "".join(self.output)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        shutil.rmtree(self.data, ignore_errors=True)
        return code


@pytest.fixture(scope="session")
def host():
    h = Host()
    yield h
    assert h.stop() == 0, "the host exits 0 on SIGTERM"
