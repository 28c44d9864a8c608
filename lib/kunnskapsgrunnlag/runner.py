"""``kg run``: validate, execute the chapter notebooks for every county, publish the reports.

One function does the work (:func:`run`, returning a :class:`RunResult`); ``kg run`` and
``make reports`` are thin wrappers over it (:func:`run_cli`). A run:

1. validates **every** parameter file (:func:`kunnskapsgrunnlag.params.load_all`); one invalid
   file means exit status 2 and nothing runs;
2. compares each county's fingerprint (chapter notebook bytes, parameter file bytes, data
   snapshot, library version and source) with the last run manifest and skips the counties whose
   report is up to date (``force=True`` overrides). A run where everything is up to date imports
   neither papermill nor nbclient and starts no kernel;
3. with ``live=True``, fetches every live query once in this process
   (:func:`kunnskapsgrunnlag.data.snapshot.prefetch`), so the workers find the answers in the disk
   cache and never ask SSB themselves;
4. starts *jobs* worker processes. Each worker owns **one** IPython kernel and **one** client and
   runs the chapters of one county after another in it: parameters are injected with papermill's
   ``parameterize_notebook``, the kernel's state is cleaned before every notebook (user
   namespace, matplotlib figures and rcParams, pandas options, numpy error settings, warnings
   filters, ``sys.argv``, ``sys.path``, environment, working directory) and imports are paid once
   per kernel. A kernel that dies or hangs past the per-cell timeout is replaced;
5. builds the county report in the worker (:func:`kunnskapsgrunnlag.report.build_county_report`)
   only when every chapter ran to the end; a failed county keeps its previous report and its
   executed notebooks (with the error) for the analyst;
6. writes the run manifest, the portal page and ``indicators.csv``, all atomically.

Exit status: 0 when every county was built or up to date, 1 when any county (or the
portal/indicators step) failed, 2 for invalid input (nothing was run).
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kunnskapsgrunnlag import paths

if TYPE_CHECKING:  # pragma: no cover
    from kunnskapsgrunnlag.contents import ChapterSpec
    from kunnskapsgrunnlag.params import CountyParameters

DEFAULT_CELL_TIMEOUT = 300.0
"""Seconds a single cell may run before its county fails (``$KG_CELL_TIMEOUT`` overrides)."""

KERNEL_ENV: dict[str, str] = {
    "MPLBACKEND": "Agg",
    "PYTHONWARNINGS": "ignore",
    "TQDM_DISABLE": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
"""Environment every kernel gets, so no warning or progress bar reaches an executed notebook."""

WARM_MODULES: tuple[str, ...] = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "kunnskapsgrunnlag.publish",
)
"""Modules every kernel imports before its first notebook (plus those the chapters import)."""

MANIFEST_SCHEMA = 1

KERNEL_NAME = "kg-python"
"""The kernel spec the runner writes for its own Python (``sys.executable -m ipykernel_launcher``)."""

_STATUS_WORD = {"ok": "ok", "failed": "FAILED", "up-to-date": "up to date"}


# =============================================================================================
# Results
# =============================================================================================
@dataclass
class CellFailure:
    """Why and where a chapter notebook failed.

    ``kind`` is one of ``error`` (a cell raised), ``exit`` (``sys.exit``/``exit()`` stopped the
    notebook early), ``timeout`` (a cell ran longer than the cell timeout), ``dead_kernel`` (the
    kernel process died), ``incomplete`` (cells were left unexecuted), ``setup`` (the notebook
    could not be read, parameterised or started) or ``report`` (building the HTML failed).
    """

    kind: str
    message: str
    cell_index: int | None = None
    """0-based index of the cell in the executed notebook (``None`` when no cell is to blame)."""
    cell_source: str | None = None
    """First non-empty line of the failing cell's source."""
    ename: str | None = None
    evalue: str | None = None

    @property
    def cell_number(self) -> int | None:
        """1-based position of the failing cell in the executed notebook."""
        return None if self.cell_index is None else self.cell_index + 1

    def describe(self) -> str:
        """One line for a person: the cell and what went wrong."""
        where = ""
        if self.cell_index is not None:
            where = f"cell {self.cell_number}"
            if self.cell_source:
                where += f" `{self.cell_source}`"
            where += ": "
        return where + self.message


@dataclass
class ChapterResult:
    """The outcome of one chapter notebook for one county."""

    id: str
    notebook: str
    """The executed notebook (relative to the outputs folder when inside it)."""
    status: str
    duration_s: float
    failure: CellFailure | None = None
    stderr_outputs_removed: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the run manifest."""
        d = asdict(self)
        if self.failure is not None:
            d["failure"]["cell_number"] = self.failure.cell_number
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ChapterResult:
        """Inverse of :meth:`to_dict`."""
        failure = d.get("failure")
        if failure:
            failure = {k: v for k, v in failure.items() if k != "cell_number"}
            failure = CellFailure(**failure)
        return cls(
            id=d["id"],
            notebook=d["notebook"],
            status=d["status"],
            duration_s=d["duration_s"],
            failure=failure,
            stderr_outputs_removed=d.get("stderr_outputs_removed", 0),
        )


@dataclass
class CountyResult:
    """The outcome of one county in this run."""

    code: str
    name: str
    stem: str
    status: str
    """``ok`` (report built), ``failed`` or ``up-to-date`` (skipped: nothing changed)."""
    duration_s: float = 0.0
    chapters: list[ChapterResult] = field(default_factory=list)
    report: str | None = None
    failure: CellFailure | None = None
    """A county-level failure (report building, worker crash); chapter failures are per chapter."""
    reason: str = ""
    """Why the county was executed (``first run``, ``forced``, ``changed: …``) or skipped."""
    headline: list[tuple[str, str]] | None = None
    """Key figures for the portal (label, formatted value), computed in the county's kernel."""

    @property
    def failures(self) -> list[tuple[str | None, CellFailure]]:
        """Every failure of the county as (chapter id or ``None``, failure)."""
        out: list[tuple[str | None, CellFailure]] = [
            (c.id, c.failure) for c in self.chapters if c.failure is not None
        ]
        if self.failure is not None:
            out.append((None, self.failure))
        return out

    def describe_failures(self) -> list[str]:
        """One line per failure: the chapter, the cell and the error."""
        lines = []
        for chapter_id, f in self.failures:
            nb = next((c.notebook for c in self.chapters if c.id == chapter_id), None)
            head = f"chapter {chapter_id}" if chapter_id else "county"
            lines.append(f"{head}: {f.describe()}" + (f" [{nb}]" if nb and chapter_id else ""))
        return lines


@dataclass
class RunResult:
    """What :func:`run` did."""

    exit_code: int
    counties: list[CountyResult] = field(default_factory=list)
    """Every selected county: executed ones and ``up-to-date`` ones."""
    errors: list[str] = field(default_factory=list)
    """Problems outside a county: invalid input, prefetch, portal, indicators."""
    duration_s: float = 0.0
    manifest: Path | None = None
    portal: Path | None = None
    indicators: Path | None = None

    @property
    def executed(self) -> list[CountyResult]:
        """Counties that ran in this run."""
        return [c for c in self.counties if c.status != "up-to-date"]

    @property
    def skipped(self) -> list[CountyResult]:
        """Counties that were up to date and did not run."""
        return [c for c in self.counties if c.status == "up-to-date"]

    @property
    def failed(self) -> list[CountyResult]:
        """Counties that failed."""
        return [c for c in self.counties if c.status == "failed"]

    def county(self, code: str) -> CountyResult:
        """Return the result of county *code*."""
        return next(c for c in self.counties if c.code == code)


# =============================================================================================
# Configuration helpers
# =============================================================================================
class RunInputError(Exception):
    """Invalid input to :func:`run` (exit status 2, nothing runs)."""


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_cell_timeout(cell_timeout: float | None = None) -> float:
    """Return the per-cell timeout: the argument, else ``$KG_CELL_TIMEOUT``, else 300 s."""
    if cell_timeout is None:
        raw = os.environ.get("KG_CELL_TIMEOUT", "").strip()
        if not raw:
            return DEFAULT_CELL_TIMEOUT
        try:
            cell_timeout = float(raw)
        except ValueError:
            raise RunInputError(f"KG_CELL_TIMEOUT={raw!r}: expected a number of seconds") from None
        source = "KG_CELL_TIMEOUT"
    else:
        source = "cell_timeout"
    if not cell_timeout > 0 or math.isinf(cell_timeout):
        raise RunInputError(
            f"{source}: expected a positive number of seconds, got {cell_timeout!r}"
        )
    return float(cell_timeout)


def _normalise_codes(counties: Sequence[str] | None) -> list[str] | None:
    if not counties:
        return None
    out = []
    for c in counties:
        code = str(c).strip()
        if code.isdigit() and len(code) == 1:
            code = code.zfill(2)
        if code not in out:
            out.append(code)
    return out


@dataclass(frozen=True)
class _Outputs:
    root: Path

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def indicators(self) -> Path:
        return self.root / "indicators.csv"

    @property
    def portal(self) -> Path:
        return self.reports / "index.html"

    def rel(self, p: Path | str) -> str:
        p = Path(p)
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(p)


# =============================================================================================
# Fingerprints (incremental runs)
# =============================================================================================
def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def library_hash() -> str:
    """Return a sha256 over the library's source files (``lib/kunnskapsgrunnlag``, without caches)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts or p.suffix in {".pyc", ".pyo"}:
            continue
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(_sha(p.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def data_hash() -> str:
    """Return a sha256 over the data the chapters read.

    That is the snapshot manifest (which holds every snapshot file's sha256) and the KLASS and
    Kartverket files.
    """
    h = hashlib.sha256()
    manifest = paths.SNAPSHOT_MANIFEST
    h.update(
        b"manifest:" + (_sha(manifest.read_bytes()).encode() if manifest.is_file() else b"missing")
    )
    for folder in (paths.KLASS, paths.KART):
        if not folder.is_dir():
            continue
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(paths.DATA).as_posix().encode() + b"\0")
                h.update(_sha(p.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def _package_version() -> str:
    from kunnskapsgrunnlag import __version__

    return __version__


def git_commit() -> str:
    """Return the project's git commit (``git rev-parse HEAD``), or ``"unknown"``."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else "unknown"


def _fingerprint_parts(
    param_file: Path,
    chapter_hashes: list[list[str]],
    common: dict[str, str],
) -> dict[str, Any]:
    return {
        "chapters": chapter_hashes,
        "parameters": _sha(param_file.read_bytes()),
        **common,
    }


def _fingerprint(parts: dict[str, Any]) -> str:
    return _sha(json.dumps(parts, sort_keys=True).encode())[:32]


def _why_run(
    prev: dict[str, Any] | None,
    parts: dict[str, Any],
    fingerprint: str,
    report: Path,
    force: bool,
) -> str | None:
    """Return why the county must run, or ``None`` when it is up to date."""
    if force:
        return "forced"
    if not prev:
        return "first run"
    if prev.get("status") != "ok":
        return "previous run failed"
    if not report.is_file():
        return "report missing"
    if prev.get("fingerprint") == fingerprint:
        return None
    old = prev.get("fingerprint_parts") or {}
    changed = []
    old_ch = {c[0]: c[1] for c in old.get("chapters", [])}
    new_ch = {c[0]: c[1] for c in parts["chapters"]}
    if list(old_ch) != list(new_ch):
        changed.append("chapter list")
    changed += [f"chapter {cid}" for cid, h in new_ch.items() if cid in old_ch and old_ch[cid] != h]
    for key, label in (
        ("parameters", "parameter file"),
        ("data", "data"),
        ("library", "library"),
        ("data_source", "data source"),
    ):
        if old.get(key) != parts.get(key):
            changed.append(label)
    return "changed: " + ", ".join(changed or ["fingerprint"])


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# =============================================================================================
# Warm-up modules: what the chapters import
# =============================================================================================
def notebook_imports(notebook: Path) -> list[str]:
    """Return the modules a notebook's code cells import (``import x`` / ``from x import y``).

    ``from pkg import name`` also lists ``pkg.name`` (it may be a submodule). Lines starting
    with ``%`` or ``!`` (IPython magics) are ignored; cells that do not parse are skipped.
    """
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    mods: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        src = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                mods.append(node.module)
                mods += [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
    return list(dict.fromkeys(mods))


# =============================================================================================
# Kernel side: run inside the IPython kernel (light imports only)
# =============================================================================================
_KERNEL_BASELINE: dict[str, Any] = {}


def _kernel_warmup(modules: Sequence[str]) -> list[str]:
    """Import *modules* once and remember the kernel's clean state (runs inside the kernel).

    Returns the modules that could not be imported (a chapter that needs one fails with its
    own, clearer error).
    """
    import importlib
    import warnings

    failed = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a submodule guess or a broken module
                failed.append(name)
    _KERNEL_BASELINE.update(
        argv=list(sys.argv),
        path=list(sys.path),
        environ=dict(os.environ),
        filters=list(warnings.filters),
    )
    if "numpy" in sys.modules:
        np = sys.modules["numpy"]
        _KERNEL_BASELINE["np_err"] = np.geterr()
        _KERNEL_BASELINE["np_print"] = np.get_printoptions()
    return failed


def _kernel_reset(cwd: str) -> None:
    """Return the kernel to a clean state before the next notebook (runs inside the kernel).

    Clears the user namespace (``%reset -f``), closes every matplotlib figure and restores
    matplotlib's default rcParams (backend Agg), resets every pandas option, restores numpy's
    error and print settings, the warnings filters, ``sys.argv``, ``sys.path`` and the
    environment as they were after the warm-up, changes to *cwd* and restarts the execution
    count. Imported modules stay (that is the point of reusing the kernel).
    """
    import warnings

    from IPython import get_ipython

    ip = get_ipython()
    if ip is not None:
        # %reset runs two full garbage collections (0.1-0.3 s each with pandas and matplotlib
        # loaded); skip them, Python's automatic collector still frees cyclic garbage later.
        import gc

        collect = gc.collect
        gc.collect = lambda *args, **kwargs: 0
        try:
            ip.run_line_magic("reset", "-f")
        finally:
            gc.collect = collect
        ip.execution_count = 1
    base = _KERNEL_BASELINE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "matplotlib" in sys.modules:
            mpl = sys.modules["matplotlib"]
            if "matplotlib.pyplot" in sys.modules:
                sys.modules["matplotlib.pyplot"].close("all")
            mpl.rcdefaults()
            mpl.use("Agg")
        if "pandas" in sys.modules:
            sys.modules["pandas"].reset_option("all")
        if "numpy" in sys.modules and "np_err" in base:
            np = sys.modules["numpy"]
            np.seterr(**base["np_err"])
            np.set_printoptions(**base["np_print"])
    if "argv" in base:
        sys.argv[:] = base["argv"]
        sys.path[:] = base["path"]
        for key in [k for k in os.environ if k not in base["environ"]]:
            del os.environ[key]
        for key, value in base["environ"].items():
            if os.environ.get(key) != value:
                os.environ[key] = value
        warnings.filters[:] = base["filters"]
        warnings._filters_mutated()  # type: ignore[attr-defined]
    os.chdir(cwd)


def _kernel_headline(county_code: str, lang: str, data_source: str) -> str:
    """Return the portal's key figures for a county as JSON (runs inside the kernel).

    The kernel has the data loaded already, so this costs next to nothing there.
    """
    from kunnskapsgrunnlag.population import headline_figures

    return json.dumps([list(pair) for pair in headline_figures(county_code, lang, data_source)])


# =============================================================================================
# Worker side: one process, one kernel, one client
# =============================================================================================
def _avoid_slow_imports() -> None:
    """Skip ``rfc3987_syntax`` (pulled in by jupyterlab; jsonschema imports it if present).

    Building its grammars costs 1.3–2.5 s at import, in every process that imports nbformat;
    jsonschema only needs it for the ``iri`` string format, which notebook validation does not
    use. Only the ``kg run`` processes are affected.
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


async def _aw(value: Any) -> Any:
    """Await *value* when it is awaitable (jupyter_client mixes sync and async methods)."""
    import inspect

    return await value if inspect.isawaitable(value) else value


def _first_line(src: str) -> str:
    for line in src.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:77] + "…"
    return ""


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


class _KernelSession:
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
            "import kunnskapsgrunnlag.runner as _kg_runner\n"
            f"_kg_runner._kernel_warmup({self.warm!r})\n"
            "del _kg_runner\n"
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
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    async def headline(
        self, county_code: str, lang: str, data_source: str
    ) -> list[tuple[str, str]] | None:
        """Ask the kernel for the portal's key figures of a county (``None`` if it cannot)."""
        expr = (
            "__import__('kunnskapsgrunnlag.runner', fromlist=['_'])."
            f"_kernel_headline({county_code!r}, {lang!r}, {data_source!r})"
        )
        try:
            msg_id = self.client.kc.execute(
                "", silent=True, store_history=False, user_expressions={"h": expr}
            )
            reply = await self._wait_reply(msg_id, timeout=60)
            value = reply["content"]["user_expressions"]["h"]
            if value.get("status") != "ok":
                return None
            pairs = json.loads(ast.literal_eval(value["data"]["text/plain"]))
            return [(str(a), str(b)) for a, b in pairs]
        except Exception:  # noqa: BLE001 - the portal then computes them itself
            return None

    def _on_cell_executed(self, cell: Any, cell_index: int, execute_reply: dict[str, Any]) -> None:
        for payload in execute_reply.get("content", {}).get("payload", []) or []:
            if payload.get("source") == "ask_exit":
                self._asked_exit = True

    # -------------------------------------------------------------- execution
    async def _prepare(self, cwd: Path) -> None:
        """Make sure the kernel is alive and clean before a notebook."""
        from nbclient.exceptions import DeadKernelError

        code = f"import kunnskapsgrunnlag.runner as _kg_runner\n_kg_runner._kernel_reset({str(cwd)!r})\n"
        for attempt in (1, 2):
            try:
                if self.km is None or not await _aw(self.km.is_alive()):
                    await self.restart()
                await self.finish_warmup()
                await self._run_silent(code, timeout=60)
                return
            except (DeadKernelError, TimeoutError):
                if attempt == 2:
                    raise
                await self.restart()

    async def run_notebook(self, nb: Any, cwd: Path) -> CellFailure | None:
        """Execute every code cell of *nb* (in place) in this kernel; return the failure, if any."""
        import nbformat
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

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
        client = self.client
        client.nb = nb
        client.reset_execution_trackers()
        count = 0
        for idx, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            if client.skip_cells_with_tag in cell.metadata.get("tags", []):
                continue
            count += 1
            self._asked_exit = False
            try:
                await client.async_execute_cell(cell, idx, execution_count=count)
            except CellExecutionError as err:
                ename = getattr(err, "ename", None) or "Error"
                evalue = _strip_ansi(str(getattr(err, "evalue", "") or ""))
                if ename == "SystemExit":
                    left = self._left_after(nb, idx)
                    return CellFailure(
                        "exit",
                        f"sys.exit({evalue}) stopped the notebook early; {left} did not run",
                        idx,
                        _first_line(cell.source),
                        ename,
                        evalue,
                    )
                return CellFailure(
                    "error", f"{ename}: {evalue}", idx, _first_line(cell.source), ename, evalue
                )
            except CellTimeoutError:
                msg = f"the cell ran longer than the cell timeout of {self.cell_timeout} s and was stopped"
                cell.outputs.append(
                    nbformat.v4.new_output(
                        "error",
                        ename="CellTimeoutError",
                        evalue=msg,
                        traceback=[f"CellTimeoutError: {msg}"],
                    )
                )
                await self.restart()
                return CellFailure(
                    "timeout", msg, idx, _first_line(cell.source), "CellTimeoutError", msg
                )
            except DeadKernelError:
                tail = self.kernel_log_tail()
                msg = "the kernel died while running the cell" + (
                    f" (kernel said: {tail})" if tail else ""
                )
                cell.outputs.append(
                    nbformat.v4.new_output(
                        "error",
                        ename="DeadKernelError",
                        evalue=msg,
                        traceback=[f"DeadKernelError: {msg}"],
                    )
                )
                await self.restart()
                return CellFailure(
                    "dead_kernel", msg, idx, _first_line(cell.source), "DeadKernelError", msg
                )
            if self._asked_exit:
                left = self._left_after(nb, idx)
                await self.restart()
                return CellFailure(
                    "exit",
                    f"exit()/quit() stopped the notebook early; {left} did not run",
                    idx,
                    _first_line(cell.source),
                    "SystemExit",
                    None,
                )
        missing = [
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "code"
            and c.source.strip()
            and client.skip_cells_with_tag not in c.metadata.get("tags", [])
            and c.get("execution_count") is None
        ]
        if missing:
            i = missing[0]
            return CellFailure(
                "incomplete",
                f"{len(missing)} code cell(s) did not run",
                i,
                _first_line(nb.cells[i].source),
            )
        return None

    @staticmethod
    def _left_after(nb: Any, idx: int) -> str:
        rest = [c for c in nb.cells[idx + 1 :] if c.cell_type == "code" and c.source.strip()]
        return f"{len(rest)} later code cell(s)" if rest else "no later code cell"


def _strip_stderr(nb: Any) -> int:
    """Remove ``stderr`` stream outputs from *nb* (successful notebooks only); return how many."""
    removed = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = [
            o
            for o in cell.get("outputs", [])
            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
        ]
        removed += len(cell.get("outputs", [])) - len(keep)
        cell.outputs = keep
    return removed


async def _run_county(
    session: _KernelSession,
    task: dict[str, Any],
    cfg: dict[str, Any],
    send: Callable[[tuple[Any, ...]], None],
) -> CountyResult:
    """Execute every chapter of one county in *session*; build its report when all succeed."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    params: CountyParameters = task["params"]
    out = _Outputs(Path(cfg["outputs"]))
    chapters: list[ChapterSpec] = cfg["chapters"]
    t0 = time.perf_counter()
    folder = out.notebooks / params.stem
    folder.mkdir(parents=True, exist_ok=True)
    parameters = {**params.notebook_parameters(), "data_source": cfg["data_source"]}
    results: list[ChapterResult] = []
    executed: list[tuple[ChapterSpec, Path]] = []
    try:  # so that the first chapter's duration does not include the kernel's warm-up
        await session.finish_warmup()
    except Exception:  # noqa: BLE001, S110 - the chapter's own preparation retries and reports it
        pass
    for spec in chapters:
        c0 = time.perf_counter()
        target = folder / Path(spec.notebook).name
        failure: CellFailure | None = None
        nb = None
        try:
            nb = nbformat.read(spec.path, as_version=4)
            nb.metadata.setdefault("papermill", {})
            for cell in nb.cells:  # papermill expects every cell to have a tags list
                cell.metadata.setdefault("tags", [])
            nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
        except Exception as exc:  # noqa: BLE001
            failure = CellFailure(
                "setup", f"the notebook {spec.path} could not be read: {type(exc).__name__}: {exc}"
            )
        if failure is None:
            failure = await session.run_notebook(nb, spec.path.parent)
        removed = 0
        status = "ok" if failure is None else "failed"
        if nb is not None:
            if failure is None:
                removed = _strip_stderr(nb)
            nb.metadata["kunnskapsgrunnlag"] = {
                "county_code": params.county_code,
                "chapter": spec.id,
                "status": status,
                "failure": None if failure is None else asdict(failure),
                "parameters": parameters,
            }
            paths.atomic_write_text(target, nbformat.writes(nb))
            executed.append((spec, target))
        dt = time.perf_counter() - c0
        results.append(
            ChapterResult(spec.id, out.rel(target), status, round(dt, 3), failure, removed)
        )
        send(("chapter", task["code"], spec.id, status, dt))
    # executed notebooks of chapters that are no longer in the report
    keep = {Path(s.notebook).name for s in chapters}
    for stale in folder.glob("*.ipynb"):
        if stale.name not in keep:
            stale.unlink(missing_ok=True)
    county = CountyResult(
        params.county_code,
        params.county_name,
        params.stem,
        "ok",
        chapters=results,
        reason=task["reason"],
    )
    if any(r.status != "ok" for r in results):
        county.status = "failed"
    else:
        report_path = out.reports / f"{params.stem}.html"
        try:
            from kunnskapsgrunnlag import report

            built = report.build_county_report(params, executed, report_path, task["run_info"])
            county.report = out.rel(built or report_path)
        except Exception as exc:  # noqa: BLE001
            county.status = "failed"
            county.failure = CellFailure(
                "report", f"building the report failed: {type(exc).__name__}: {exc}"
            )
        if county.status == "ok" and cfg.get("headline"):
            county.headline = await session.headline(
                params.county_code, params.written_standard, cfg["data_source"]
            )
    county.duration_s = round(time.perf_counter() - t0, 3)
    return county


def _worker_main(wid: int, task_q: Any, result_q: Any, cfg: dict[str, Any]) -> None:
    """Entry point of a worker process: one kernel, counties one after another."""
    import asyncio
    import logging
    import shutil
    import signal
    import tempfile
    import warnings

    _avoid_slow_imports()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means

    def _term(*_: Any) -> None:
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, _term)
    warnings.simplefilter("ignore")
    for name in ("traitlets", "papermill", "nbclient", "jupyter_client", "asyncio"):
        lg = logging.getLogger(name)
        lg.addHandler(logging.NullHandler())
        lg.propagate = False
        lg.setLevel(logging.CRITICAL)

    def send(msg: tuple[Any, ...]) -> None:
        result_q.put((wid, *msg))

    workdir = Path(tempfile.mkdtemp(prefix=f"kg{wid}-"))
    env = {**os.environ, **KERNEL_ENV, "KG_OUTPUTS": str(cfg["outputs"])}
    session = _KernelSession(workdir, env, cfg["cell_timeout"], cfg["warm"])
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        try:
            loop.run_until_complete(session.launch())
            # imports the worker needs, paid while the kernel boots
            import nbclient  # noqa: F401
            import nbformat  # noqa: F401
            from papermill.parameterize import parameterize_notebook  # noqa: F401

            loop.run_until_complete(session.connect())
        except Exception as exc:  # noqa: BLE001 - reported per county below
            start_error: str | None = f"{type(exc).__name__}: {exc}"
        else:
            start_error = None
            try:
                from kunnskapsgrunnlag import report  # noqa: F401
            except Exception:  # noqa: BLE001, S110 - reported per county when the report is built
                pass
        send(("ready", session.pid))
        while True:
            task = task_q.get()
            if task is None:
                break
            send(("start", task["code"]))
            try:
                if start_error is not None:
                    raise RuntimeError(f"the worker could not start: {start_error}")
                result = loop.run_until_complete(_run_county(session, task, cfg, send))
            except Exception as exc:  # noqa: BLE001 - one county must not stop the others
                p = task["params"]
                result = CountyResult(
                    p.county_code,
                    p.county_name,
                    p.stem,
                    "failed",
                    failure=CellFailure("setup", f"{type(exc).__name__}: {exc}"),
                    reason=task["reason"],
                )
            send(("done", task["code"], _county_to_wire(result), session.pid))
    finally:
        try:
            loop.run_until_complete(session.stop())
        finally:
            loop.close()
            shutil.rmtree(workdir, ignore_errors=True)


def _county_to_wire(c: CountyResult) -> dict[str, Any]:
    d = asdict(c)
    d["chapters"] = [ch.to_dict() for ch in c.chapters]
    return d


def _county_from_wire(d: dict[str, Any]) -> CountyResult:
    d = dict(d)
    d["chapters"] = [ChapterResult.from_dict(x) for x in d.get("chapters", [])]
    if d.get("failure"):
        d["failure"] = CellFailure(**d["failure"])
    if d.get("headline") is not None:
        d["headline"] = [tuple(x) for x in d["headline"]]
    return CountyResult(**d)


# =============================================================================================
# Parent side: progress, scheduling, manifest, portal
# =============================================================================================
class _Progress:
    """A tqdm bar on a terminal; one quiet line per finished county otherwise."""

    def __init__(self, total: int, stream: TextIO, bar: bool, chapters: int = 0) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.width = len(str(total))
        self.chapters = chapters
        self.running: dict[str, list[Any]] = {}
        self.bar = None
        if bar:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total,
                file=stream,
                unit="county",
                desc="kg run",
                dynamic_ncols=True,
                leave=False,
            )

    def started(self, code: str, name: str) -> None:
        self.running[code] = [name, 0]
        self._postfix()

    def chapter(self, code: str, chapter_id: str) -> None:
        if code in self.running:
            self.running[code][1] += 1
            self._postfix()

    def _postfix(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(
                ", ".join(
                    f"{code} {name} {done}/{self.chapters}"
                    for code, (name, done) in sorted(self.running.items())
                ),
                refresh=True,
            )

    def finished(self, c: CountyResult) -> None:
        self.done += 1
        self.running.pop(c.code, None)
        word = _STATUS_WORD.get(c.status, c.status)
        line = f"[{self.done:>{self.width}}/{self.total}] {c.code} {c.name}  {word}  {c.duration_s:.1f} s"
        if c.status == "failed" and c.failures:
            chapter_id, f = c.failures[0]
            line += f"  ({chapter_id + ', ' if chapter_id else ''}{f.describe()})"
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
            self.bar.update(1)
            self._postfix()
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _use_bar(stream: TextIO) -> bool:
    if os.environ.get("TQDM_DISABLE", "").strip().lower() not in {"", "0", "false"}:
        return False
    try:
        return bool(stream.isatty()) and os.get_terminal_size(stream.fileno()).columns > 0
    except (AttributeError, ValueError, OSError):
        return False


def _mp_context() -> Any:
    """Fork when this process has no other thread (fast); spawn otherwise (safe)."""
    import multiprocessing as mp

    methods = mp.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context("spawn")


def _kill_pid(pid: int | None) -> None:
    if not pid:
        return
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class _Pool:
    """Worker processes, each with one kernel; counties are handed out one at a time."""

    def __init__(self, cfg: dict[str, Any], n: int) -> None:
        ctx = _mp_context()
        self.result_q = ctx.Queue()
        self.workers: dict[int, dict[str, Any]] = {}
        for wid in range(n):
            q = ctx.Queue()
            proc = ctx.Process(
                target=_worker_main,
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

    def run(self, tasks: list[dict[str, Any]], progress: _Progress) -> dict[str, CountyResult]:
        """Run *tasks* (one per county); return the results by county code."""
        from queue import Empty

        workers = self.workers
        todo = list(tasks)
        by_code = {t["code"]: t for t in tasks}
        results: dict[str, CountyResult] = {}
        idle = [wid for wid, w in workers.items() if w.get("ready") and w["current"] is None]

        def assign(wid: int) -> None:
            w = workers[wid]
            if todo:
                task = todo.pop(0)
                w["current"] = task["code"]
                w["q"].put(task)
            elif not w["closed"]:
                w["current"] = None
                w["closed"] = True
                w["q"].put(None)

        def crashed(code: str, why: str) -> CountyResult:
            p = by_code[code]["params"]
            return CountyResult(
                p.county_code,
                p.county_name,
                p.stem,
                "failed",
                failure=CellFailure("setup", why),
                reason=by_code[code]["reason"],
            )

        for wid in idle:
            assign(wid)
        while len(results) < len(tasks):
            try:
                msg = self.result_q.get(timeout=0.5)
            except Empty:
                for w in workers.values():
                    proc = w["proc"]
                    if proc.is_alive() or w.get("dead"):
                        continue
                    w["dead"] = True
                    _kill_pid(w["kernel"])
                    code = w["current"]
                    if code and code not in results:
                        res = crashed(code, f"the worker process died (exit code {proc.exitcode})")
                        results[code] = res
                        progress.finished(res)
                if all(w.get("dead") for w in workers.values()):
                    for t in todo:
                        res = crashed(t["code"], "no worker process left to run it")
                        results[t["code"]] = res
                        progress.finished(res)
                    todo.clear()
                continue
            wid, kind, *rest = msg
            w = workers[wid]
            if kind == "ready":
                w["kernel"] = rest[0]
                w["ready"] = True
                assign(wid)
            elif kind == "start":
                progress.started(rest[0], by_code[rest[0]]["params"].county_name)
            elif kind == "chapter":
                progress.chapter(rest[0], rest[1])
            elif kind == "done":
                code, wire, kernel_pid = rest
                w["kernel"] = kernel_pid
                res = _county_from_wire(wire)
                results[code] = res
                progress.finished(res)
                w["current"] = None
                assign(wid)
        return results

    def close(self, graceful: bool = True) -> None:
        """Stop every worker (each shuts its kernel down); kill what does not stop.

        ``graceful=False`` (an interrupt) does not wait for running notebooks: the workers are
        terminated at once and shut their kernels down on the way out.
        """
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
                _kill_pid(w["kernel"])


class _Background:
    """Run a function in a thread (the parent is idle while the workers run); keep its error."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.func = func
        self.args = args
        self.error: str | None = None
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        try:
            self.func(*self.args)
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            self.error = f"{type(exc).__name__}: {exc}"

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, name="kg-indicators", daemon=True)
        self.thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)


def _write_indicators(path: Path) -> None:
    """Write ``indicators.csv`` (atomically: a failure leaves the previous file as it was)."""
    import warnings

    from kunnskapsgrunnlag import indicators

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        indicators.write_csv(path)


def _snapshot_summary() -> list[dict[str, Any]]:
    """Snapshot ids with their dates, for the run manifest."""
    try:
        from kunnskapsgrunnlag.data import snapshot

        sources = snapshot.manifest()["sources"]
    except Exception:  # noqa: BLE001 - the manifest is informative here
        return []
    keys = ("table", "status", "reference_date", "retrieved", "ssb_updated")
    return [{"id": sid, **{k: e.get(k) for k in keys if k in e}} for sid, e in sources.items()]


def _run_info(
    started: str, version: str, commit: str, data_source: str, snapshot: list[dict[str, Any]]
) -> dict[str, Any]:
    """Return what the report builder prints about the run (see ``report.build_county_report``)."""
    info: dict[str, Any] = {
        "date": started[:10],
        "data_source": data_source,
        "version": version,
        "commit": "" if commit == "unknown" else commit,
        "generated": started,
        "snapshot": snapshot,
    }
    if data_source == "live":
        info["data_date"] = started[:10]
    return info


def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def _county_manifest_entry(
    c: CountyResult,
    prev: dict[str, Any] | None,
    info: dict[str, Any],
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "county_name": c.name,
        "stem": c.stem,
        "status": c.status,
        "reason": c.reason,
        "finished": info["finished"],
        "duration_s": c.duration_s,
        "report": c.report,
        "chapters": [ch.to_dict() for ch in c.chapters],
        "failure": None
        if c.failure is None
        else {**asdict(c.failure), "cell_number": c.failure.cell_number},
        "parameter_hash": info["parameter_hash"],
        "fingerprint": info["fingerprint"],
        "fingerprint_parts": info["fingerprint_parts"],
        "data_source": info["data_source"],
        "snapshot": info["snapshot"],
        "package_version": info["package_version"],
        "git_commit": info["git_commit"],
        "headline": None if c.headline is None else [list(h) for h in c.headline],
    }
    if c.status == "ok":
        entry["last_good"] = {
            "finished": info["finished"],
            "report": c.report,
            "git_commit": info["git_commit"],
        }
    elif prev:
        entry["last_good"] = prev.get("last_good")
        if entry["report"] is None:
            entry["report"] = (prev.get("last_good") or {}).get("report")
    return entry


def _portal_entries(
    counties: list[CountyParameters],
    manifest_counties: dict[str, Any],
    built_now: set[str],
    out: _Outputs,
    headline: bool = True,
) -> list[dict[str, Any]]:
    """One portal entry per county (contract of :func:`kunnskapsgrunnlag.report.build_portal`).

    ``status`` is ``ok`` for a report built in this run, ``failed`` when the county's last run
    failed (the previous report, if any, stays linked) and ``skipped`` for a report left as it was.
    """
    entries = []
    for p in counties:
        m = manifest_counties.get(p.county_code) or {}
        report = out.reports / f"{p.stem}.html"
        status = m.get("status", "ok")
        if status == "ok" and p.county_code not in built_now:
            status = "skipped"
        entry: dict[str, Any] = {
            "params": p,
            "status": status,
            "report": report if report.is_file() else None,
        }
        finished = (m.get("last_good") or {}).get("finished")
        if finished:
            entry["date"] = str(finished)[:10]
        if not headline:
            entry["headline"] = []  # fixture chapters: no key figures on the portal
        elif m.get("headline"):
            entry["headline"] = [tuple(h) for h in m["headline"]]
        entries.append(entry)
    return entries


def run(
    counties: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    live: bool = False,
    *,
    chapters: Sequence[ChapterSpec] | None = None,
    outputs: Path | str | None = None,
    parameters: Path | str | None = None,
    cell_timeout: float | None = None,
    write_indicators: bool | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> RunResult:
    """Build the county reports; see the module docstring for the steps.

    Args:
        counties: county codes to build (default: every county with a parameter file). Every
            parameter file is validated either way.
        jobs: worker processes, each with one kernel (default: the number of cores).
        force: run counties even when their fingerprint says nothing changed.
        live: fetch data from SSB's API (prefetched once here) instead of the bundled snapshot.
            Live data can change at any time, so a live run executes every selected county.
        chapters: the chapters to run, in order (default: :func:`kunnskapsgrunnlag.contents.chapters`,
            the registered chapters whose notebook exists). Tests pass fixture chapters.
        outputs: the outputs folder (default :data:`kunnskapsgrunnlag.paths.OUTPUTS`).
        parameters: the folder of parameter files (default :data:`kunnskapsgrunnlag.paths.PARAMETERS`).
        cell_timeout: seconds one cell may run (default ``$KG_CELL_TIMEOUT`` or 300).
        write_indicators: write ``indicators.csv`` (default: when running the registered chapters).
        stdout: where the summary goes (default ``sys.stdout``).
        stderr: where the configuration and progress go (default ``sys.stderr``).

    Returns:
        The :class:`RunResult`; its ``exit_code`` is 0 (all built or up to date), 1 (a county,
        the portal or ``indicators.csv`` failed) or 2 (invalid input; nothing ran).
    """
    t0 = time.perf_counter()
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr

    def say(text: str, stream: TextIO | None = None) -> None:
        print(text, file=stream or stderr, flush=True)

    def fail_input(*messages: str) -> RunResult:
        for m in messages:
            say(f"error: {m}")
        say("kg run: nothing was run (invalid input)")
        return RunResult(2, errors=list(messages), duration_s=time.perf_counter() - t0)

    # ------------------------------------------------------------ 1. validate input
    from kunnskapsgrunnlag import params as params_mod

    param_dir = Path(parameters) if parameters is not None else paths.PARAMETERS
    files = paths.parameter_files(param_dir)
    if not files:
        return fail_input(f"no parameter files (NN-slug.yaml) in {param_dir}")
    good, errors = params_mod.load_all(files)
    if errors:
        return fail_input(
            *(str(e) for e in errors),
            f"{len(errors)} invalid parameter file(s); fix them (kg validate) and run again",
        )
    try:
        timeout = resolve_cell_timeout(cell_timeout)
    except RunInputError as err:
        return fail_input(str(err))
    if jobs is not None and jobs < 1:
        return fail_input(f"--jobs must be at least 1, got {jobs}")
    n_jobs = jobs or default_jobs()
    wanted = _normalise_codes(counties)
    by_code = {p.county_code: p for p in good}
    if wanted:
        unknown = [c for c in wanted if c not in by_code]
        if unknown:
            have = ", ".join(f"{p.county_code} {p.county_name}" for p in good)
            return fail_input(
                *(
                    f"--county {c}: no parameter file for county {c!r} (have: {have})"
                    for c in unknown
                )
            )
        selected = [by_code[c] for c in sorted(wanted)]
    else:
        selected = sorted(good, key=lambda p: p.county_code)
    if chapters is None:
        from kunnskapsgrunnlag.contents import chapters as registered

        chapter_list = registered()
        using_registry = True
        if not chapter_list:
            return fail_input(
                f"no chapter notebooks found in {paths.NOTEBOOKS} (see kunnskapsgrunnlag/contents.py)"
            )
    else:
        chapter_list = list(chapters)
        using_registry = False
        missing = [str(c.path) for c in chapter_list if not c.path.is_file()]
        if missing:
            return fail_input(*(f"chapter notebook not found: {m}" for m in missing))
        if not chapter_list:
            return fail_input("no chapters to run")
    if write_indicators is None:
        write_indicators = using_registry
    out = _Outputs(Path(outputs) if outputs is not None else paths.OUTPUTS)
    data_source = "live" if live else "snapshot"

    say(
        f"kg run: {len(selected)} {'county' if len(selected) == 1 else 'counties'}"
        f" ({'all' if not wanted else ', '.join(p.county_code for p in selected)});"
        f" chapters: {', '.join(c.id for c in chapter_list)}; jobs: {n_jobs}; data: {data_source};"
        f" force: {'yes' if force else 'no'}; cell timeout: {timeout:g} s; outputs: {out.root}"
    )

    # ------------------------------------------------------------ 2. what needs to run
    version = _package_version()
    common = {
        "data": data_hash(),
        "library": f"{version}+{library_hash()[:16]}",
        "data_source": data_source,
    }
    chapter_hashes = [[c.id, _sha(c.path.read_bytes())[:16]] for c in chapter_list]
    previous = _read_manifest(out.manifest)
    prev_counties: dict[str, Any] = (
        previous.get("counties", {}) if isinstance(previous.get("counties"), dict) else {}
    )
    plan: list[tuple[CountyParameters, str | None, dict[str, Any], str]] = []
    for p in selected:
        pfile = params_mod.file_for(p.county_code, param_dir)
        parts = _fingerprint_parts(pfile, chapter_hashes, common)
        fp = _fingerprint(parts)
        why = _why_run(
            prev_counties.get(p.county_code),
            parts,
            fp,
            out.reports / f"{p.stem}.html",
            force or live,
        )
        if live and why == "forced" and not force:
            why = "live data"
        plan.append((p, why, parts, fp))
    to_run = [(p, why, parts, fp) for p, why, parts, fp in plan if why is not None]
    up_to_date = [p for p, why, _, _ in plan if why is None]
    if up_to_date:
        say(
            f"kg run: up to date, not run: {', '.join(f'{p.county_code} {p.county_name}' for p in up_to_date)}"
            " (use --force to run anyway)"
        )

    # indicators.csv depends on the library and the data only, not on the notebooks
    ind_fp = _fingerprint({"chapters": [c.id for c in chapter_list], **common})
    indicators_job: _Background | None = None
    if write_indicators and (
        force
        or not out.indicators.is_file()
        or (previous.get("indicators") or {}).get("fingerprint") != ind_fp
    ):
        indicators_job = _Background(_write_indicators, out.indicators)

    run_errors: list[str] = []
    results: dict[str, CountyResult] = {}
    commit = "unknown"
    snapshot_info: list[dict[str, Any]] = []
    started = _now()
    run_info = _run_info(started, version, commit, data_source, snapshot_info)
    if to_run:
        # -------------------------------------------------------- 3. live data, once
        _avoid_slow_imports()
        if live:
            say("kg run: fetching live data from SSB (once for the whole batch) …")
            try:
                from kunnskapsgrunnlag.data import snapshot

                sent = snapshot.prefetch()
                say(f"kg run: live data ready ({sent} request(s) sent)")
            except Exception as exc:  # noqa: BLE001
                msg = (
                    f"live data could not be fetched: {type(exc).__name__}: {exc}. Nothing was run; "
                    "the previous reports are unchanged. Run without --live to use the bundled snapshot."
                )
                say(f"error: {msg}")
                return RunResult(1, errors=[msg], duration_s=time.perf_counter() - t0)
        warm = list(WARM_MODULES)
        for c in chapter_list:
            warm += notebook_imports(c.path)
        cfg = {
            "outputs": str(out.root),
            "chapters": chapter_list,
            "cell_timeout": timeout,
            "data_source": data_source,
            "warm": list(dict.fromkeys(warm)),
            "headline": using_registry,
        }
        # the workers start their kernels while this process gathers the run information
        pool = _Pool(cfg, max(1, min(n_jobs, len(to_run))))
        progress: _Progress | None = None
        if indicators_job is not None:
            indicators_job.start()  # in a thread while this process waits for the workers
        try:
            commit = git_commit()
            snapshot_info = _snapshot_summary()
            run_info = _run_info(started, version, commit, data_source, snapshot_info)
            tasks = [
                {
                    "code": p.county_code,
                    "params": p,
                    "reason": why,
                    "run_info": {
                        **run_info,
                        "parameter_hash": parts["parameters"][:16],
                        "fingerprint": fp,
                    },
                }
                for p, why, parts, fp in to_run
            ]
            progress = _Progress(len(tasks), stderr, _use_bar(stderr), len(chapter_list))
            results = pool.run(tasks, progress)
        except (
            BaseException
        ):  # an interrupt: stop now; completed reports stay, nothing is half-written
            if progress is not None:
                progress.close()
            pool.close(graceful=False)
            if indicators_job is not None:
                indicators_job.join(timeout=30)  # let its atomic write finish or fail cleanly
            raise
        progress.close()
        pool.close()

    # ------------------------------------------------------------ 4. manifest
    finished = _now()
    county_results: list[CountyResult] = []
    new_counties: dict[str, Any] = {k: v for k, v in prev_counties.items() if k in by_code}
    for p, why, parts, fp in plan:
        if why is None:
            prev = prev_counties[p.county_code]
            county_results.append(
                CountyResult(
                    p.county_code,
                    p.county_name,
                    p.stem,
                    "up-to-date",
                    report=prev.get("report"),
                    reason="nothing changed",
                    headline=prev.get("headline"),
                )
            )
            continue
        c = results[p.county_code]
        county_results.append(c)
        new_counties[p.county_code] = _county_manifest_entry(
            c,
            prev_counties.get(p.county_code),
            {
                "finished": finished,
                "parameter_hash": parts["parameters"][:16],
                "fingerprint": fp,
                "fingerprint_parts": parts,
                "data_source": data_source,
                "snapshot": snapshot_info,
                "package_version": version,
                "git_commit": commit,
            },
        )
    manifest = {
        "schema_version": MANIFEST_SCHEMA,
        "last_run": {
            "started": started,
            "finished": finished,
            "duration_s": round(time.perf_counter() - t0, 3),
            "config": {
                "counties": [p.county_code for p in selected],
                "chapters": [c.id for c in chapter_list],
                "jobs": n_jobs,
                "force": force,
                "data_source": data_source,
                "cell_timeout_s": timeout,
                "outputs": str(out.root),
            },
            "executed": [c.code for c in county_results if c.status != "up-to-date"],
            "up_to_date": [c.code for c in county_results if c.status == "up-to-date"],
            "failed": [c.code for c in county_results if c.status == "failed"],
            "package_version": version,
            "git_commit": commit
            if to_run
            else previous.get("last_run", {}).get("git_commit", "unknown"),
        },
        "counties": dict(sorted(new_counties.items())),
        "indicators": previous.get("indicators"),
    }
    result = RunResult(0, county_results, run_errors)

    # ------------------------------------------------------------ 5. portal and indicators.csv
    if to_run or not out.portal.is_file():
        try:
            from kunnskapsgrunnlag import report

            result.portal = Path(
                report.build_portal(
                    _portal_entries(
                        sorted(good, key=lambda p: p.county_code),
                        new_counties,
                        {c.code for c in county_results if c.status == "ok"},
                        out,
                        headline=using_registry,
                    ),
                    out.portal,
                    {**run_info, "generated": finished},
                )
                or out.portal
            )
        except Exception as exc:  # noqa: BLE001
            run_errors.append(
                f"the portal page {out.portal} was not written: {type(exc).__name__}: {exc}"
            )
    else:
        result.portal = out.portal
    if indicators_job is not None:
        if indicators_job.thread is None:
            indicators_job.run()  # nothing was executed: write it here
        indicators_job.join()
        if indicators_job.error is None:
            result.indicators = out.indicators
            manifest["indicators"] = {
                "fingerprint": ind_fp,
                "written": _now(),
                "path": out.rel(out.indicators),
            }
        else:
            run_errors.append(
                f"{out.indicators} was not written ({indicators_job.error}); the previous file, "
                "if any, is unchanged"
            )
            manifest["indicators"] = None
    elif write_indicators and out.indicators.is_file():
        result.indicators = out.indicators
    try:
        paths.atomic_write_json(out.manifest, manifest)
        result.manifest = out.manifest
    except OSError as exc:
        run_errors.append(f"the run manifest {out.manifest} was not written: {exc}")

    # ------------------------------------------------------------ 6. summary
    result.duration_s = round(time.perf_counter() - t0, 3)
    result.exit_code = 1 if (result.failed or run_errors) else 0
    _summary(result, out, stdout)
    return result


def _summary(result: RunResult, out: _Outputs, stream: TextIO) -> None:
    built = [c for c in result.counties if c.status == "ok"]
    parts = [
        f"{len(built)} built",
        f"{len(result.failed)} failed",
        f"{len(result.skipped)} up to date",
    ]
    print(f"kg run: {', '.join(parts)} in {result.duration_s:.1f} s", file=stream)
    for c in result.failed:
        print(f"  FAILED {c.code} {c.name}:", file=stream)
        for line in c.describe_failures():
            print(f"    {line}", file=stream)
        print(
            f"    executed notebooks kept in {out.rel(out.notebooks / c.stem)}/;"
            f" {'the previous report is unchanged' if (out.reports / f'{c.stem}.html').is_file() else 'no report'}",
            file=stream,
        )
    if result.skipped:
        names = ", ".join(f"{c.code} {c.name}" for c in result.skipped)
        print(f"  skipped (nothing changed since the last run): {names}", file=stream)
    for e in result.errors:
        print(f"  ERROR {e}", file=stream)
    if built or result.skipped:
        print(f"  reports: {out.reports}/ (portal: {out.portal.name})", file=stream)
    stream.flush()


def run_cli(counties: Sequence[str] | None, jobs: int | None, force: bool, live: bool) -> int:
    """``kg run``: call :func:`run` and return its exit status."""
    return run(counties=counties, jobs=jobs, force=force, live=live).exit_code
