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
_LIBRARY_BASELINE: dict[str, tuple[Any, dict[str, Any]]] = {}
"""Each ``kunnskapsgrunnlag`` module after the warm-up: the module and a copy of its namespace
(with the namespaces of the classes it defines, as ``Class.attribute``)."""


class LibraryStateChanged(RuntimeError):
    """A notebook replaced something in a ``kunnskapsgrunnlag`` module (the kernel is replaced)."""


def _library_modules() -> dict[str, Any]:
    return {
        name: mod
        for name, mod in list(sys.modules.items())
        if mod is not None
        and (name == "kunnskapsgrunnlag" or name.startswith("kunnskapsgrunnlag."))
    }


def _namespace(mod: Any) -> dict[str, Any]:
    """A shallow copy of *mod*'s namespace plus that of every class defined in it."""
    names = dict(vars(mod))
    for key, value in list(names.items()):
        if isinstance(value, type) and value.__module__ == mod.__name__:
            names.update({f"{key}.{a}": v for a, v in list(vars(value).items())})
    return names


def _library_changed() -> str | None:
    """The first library name a notebook replaced or removed since the warm-up, or ``None``.

    Identity, not equality: a patched function, a replaced module object or class attribute
    counts; names the library adds itself (lazy re-exports) do not. A module first imported
    after the warm-up is recorded when first seen.
    """
    for name, mod in _library_modules().items():
        if name not in _LIBRARY_BASELINE:
            _LIBRARY_BASELINE[name] = (mod, _namespace(mod))
            continue
        base_mod, base_names = _LIBRARY_BASELINE[name]
        if mod is not base_mod:
            return name
        now = _namespace(mod)
        for key, value in base_names.items():
            if now.get(key, _LIBRARY_BASELINE) is not value:
                return f"{name}.{key}"
    missing = set(_LIBRARY_BASELINE) - set(sys.modules)
    return min(missing) if missing else None


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
    _LIBRARY_BASELINE.clear()
    _LIBRARY_BASELINE.update({n: (m, _namespace(m)) for n, m in _library_modules().items()})
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
    count. Imported modules stay (that is the point of reusing the kernel) — unless a notebook
    replaced something in the library's modules: then :class:`LibraryStateChanged` is raised and
    the worker replaces the kernel (a patch must not reach the next notebook or county).
    """
    import warnings

    if changed := _library_changed():
        raise LibraryStateChanged(f"a notebook replaced {changed}")

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
