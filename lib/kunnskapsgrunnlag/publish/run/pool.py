"""Worker processes (:class:`Pool`) and a background thread (:class:`Background`).

Each worker owns one kernel (:mod:`kunnskapsgrunnlag.publish.run.worker`); counties are handed
out one at a time, so a long county does not hold up the others. A worker that dies fails the
county it was running (and its kernel is killed); when no worker is left, the remaining counties
fail with that reason. Every county is recorded in the run manifest before it is handed out and
when its result arrives (:class:`~kunnskapsgrunnlag.publish.run.journal.Journal`).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from kunnskapsgrunnlag.publish.run.journal import Journal
from kunnskapsgrunnlag.publish.run.progress import Progress
from kunnskapsgrunnlag.publish.run.results import CellFailure, CountyResult, county_from_wire
from kunnskapsgrunnlag.publish.run.worker import worker_main


def mp_context() -> Any:
    """Fork when this process has no other thread (fast); spawn otherwise (safe)."""
    import multiprocessing as mp

    methods = mp.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context("spawn")


def kill_pid(pid: int | None) -> None:
    """Kill process *pid* (a kernel left behind by a dead worker), if it is still there."""
    if not pid:
        return
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


STOP_SIGNALS = ("SIGTERM", "SIGHUP")
"""Signals that stop a run as Ctrl-C does (a CI cancel, a closed terminal)."""


def _stop(signum: int, _frame: Any) -> None:
    import signal

    for name in STOP_SIGNALS:  # the clean shutdown must not be interrupted by a second signal
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    print(f"kg run: stopped by {signal.Signals(signum).name}", file=sys.stderr, flush=True)
    raise SystemExit(128 + signum)


def stop_on_signals() -> dict[int, Any]:
    """While workers run, SIGTERM and SIGHUP stop the run cleanly (exit status 128 + signal).

    The workers are stopped and their kernels shut down, as after Ctrl-C. Returns the previous
    handlers (only the main thread can set handlers; elsewhere nothing changes).
    """
    import signal

    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}
    for name in STOP_SIGNALS:
        if hasattr(signal, name):
            sig = getattr(signal, name)
            old[sig] = signal.signal(sig, _stop)
    return old


def restore_signals(old: dict[int, Any]) -> None:
    """Put back the handlers :func:`stop_on_signals` replaced."""
    import signal

    for sig, handler in old.items():
        signal.signal(sig, handler)
    old.clear()


class Pool:
    """Worker processes, each with one kernel; counties are handed out one at a time."""

    def __init__(self, cfg: dict[str, Any], n: int) -> None:
        ctx = mp_context()
        cfg = {**cfg, "parent_pid": os.getpid()}  # workers die with this process
        self._signals = stop_on_signals()
        self.result_q = ctx.Queue()
        self.workers: dict[int, dict[str, Any]] = {}
        for wid in range(n):
            q = ctx.Queue()
            proc = ctx.Process(
                target=worker_main,
                args=(wid, q, self.result_q, cfg),
                name=f"kg-worker-{wid}",
                daemon=True,
            )
            proc.start()
            self.workers[wid] = {
                "proc": proc,
                "q": q,
                "current": None,
                "kernel": None,
                "closed": False,
            }
        self.todo: list[dict[str, Any]] = []
        self.by_code: dict[str, dict[str, Any]] = {}
        self.results: dict[str, CountyResult] = {}
        self.progress: Any = None
        """The :class:`Progress` of the current :meth:`run`."""
        self.journal: Journal | None = None
        """Where the current :meth:`run` records each county as it starts and finishes."""

    def run(
        self, tasks: list[dict[str, Any]], progress: Progress, journal: Journal | None = None
    ) -> dict[str, CountyResult]:
        """Run *tasks* (one per county); return the results by county code."""
        from queue import Empty

        self.todo = list(tasks)
        self.by_code = {t["code"]: t for t in tasks}
        self.results = {}
        self.progress, self.journal = progress, journal
        for wid, w in self.workers.items():
            if w.get("ready") and w["current"] is None:
                self._assign(wid)
        while len(self.results) < len(tasks):
            try:
                msg = self.result_q.get(timeout=0.5)
            except Empty:
                self._check_dead()
                continue
            self._handle(*msg)
        return self.results

    def _assign(self, wid: int) -> None:
        """Hand worker *wid* the next county, or tell it to stop when there is none."""
        w = self.workers[wid]
        if self.todo:
            task = self.todo.pop(0)
            if self.journal is not None:  # recorded before the worker can write its report
                self.journal.started(task["code"])
            w["current"] = task["code"]
            w["q"].put(task)
        elif not w["closed"]:
            w["current"] = None
            w["closed"] = True
            w["q"].put(None)

    def _fail(self, code: str, why: str) -> None:
        """County *code* fails without a result from its worker."""
        p = self.by_code[code]["params"]
        res = CountyResult(
            p.county_code,
            p.county_name,
            p.stem,
            "failed",
            failure=CellFailure("setup", why),
            reason=self.by_code[code]["reason"],
        )
        self._record(code, res)

    def _record(self, code: str, res: CountyResult) -> None:
        """County *code* is finished: record it in the manifest, then show it."""
        self.results[code] = res
        if self.journal is not None:
            self.journal.finished(code, res)
        self.progress.finished(res)

    def _check_dead(self) -> None:
        """Fail the county of every worker that died; all dead: fail the counties left."""
        for w in self.workers.values():
            proc = w["proc"]
            if proc.is_alive() or w.get("dead"):
                continue
            w["dead"] = True
            kill_pid(w["kernel"])
            code = w["current"]
            if code and code not in self.results:
                self._fail(code, f"the worker process died (exit code {proc.exitcode})")
        if all(w.get("dead") for w in self.workers.values()):
            for t in self.todo:
                self._fail(t["code"], "no worker process left to run it")
            self.todo.clear()

    def _handle(self, wid: int, kind: str, *rest: Any) -> None:
        """One message from worker *wid*: ready, start, chapter or done."""
        w = self.workers[wid]
        if kind == "ready":
            w["kernel"] = rest[0]
            w["ready"] = True
            self._assign(wid)
        elif kind == "start":
            self.progress.started(rest[0], self.by_code[rest[0]]["params"].county_name)
        elif kind == "chapter":
            self.progress.chapter(rest[0], rest[1])
        elif kind == "done":
            code, wire, kernel_pid = rest
            w["kernel"] = kernel_pid
            self._record(code, county_from_wire(wire))
            w["current"] = None
            self._assign(wid)

    def close(self, graceful: bool = True) -> None:
        """Stop every worker (each shuts its kernel down); kill what does not stop.

        ``graceful=False`` (an interrupt) does not wait for running notebooks: the workers are
        terminated at once and shut their kernels down on the way out.
        """
        try:
            self._stop_workers(graceful)
        finally:
            restore_signals(self._signals)

    def _stop_workers(self, graceful: bool) -> None:
        workers = self.workers.values()
        for w in workers:
            if not w["closed"] and w["proc"].is_alive():
                w["closed"] = True
                w["q"].put(None)
            if not graceful and w["proc"].is_alive():
                w["proc"].terminate()
        deadline = time.monotonic() + (15 if graceful else 5)
        for w in workers:
            w["proc"].join(timeout=max(0.1, deadline - time.monotonic()))
        for w in workers:
            if w["proc"].is_alive():
                w["proc"].terminate()
                w["proc"].join(timeout=5)
            if w["proc"].is_alive():
                w["proc"].kill()
                w["proc"].join(timeout=5)
            if w["proc"].exitcode not in (0, None):
                kill_pid(w["kernel"])


class Background:
    """Run a function in a thread (the parent is idle while the workers run); keep its error."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.func = func
        self.args = args
        self.error: str | None = None
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        """Call the function here (in this thread); keep its error."""
        try:
            self.func(*self.args)
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            self.error = f"{type(exc).__name__}: {exc}"

    def start(self) -> None:
        """Call the function in a thread."""
        self.thread = threading.Thread(target=self.run, name="kg-indicators", daemon=True)
        self.thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread (if it was started)."""
        if self.thread is not None:
            self.thread.join(timeout)
