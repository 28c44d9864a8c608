"""``kg run``: validate, execute the chapter notebooks for every county, publish the reports.

The flat face of the batch run; names load lazily, so a no-op ``kg run`` imports no notebook
machinery. One module per step or concern:

``inputs``    validation and the run's configuration (exit 2: nothing runs)
``plan``      what must run and why: fingerprints, library and data hashes, the warm-up list
``session``   one kernel and one client reused for many notebooks; ``run_notebook``
``kernel``    the code that runs inside the kernel (warm-up, state reset, key figures)
``failures``  how a failed cell is described
``worker``    a worker process: the chapters of one county after another, the county report
``pool``      the worker processes and a background thread
``progress``  the progress bar and the summary
``manifest``  the run manifest and the portal's entries
``portal``    the portal page and ``indicators.csv``
``results``   what a run reports (``RunResult``, ``CountyResult``, ``ChapterResult``, ``CellFailure``)
``batch``     :func:`run` — the order of the steps — and :func:`run_cli`
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "run": "batch",
    "run_cli": "batch",
    "RunResult": "results",
    "CountyResult": "results",
    "ChapterResult": "results",
    "CellFailure": "results",
    "Execution": "results",
    "RunInputError": "inputs",
    "RunConfig": "inputs",
    "DEFAULT_CELL_TIMEOUT": "inputs",
    "default_jobs": "inputs",
    "resolve_cell_timeout": "inputs",
    "validate": "inputs",
    "WARM_MODULES": "plan",
    "library_hash": "plan",
    "data_hash": "plan",
    "git_commit": "plan",
    "notebook_imports": "plan",
    "warm_modules": "plan",
    "make_plan": "plan",
    "MANIFEST_SCHEMA": "manifest",
    "read_manifest": "manifest",
    "KERNEL_NAME": "session",
    "KernelSession": "session",
    "KERNEL_ENV": "worker",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
