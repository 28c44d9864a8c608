"""One IPython kernel and one nbclient client, reused for many notebooks (in a worker).

Starting a kernel and importing pandas, matplotlib and the library costs more than running a
chapter, so a worker's :class:`KernelSession` runs many notebooks: the kernel imports the warm-up
modules once and is reset to a clean state before every notebook
(:mod:`kunnskapsgrunnlag.publish.run.kernel`). A kernel that dies or hangs past the per-cell
timeout is replaced; the notebook's failure names the cell (:mod:`.failures`).
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.publish.run import failures
from kunnskapsgrunnlag.publish.run.kernel import LibraryStateChanged
from kunnskapsgrunnlag.publish.run.results import CellFailure

KERNEL_NAME = "kg-python"
"""The kernel spec the runner writes for its own Python (``sys.executable -m ipykernel_launcher``)."""


def die_with_parent(sig: int, parent: int) -> None:
    """Ask Linux to send *sig* to this process when its parent (thread) dies.

    ``prctl(PR_SET_PDEATHSIG)``: however ``kg run`` ends (SIGKILL too), its workers and their
    kernels do not outlive it. A parent that is gone already (not *parent* any more) ends this
    process at once. Elsewhere than Linux this does nothing.
    """
    import os
    import signal

    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(sig), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
        return
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL if sig == signal.SIGKILL else sig)


def _kernel_preexec(worker: int) -> Any:
    """The ``preexec_fn`` of a kernel: SIGKILL when its worker dies."""
    import signal

    return lambda: die_with_parent(signal.SIGKILL, worker)


async def _aw(value: Any) -> Any:
    """Await *value* when it is awaitable (jupyter_client mixes sync and async methods)."""
    import inspect

    return await value if inspect.isawaitable(value) else value


class KernelSession:
    """One IPython kernel and one nbclient client, reused for many notebooks (in a worker)."""

    def __init__(
        self, workdir: Path, env: dict[str, str], cell_timeout: float, warm: Sequence[str]
    ) -> None:
        self.workdir = workdir
        self.env = env
        self.cell_timeout = max(1, math.ceil(cell_timeout))
        self.warm = list(warm)
        self.km: Any = None
        self.client: Any = None
        self.language_info: dict[str, Any] | None = None
        self.generation = 0
        self._warm_msg: str | None = None
        self._asked_exit = False
        self._log: Any = None

    # -------------------------------------------------------------- lifecycle
    async def start(self) -> None:
        """Start the kernel and its client; send the warm-up without waiting for it."""
        await self.launch()
        await self.connect()

    def _kernel_specs(self) -> Any:
        """A kernel spec for this very Python (never a user's ``python3`` spec elsewhere)."""
        from jupyter_client.kernelspec import KernelSpecManager

        folder = self.workdir / "kernels" / KERNEL_NAME
        if not (folder / "kernel.json").is_file():
            folder.mkdir(parents=True, exist_ok=True)
            spec = {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (kg run)",
                "language": "python",
                "metadata": {"debugger": False},
            }
            (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        return KernelSpecManager(kernel_dirs=[str(folder.parent)], ensure_native_kernel=False)

    async def launch(self) -> None:
        """Start the kernel process; it boots while the caller does other work."""
        from jupyter_client import AsyncKernelManager

        self.generation += 1
        prefix = self.workdir / f"k{self.generation}"
        self.km = AsyncKernelManager(
            kernel_name=KERNEL_NAME,
            kernel_spec_manager=self._kernel_specs(),
            transport="ipc",
            ip=str(prefix),
        )
        self.km.connection_file = str(self.workdir / f"kernel-{self.generation}.json")
        self._log = open(self._log_path, "ab")  # noqa: SIM115 - closed in stop()
        await self.km.start_kernel(
            env=self.env,
            cwd=str(paths.NOTEBOOKS if paths.NOTEBOOKS.is_dir() else paths.ROOT),
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
            stdout=self._log,
            stderr=self._log,
            preexec_fn=_kernel_preexec(os.getpid()),
        )

    async def connect(self) -> None:
        """Connect the one client to the kernel; send the warm-up without waiting for it."""
        import nbformat
        from nbclient import NotebookClient

        self.client = NotebookClient(
            nbformat.v4.new_notebook(),
            km=self.km,
            timeout=self.cell_timeout,
            kernel_name=KERNEL_NAME,
            startup_timeout=120,
            shutdown_kernel="immediate",
            on_cell_executed=self._on_cell_executed,
        )
        await self.client.async_start_new_kernel_client()
        code = (
            "import kunnskapsgrunnlag.publish.run.kernel as _kg_kernel\n"
            f"_kg_kernel._kernel_warmup({self.warm!r})\n"
            "del _kg_kernel\n"
        )
        self._warm_msg = self.client.kc.execute(code, silent=True, store_history=False)

    async def finish_warmup(self) -> None:
        """Wait for the warm-up (and fetch ``language_info`` for the executed notebooks)."""
        if self._warm_msg is not None:
            msg_id, self._warm_msg = self._warm_msg, None
            await self._wait_reply(msg_id, timeout=max(self.cell_timeout, 120))
        if self.language_info is None:
            reply = await self._wait_reply(self.client.kc.kernel_info(), timeout=60)
            self.language_info = reply["content"].get("language_info")

    @property
    def _log_path(self) -> Path:
        return self.workdir / f"kernel-{self.generation}.log"

    @property
    def pid(self) -> int | None:
        """The kernel's process id (for clean-up by the parent if this worker dies)."""
        prov = getattr(self.km, "provisioner", None)
        proc = getattr(prov, "process", None)
        return getattr(proc, "pid", None)

    async def stop(self) -> None:
        """Shut the kernel down at once and release its resources."""
        km, client = self.km, self.client
        self.km = self.client = None
        try:
            if client is not None and client.kc is not None:
                await _aw(client.kc.stop_channels())
            if km is not None:
                try:
                    if await _aw(km.is_alive()):
                        await _aw(km.shutdown_kernel(now=True))
                finally:
                    await _aw(km.cleanup_resources())
        except Exception:  # noqa: BLE001 - best effort: the kernel may be gone already
            pass
        if self._log is not None:
            self._log.close()
            self._log = None

    async def restart(self) -> None:
        """Replace the kernel (after a death or a hang)."""
        await self.stop()
        await self.start()
        await self.finish_warmup()

    def kernel_log_tail(self, lines: int = 5) -> str:
        """Return the last lines the kernel wrote to its stdout/stderr (for dead kernels)."""
        try:
            text = self._log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return " | ".join(ln.strip() for ln in text.strip().splitlines()[-lines:] if ln.strip())

    # -------------------------------------------------------------- messaging
    async def _wait_reply(self, msg_id: str, timeout: float) -> dict[str, Any]:
        from queue import Empty

        from nbclient.exceptions import DeadKernelError

        deadline = time.monotonic() + timeout
        kc = self.client.kc
        while True:
            try:
                msg = await _aw(kc.get_shell_msg(timeout=1))
            except Empty:
                if not await _aw(kc.is_alive()):
                    raise DeadKernelError("Kernel died") from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no reply from the kernel within {timeout:.0f} s") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    async def _run_silent(self, code: str, timeout: float) -> None:
        reply = await self._wait_reply(
            self.client.kc.execute(code, silent=True, store_history=False), timeout
        )
        content = reply["content"]
        if content.get("ename") == "LibraryStateChanged":
            raise LibraryStateChanged(content.get("evalue"))
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def _on_cell_executed(self, cell: Any, cell_index: int, execute_reply: dict[str, Any]) -> None:
        for payload in execute_reply.get("content", {}).get("payload", []) or []:
            if payload.get("source") == "ask_exit":
                self._asked_exit = True

    # -------------------------------------------------------------- execution
    async def _prepare(self, cwd: Path) -> None:
        """Make sure the kernel is alive and clean before a notebook."""
        from nbclient.exceptions import DeadKernelError

        code = (
            "import kunnskapsgrunnlag.publish.run.kernel as _kg_kernel\n"
            f"_kg_kernel._kernel_reset({str(cwd)!r})\n"
        )
        for attempt in (1, 2):
            try:
                if self.km is None or not await _aw(self.km.is_alive()):
                    await self.restart()
                await self.finish_warmup()
                await self._run_silent(code, timeout=60)
                return
            except (DeadKernelError, TimeoutError, LibraryStateChanged):
                if attempt == 2:
                    raise
                await self.restart()

    async def run_notebook(self, nb: Any, cwd: Path) -> CellFailure | None:
        """Execute every code cell of *nb* (in place) in this kernel; return the failure, if any."""
        try:
            await self._prepare(cwd)
        except Exception as exc:  # noqa: BLE001
            tail = self.kernel_log_tail()
            return CellFailure(
                "setup",
                f"the kernel could not be started or cleaned: {type(exc).__name__}: {exc}"
                + (f" (kernel said: {tail})" if tail else ""),
            )
        if self.language_info:
            nb.metadata["language_info"] = self.language_info
        self.client.nb = nb
        self.client.reset_execution_trackers()
        skip = self.client.skip_cells_with_tag
        count = 0
        for idx, cell in enumerate(nb.cells):
            if not failures.runnable(cell, skip):
                continue
            count += 1
            failure = await self._run_cell(nb, idx, count)
            if failure is not None:
                return failure
        return failures.incomplete(nb, skip)

    async def _run_cell(self, nb: Any, idx: int, count: int) -> CellFailure | None:
        """Execute cell *idx*; a timeout, a dead kernel or ``exit()`` replace the kernel."""
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        self._asked_exit = False
        try:
            await self.client.async_execute_cell(nb.cells[idx], idx, execution_count=count)
        except CellExecutionError as err:
            return failures.raised(err, nb, idx)
        except CellTimeoutError:
            msg = f"the cell ran longer than the cell timeout of {self.cell_timeout} s and was stopped"
            failure = failures.stopped("timeout", "CellTimeoutError", msg, nb, idx)
        except DeadKernelError:
            tail = self.kernel_log_tail()
            msg = "the kernel died while running the cell" + (
                f" (kernel said: {tail})" if tail else ""
            )
            failure = failures.stopped("dead_kernel", "DeadKernelError", msg, nb, idx)
        else:
            if not self._asked_exit:
                return None
            failure = failures.asked_exit(nb, idx)
        await self.restart()
        return failure
