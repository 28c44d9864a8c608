"""The sliding-window throttle for SSB requests, shared by every process on the machine.

SSB allows 30 requests per 60 s per IP address. A batch is several processes (``kg run --live``
has worker processes; several ``kg fetch`` in a row are separate processes), so a per-process
count is not enough: the window is kept in a small state file (JSON list of the wall-clock times
of recent sends) under an exclusive ``fcntl.flock``. Each process takes the lock, drops times
older than the window, and either records its send or sleeps (without the lock) until the oldest
time leaves the window.

The file is ``$KG_RATELIMIT_FILE`` when set, else ``kunnskapsgrunnlag-ssb-ratelimit.json`` in
:func:`tempfile.gettempdir` (one per machine). A damaged or unreadable state is treated as empty
(at worst one burst); times more than one window in the future (the clock was set back) are
dropped. Where ``fcntl`` is missing (Windows) the lock is a no-op and only threads of one process
are coordinated.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

MAX_REQUESTS = 29
"""Sends allowed in any window: SSB's 30 per 60 s, one kept in reserve for clock drift."""

WINDOW = 60.0
"""The window in seconds."""

STATE_FILE_NAME = "kunnskapsgrunnlag-ssb-ratelimit.json"


def default_state_file() -> Path:
    """Return ``$KG_RATELIMIT_FILE`` when set, else the per-machine file in the temp folder."""
    env = os.environ.get("KG_RATELIMIT_FILE")
    return Path(env) if env else Path(tempfile.gettempdir()) / STATE_FILE_NAME


class Throttle:
    """Sliding-window rate limit: at most *max_requests* sends in any *window* seconds.

    With a *state_file* the window is shared by every process that uses the same file (the
    default for :class:`~kunnskapsgrunnlag.data.client.SSBClient`); without one it is kept in this
    object only. Clock and sleep are injectable so tests run on a fake clock; with a state file the
    clock must be wall time (``time.time``), since other processes read the times.
    """

    def __init__(
        self,
        max_requests: int = MAX_REQUESTS,
        window: float = WINDOW,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        state_file: str | os.PathLike[str] | None = None,
    ) -> None:
        if max_requests < 1 or window <= 0:
            raise ValueError("max_requests must be >= 1 and window > 0")
        self.max_requests = max_requests
        self.window = window
        self.clock = clock
        self.sleep = sleep
        self.state_file = Path(state_file) if state_file is not None else None
        self._local: list[float] = []
        self._lock = threading.Lock()
        self.history: list[float] = []
        """Clock times of every send this object granted (for tests and benchmarks)."""

    def acquire(self) -> float:
        """Block until a send is allowed, record it, and return the seconds waited."""
        waited = 0.0
        with self._lock:
            while True:
                with self._stamps() as stamps:
                    now = self.clock()
                    stamps[:] = sorted(
                        s for s in stamps if now - self.window < s <= now + self.window
                    )
                    if len(stamps) < self.max_requests:
                        stamps.append(now)
                        self.history.append(now)
                        return waited
                    wait = stamps[0] + self.window - now
                self.sleep(wait)  # without the file lock: other processes may go on
                waited += wait

    @contextlib.contextmanager
    def _stamps(self) -> Iterator[list[float]]:
        """Yield the recent send times to read and change; shared ones are written back."""
        if self.state_file is None:
            yield self._local
            return
        try:
            fd = _open_state(self.state_file)
        except OSError:
            yield self._local  # no usable state file: coordinate this process only
            return
        with os.fdopen(fd, "r+b") as fh:
            _lock(fh.fileno())
            try:
                stamps = _parse(fh.read())
                yield stamps
                fh.seek(0)
                fh.truncate()
                fh.write(json.dumps(stamps).encode())
                fh.flush()
            finally:
                _unlock(fh.fileno())


def _open_state(path: Path) -> int:
    """Open (creating) the state file for reading and writing; new files are shared (0666)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return os.open(path, os.O_RDWR)
    with contextlib.suppress(OSError):
        os.fchmod(fd, 0o666)  # other users on the machine share the same IP address
    return fd


def _parse(raw: bytes) -> list[float]:
    try:
        data = json.loads(raw or b"[]")
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [float(s) for s in data if isinstance(s, int | float)]


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    fcntl.flock(fd, fcntl.LOCK_UN)
