"""The retry table: what the client does after each kind of failed attempt.

One row per kind of failure (an HTTP status or a ``requests`` exception): retry or not, how long
to wait before the next attempt, and the error (type and message) raised once the retries are
spent. :meth:`~kunnskapsgrunnlag.data.client.SSBClient._send` is one loop driven by this table.

* An answer still arriving after the client's overall deadline is not retried.
* Timeouts and dropped or refused connections are retried with exponential backoff; a failed
  host-name lookup (offline) is not retried.
* 429 and 502/503/504 are retried; the wait is SSB's ``Retry-After`` (seconds or an HTTP date,
  capped at ``max_backoff``), else the backoff.
* 400/403/404 (and any other status) are not retried: the error is built by
  :func:`kunnskapsgrunnlag.data.diagnose.client_error`, which names the table, the variable and
  the value at fault.

Every attempt passes the throttle and is counted, so retries are within SSB's limit too.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from dataclasses import dataclass

import requests

from kunnskapsgrunnlag.data.errors import (
    SSBConnectionError,
    SSBError,
    SSBRateLimitError,
    SSBTimeoutError,
    SSBUnavailableError,
)
from kunnskapsgrunnlag.data.transfer import DeadlineExceeded

_DNS_MARKERS = (
    "NameResolution",
    "Name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "Temporary failure in name resolution",
    "No address associated with hostname",
)


def is_dns_failure(exc: BaseException) -> bool:
    """Whether a connection error comes from a failed host-name lookup (offline: do not retry)."""
    stack: list[object] = [exc]
    seen: set[int] = set()
    while stack:
        cur = stack.pop()
        if not isinstance(cur, BaseException) or id(cur) in seen:
            continue
        seen.add(id(cur))
        text = f"{type(cur).__name__} {cur}"
        if any(marker in text for marker in _DNS_MARKERS):
            return True
        stack.extend([cur.__cause__, cur.__context__, getattr(cur, "reason", None), *cur.args])
    return False


def retry_after(value: str | None, now: float) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for (``None`` when absent or unreadable)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


@dataclass(frozen=True)
class Rule:
    """How the client handles one kind of failed attempt.

    Attributes:
        statuses: HTTP statuses the row is for (empty for exception rows).
        exceptions: ``requests`` exceptions the row is for (empty for status rows).
        when: Extra condition on the exception (e.g. a failed host-name lookup).
        retry: Whether another attempt is made (while retries are left).
        wait: ``"backoff"`` (exponential), ``"retry-after"`` (the header, else the backoff) or
            ``""`` (no retry).
        error: The error raised when the attempts are spent; ``None`` = diagnosed from the
            answer (:func:`kunnskapsgrunnlag.data.diagnose.client_error`).
        message: Its message; fields ``{host} {table} {code} {attempts} {s} {timeout} {exc}``.
    """

    statuses: tuple[int, ...] = ()
    exceptions: tuple[type[BaseException], ...] = ()
    when: Callable[[BaseException], bool] | None = None
    retry: bool = False
    wait: str = ""
    error: type[SSBError] | None = None
    message: str = ""


_UNREACHABLE = "cannot reach SSB at {host} for table {table} ({exc}; {attempts} attempt{s})"
_CONNECTION = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)

RETRY_TABLE: tuple[Rule, ...] = (
    Rule(
        exceptions=(DeadlineExceeded,),  # still arriving after the deadline: a retry would drip too
        error=SSBTimeoutError,
        message="SSB ({host}) did not send the whole answer for table {table} within the "
        "deadline of {deadline:g} s ({exc}); nothing was cached",
    ),
    Rule(
        exceptions=(requests.Timeout,),
        retry=True,
        wait="backoff",
        error=SSBTimeoutError,
        message="SSB ({host}) did not answer within the timeout of {timeout} s for table "
        "{table}, {attempts} attempts",
    ),
    Rule(
        exceptions=_CONNECTION, when=is_dns_failure, error=SSBConnectionError, message=_UNREACHABLE
    ),
    Rule(
        exceptions=_CONNECTION,
        retry=True,
        wait="backoff",
        error=SSBConnectionError,
        message=_UNREACHABLE,
    ),
    Rule(
        statuses=(429,),
        retry=True,
        wait="retry-after",
        error=SSBRateLimitError,
        message="SSB answered 429 Too Many Requests for table {table} {attempts} times; SSB "
        "allows 30 requests per 60 s per IP address (colleagues share it). Try later.",
    ),
    Rule(
        statuses=(502, 503, 504),
        retry=True,
        wait="retry-after",
        error=SSBUnavailableError,
        message="SSB ({host}) answered {code} for table {table} {attempts} times; the service "
        "is unavailable. Try later.",
    ),
    Rule(statuses=(400, 403, 404)),  # the query is wrong: diagnosed, never retried
)
"""The table, first matching row wins. Statuses in no row are diagnosed and not retried."""

CAUGHT: tuple[type[BaseException], ...] = tuple(
    {e: None for rule in RETRY_TABLE for e in rule.exceptions}
)
"""The exceptions of ``requests`` the loop catches (others propagate unchanged)."""

_DIAGNOSED = Rule()


def rule_for(failure: requests.Response | BaseException) -> Rule:
    """Return the row of :data:`RETRY_TABLE` for a failed attempt (an answer or an exception)."""
    for rule in RETRY_TABLE:
        if isinstance(failure, requests.Response):
            if failure.status_code in rule.statuses:
                return rule
        elif isinstance(failure, rule.exceptions) and (rule.when is None or rule.when(failure)):
            return rule
    return _DIAGNOSED
