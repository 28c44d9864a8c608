"""Reading an answer's body under an overall deadline.

``requests``' read timeout bounds the wait for each piece of the body, not the whole download: a
server that sends a byte every few seconds would hold a request forever. :func:`read_body` reads
the body of a ``stream=True`` response in pieces as they arrive and raises
:class:`DeadlineExceeded` once the request has taken longer than its deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import requests
import urllib3.exceptions

CHUNK = 1 << 16
"""Largest piece read at once (``read1`` returns what has arrived, up to this)."""


class DeadlineExceeded(requests.Timeout):
    """The whole answer did not arrive within the client's overall deadline."""


def read_body(
    resp: requests.Response,
    *,
    deadline: float | None,
    started: float,
    monotonic: Callable[[], float] = time.monotonic,
) -> None:
    """Read *resp*'s body into ``resp.content``, giving up when *deadline* seconds have passed.

    Args:
        resp: A response of ``session.request(..., stream=True)``.
        deadline: Seconds allowed for the whole request, counted from *started* (``None`` = none).
        started: ``monotonic()`` when the request was sent.
        monotonic: The clock that *started* was read from (injectable for tests).

    Raises:
        DeadlineExceeded: The body was still arriving at the deadline (the connection is closed).
        requests.RequestException: The connection broke or timed out while reading.
    """
    parts: list[bytes] = []
    try:
        while True:
            if deadline is not None and monotonic() - started > deadline:
                raise DeadlineExceeded(
                    f"the answer was not complete after the deadline of {deadline:g} s "
                    f"({sum(map(len, parts))} bytes arrived)"
                )
            piece = resp.raw.read1(CHUNK, decode_content=True)
            if not piece:
                break
            parts.append(piece)
    except requests.RequestException:  # DeadlineExceeded (an OSError too: keep it as it is)
        resp.close()
        raise
    except urllib3.exceptions.ReadTimeoutError as exc:
        resp.close()
        raise requests.exceptions.ReadTimeout(exc) from exc
    except urllib3.exceptions.DecodeError as exc:
        resp.close()
        raise requests.exceptions.ContentDecodingError(exc) from exc
    except (urllib3.exceptions.ProtocolError, OSError) as exc:
        resp.close()
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    except BaseException:
        resp.close()
        raise
    resp._content = b"".join(parts)  # noqa: SLF001 - the documented way to fill a streamed body
    resp._content_consumed = True  # noqa: SLF001
    resp.raw.release_conn()
