"""Every error the data layer raises.

SSB access: :class:`SSBError` and its subclasses; the snapshot: :class:`SnapshotError` and its
subclasses.
"""

from __future__ import annotations


class SSBError(Exception):
    """Base class of every error raised by this module.

    Attributes:
        table: The SSB table id the error concerns (``None`` if unknown).
        variable: The variable (dimension) at fault, when known.
        value: The value code at fault, when known.
        status_code: The HTTP status, when the error came from an HTTP answer.
        url: The request URL, when there was a request.
    """

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        variable: str | None = None,
        value: str | None = None,
        status_code: int | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.table = table
        self.variable = variable
        self.value = value
        self.status_code = status_code
        self.url = url


class JSONStatError(SSBError, ValueError):
    """A body that is not valid JSON-stat (sizes that do not match the values, and so on)."""


class SSBResponseError(SSBError):
    """SSB answered 200 with something that is not usable JSON (corrupt or truncated)."""


class SSBQueryError(SSBError):
    """SSB rejected the query (HTTP 400): unknown variable, value, codelist or expression."""


class SSBCellLimitError(SSBQueryError):
    """The query asks for more than SSB's 800 000-cell limit (HTTP 403)."""


class SSBNotFoundError(SSBError):
    """The table does not exist, or the GET URL was too long (HTTP 404)."""


class SSBRateLimitError(SSBError):
    """SSB kept answering 429 Too Many Requests after every retry."""


class SSBUnavailableError(SSBError):
    """SSB kept answering 503 (or 502/504) after every retry."""


class SSBConnectionError(SSBError):
    """SSB could not be reached (DNS, refused connection) after every retry."""


class SSBTimeoutError(SSBConnectionError):
    """Every attempt timed out."""


class SSBHTTPError(SSBError):
    """Any other unexpected HTTP status."""


class SnapshotError(Exception):
    """A problem with the snapshot or its manifest."""


class SnapshotIntegrityError(SnapshotError):
    """A snapshot file is missing or differs from the sha256 in the manifest."""


class NotInSnapshotError(SnapshotError):
    """The source has no bundled file (live only); it needs ``kg fetch``."""
