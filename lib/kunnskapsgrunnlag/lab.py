"""JupyterLab for analysts: ``make lab`` (``python -m kunnskapsgrunnlag.lab``).

Starts JupyterLab on the project's environment with:

* the project as root and the file browser opening in ``notebooks/``;
* no network traffic of its own: no news feed, no update check, a read-only extension
  manager (nothing is searched on or installed from PyPI);
* the server on ``127.0.0.1`` only, with Jupyter's random token (printed in the terminal and
  passed to the browser it opens);
* a ``python3`` kernel that reloads changed modules of the package (IPython ``autoreload``
  mode 2), so edits in ``lib/kunnskapsgrunnlag`` are picked up without a kernel restart.

The autoreloading kernel spec is written to a temporary folder that only this server is told
about (:class:`LabKernelSpecManager`, set on its command line, no environment variable), so
kernels started anywhere else — ``kg run``, papermill, nbclient, also when started from a
notebook inside Lab — use the ordinary ``python3`` kernel and never autoreload.

The module is also an IPython extension: ``%load_ext kunnskapsgrunnlag.lab`` in any IPython
session turns autoreload on there.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpecManager
from traitlets import Unicode

from kunnskapsgrunnlag import paths

KERNEL_NAME = "python3"
"""The lab kernel keeps the standard name, so notebooks keep ``kernelspec: python3``."""

KERNEL_DISPLAY_NAME = "Python 3 (kunnskapsgrunnlag)"

NOTIFICATION_PLUGIN = "@jupyterlab/apputils-extension:notification"

SETTINGS_OVERRIDES: dict[str, Any] = {
    # "Never" for the news feed: no question about it on first start, no request to the web.
    NOTIFICATION_PLUGIN: {"fetchNews": "false", "checkForUpdates": False},
}
"""JupyterLab setting defaults for the lab (``overrides.json``); the analyst may still change them."""


def load_ipython_extension(ipython: Any) -> None:
    """Turn on IPython's ``autoreload`` (mode 2: reload every changed module before each cell).

    Called by IPython for ``%load_ext kunnskapsgrunnlag.lab`` and by the lab kernel at start-up.
    """
    ipython.run_line_magic("load_ext", "autoreload")
    ipython.run_line_magic("autoreload", "2")


class LabKernelSpecManager(KernelSpecManager):
    """Kernel specs of the lab server: :attr:`lab_kernel_dir` first, then Jupyter's usual folders."""

    lab_kernel_dir = Unicode(
        "", config=True, help="Folder with the lab's kernel specs; searched before the others."
    )

    def _kernel_dirs_default(self) -> list[str]:
        dirs = super()._kernel_dirs_default()
        return [self.lab_kernel_dir, *dirs] if self.lab_kernel_dir else dirs


def kernel_spec(python: str | None = None) -> dict[str, Any]:
    """Return the ``kernel.json`` of the lab kernel: ipykernel with this module as an extension.

    Args:
        python: the interpreter (default: the one running this code, i.e. the project's ``.venv``).
    """
    return {
        "argv": [
            python or sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--IPKernelApp.extra_extensions=kunnskapsgrunnlag.lab",
        ],
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "python",
        # `make` exports MPLBACKEND=Agg for batch runs; interactive kernels draw inline.
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
        "metadata": {"debugger": True},
    }


def write_lab_files(folder: Path) -> tuple[Path, Path]:
    """Write the lab kernel spec and the settings overrides under *folder*.

    Returns:
        ``(kernel_dir, settings_dir)``: the folder to give ``LabKernelSpecManager.lab_kernel_dir``
        (it holds ``python3/kernel.json``) and the one to give ``LabApp.app_settings_dir``.
    """
    kernel_dir = Path(folder) / "kernels"
    spec = kernel_dir / KERNEL_NAME / "kernel.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps(kernel_spec(), indent=2) + "\n", encoding="utf-8")
    settings_dir = Path(folder) / "settings"
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "overrides.json").write_text(
        json.dumps(SETTINGS_OVERRIDES, indent=2) + "\n", encoding="utf-8"
    )
    return kernel_dir, settings_dir


def lab_arguments(kernel_dir: Path, settings_dir: Path, extra: Sequence[str] = ()) -> list[str]:
    """Return the ``jupyter lab`` command-line options of ``make lab`` (then *extra*, which win).

    Args:
        kernel_dir: folder holding the lab kernel spec (see :func:`write_lab_files`).
        settings_dir: folder holding ``overrides.json``.
        extra: further options, e.g. ``["--no-browser", "--port=8899"]``.
    """
    return [
        f"--ServerApp.root_dir={paths.ROOT}",
        f"--FileContentsManager.preferred_dir={paths.NOTEBOOKS.relative_to(paths.ROOT).as_posix()}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.open_browser=True",
        # offline: no news feed, no update check, no PyPI search/installs of extensions
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        f"--LabApp.app_settings_dir={settings_dir}",
        # the autoreloading kernel, visible to this server only
        "--ServerApp.kernel_spec_manager_class=kunnskapsgrunnlag.lab.LabKernelSpecManager",
        f"--LabKernelSpecManager.lab_kernel_dir={kernel_dir}",
        *extra,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Start JupyterLab as described in the module docstring; extra arguments go to ``jupyter lab``.

    Returns when the server stops (Ctrl-C twice, or *File → Shut Down*); the temporary kernel
    spec is removed then.
    """
    extra = list(sys.argv[1:] if argv is None else argv)
    from jupyterlab.labapp import LabApp

    with tempfile.TemporaryDirectory(prefix="kg-lab-") as tmp:
        kernel_dir, settings_dir = write_lab_files(Path(tmp))
        try:
            LabApp.launch_instance(argv=lab_arguments(kernel_dir, settings_dir, extra))
        except SystemExit as stop:
            return int(stop.code or 0) if not isinstance(stop.code, str) else 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
