"""Code that runs inside the IPython kernel (light imports only).

The worker's session calls these through the kernel (``import
kunnskapsgrunnlag.publish.run.kernel``): :func:`_kernel_warmup` once per kernel,
:func:`_kernel_reset` before every notebook.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

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
