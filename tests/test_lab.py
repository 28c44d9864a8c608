"""`make lab`: JupyterLab starts headless, offline, with an autoreloading kernel that imports the package.

Starts ``python -m kunnskapsgrunnlag.lab`` (what ``make lab`` runs) with ``--no-browser`` on a
free port and a random token, then talks to it as the browser would: REST for the server and
a kernel, the kernel's websocket for code. The server is always shut down (bounded waits).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
import websocket

from kunnskapsgrunnlag import paths

pytestmark = pytest.mark.slow

START_LIMIT = 180.0  # seconds to wait for the server; a bound, not a speed requirement
EXEC_LIMIT = 180.0


class Lab:
    """A running lab server: its process, URL and token."""

    def __init__(self, proc: subprocess.Popen, url: str, token: str, log: Path) -> None:
        self.proc, self.url, self.token, self.log = proc, url.rstrip("/"), token, log
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.url + path, timeout=30)

    def post(self, path: str, body: dict[str, Any] | None = None) -> requests.Response:
        return self.session.post(self.url + path, json=body or {}, timeout=60)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _wait_for_server(proc: subprocess.Popen, runtime: Path, token: str, log: Path) -> str:
    deadline = time.monotonic() + START_LIMIT
    url = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if url is None:
            for info in runtime.glob(f"jpserver-{proc.pid}.json"):
                try:
                    url = json.loads(info.read_text())["url"]
                except (ValueError, KeyError):
                    url = None
        if url is not None:
            try:
                r = requests.get(
                    url + "api/status", headers={"Authorization": f"token {token}"}, timeout=5
                )
                if r.status_code == 200:
                    return url
            except requests.ConnectionError:
                pass
        time.sleep(0.3)
    pytest.fail(
        f"jupyter lab did not answer within {START_LIMIT:.0f} s:\n{log.read_text()[-3000:]}"
    )


def _stop(lab_proc: subprocess.Popen, lab: Lab | None) -> None:
    if lab_proc.poll() is None and lab is not None:
        try:
            lab.post("/api/shutdown")
        except requests.RequestException:
            pass
    try:
        lab_proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(lab_proc.pid, signal.SIGTERM)
        try:
            lab_proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(lab_proc.pid, signal.SIGKILL)
            lab_proc.wait(timeout=15)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lab")
    runtime = tmp / "runtime"
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "IPYTHONDIR": str(tmp / "ipython"),
        "MPLBACKEND": "Agg",  # as `make` exports it; the lab kernel must override it
    }
    log = tmp / "lab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kunnskapsgrunnlag.lab",
                "--no-browser",
                "--allow-root",
                "--port=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.runtime_dir={runtime}",
            ],
            cwd=tmp,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = None
    try:
        url = _wait_for_server(proc, runtime, token, log)
        server = Lab(proc, url, token, log)
        yield server
    finally:
        _stop(proc, server)


class Kernel:
    """One kernel started through the REST API, driven over its websocket."""

    def __init__(self, lab: Lab) -> None:
        r = lab.post("/api/kernels", {"name": "python3"})
        assert r.status_code == 201, r.text
        self.lab, self.id = lab, r.json()["id"]
        ws_url = re.sub(r"^http", "ws", lab.url) + f"/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(
            ws_url, header=[f"Authorization: token {lab.token}"], timeout=EXEC_LIMIT
        )
        self.session = uuid.uuid4().hex

    def run(self, code: str) -> tuple[str, list[dict[str, Any]]]:
        """Execute *code*; return its stdout and any error messages."""
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": "test",
                        "session": self.session,
                        "msg_type": "execute_request",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        stdout, errors = [], []
        deadline = time.monotonic() + EXEC_LIMIT
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream" and msg["content"]["name"] == "stdout":
                stdout.append(msg["content"]["text"])
            elif kind == "error":
                errors.append(msg["content"])
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(stdout), errors
        pytest.fail(f"no answer from the kernel within {EXEC_LIMIT:.0f} s")

    def close(self) -> None:
        self.ws.close()
        self.lab.session.delete(f"{self.lab.url}/api/kernels/{self.id}", timeout=30)


@pytest.fixture(scope="module")
def kernel(lab):
    k = Kernel(lab)
    try:
        yield k
    finally:
        k.close()


def test_kernel_imports_the_package_from_lib(kernel):
    out, errors = kernel.run("import kunnskapsgrunnlag\nprint(kunnskapsgrunnlag.__file__)")
    assert not errors, errors
    path = Path(out.strip())
    assert path.is_relative_to(paths.LIB), f"imported from {path}, not from {paths.LIB}"
    assert path == paths.LIB / "kunnskapsgrunnlag" / "__init__.py"


def test_kernel_reloads_changed_modules(kernel, tmp_path):
    module = tmp_path / "kg_lab_probe.py"
    module.write_text("VALUE = 'first'\n", encoding="utf-8")
    code = f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\nimport kg_lab_probe\nprint(kg_lab_probe.VALUE)"
    out, errors = kernel.run(code)
    assert (out.strip(), errors) == ("first", [])

    module.write_text("VALUE = 'second'\n", encoding="utf-8")
    later = time.time() + 5  # a clearly newer mtime, whatever the file system's resolution
    os.utime(module, (later, later))
    out, errors = kernel.run("print(kg_lab_probe.VALUE)")
    assert (out.strip(), errors) == ("second", [])


def test_kernel_draws_inline_not_with_make_s_agg(kernel):
    out, errors = kernel.run("import os\nprint(os.environ['MPLBACKEND'])")
    assert (out.strip(), errors) == ("module://matplotlib_inline.backend_inline", [])


def test_batch_kernels_started_from_lab_do_not_autoreload(kernel):
    code = (
        "import nbformat, nbclient\n"
        "probe = \"print(any('autoreload' in e for e in get_ipython().extension_manager.loaded))\"\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(probe)])\n"
        "nbclient.NotebookClient(nb, kernel_name='python3', timeout=120).execute()\n"
        "print('nested', nb.cells[0].outputs[0]['text'].strip())\n"
        "print('here', any('autoreload' in e for e in get_ipython().extension_manager.loaded))"
    )
    out, errors = kernel.run(code)
    assert not errors, errors
    assert out.split("\n")[:2] == ["nested False", "here True"]


def test_lab_kernel_is_the_project_kernel(lab):
    specs = lab.get("/api/kernelspecs").json()
    assert specs["default"] == "python3"
    spec = specs["kernelspecs"]["python3"]["spec"]
    assert spec["display_name"] == "Python 3 (kunnskapsgrunnlag)"
    assert spec["argv"][0] == sys.executable


def test_lab_opens_in_notebooks_and_stays_offline(lab):
    page = lab.get("/lab")
    assert page.status_code == 200
    assert re.search(r'"preferredPath":\s*"/?notebooks"', page.text)
    assert lab.get("/lab/api/news").json() == {"news": []}
    assert lab.get("/lab/api/update").json() == {"notification": None}
    settings = lab.get("/lab/api/settings/@jupyterlab/apputils-extension:notification").json()
    assert settings["schema"]["properties"]["fetchNews"]["default"] == "false"
    assert "Extension Manager is 'readonly'" in lab.log_text()


def test_lab_needs_the_token(lab):
    r = requests.get(lab.url + "/api/kernels", timeout=30)
    assert r.status_code == 403
    assert "127.0.0.1" in lab.url
