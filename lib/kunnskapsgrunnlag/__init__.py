"""kunnskapsgrunnlag: the shared library of the counties' regional knowledge base.

Chapter notebooks import this package; `kg` (see :mod:`kunnskapsgrunnlag.cli`) runs the batch.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kunnskapsgrunnlag")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
