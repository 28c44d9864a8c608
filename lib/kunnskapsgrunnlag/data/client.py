"""The PxWebApi client :class:`SSBClient`: v2 GET/POST and v1 POST.

Every request has a timeout and passes the sliding-window
:class:`~kunnskapsgrunnlag.data.ratelimit.Throttle` (shared by every process on the machine);
429/503/connection errors are retried with backoff (``Retry-After`` is honoured) as
:data:`~kunnskapsgrunnlag.data.retry.RETRY_TABLE` says; 400/403/404 raise an
:class:`~kunnskapsgrunnlag.data.errors.SSBError` subclass that names the table, the variable and
the value at fault. Raw responses are cached on disk (atomic writes, validated before they are
written) and decoded tables are memoised per query, so a batch asks SSB once per table query and
slices per county afterwards.

See ``docs/data.md`` for why the retry loop and the cache are written here rather than taken from
``urllib3.Retry`` / ``requests-cache``.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pandas as pd
import requests

from kunnskapsgrunnlag.data import diagnose, retry, transfer
from kunnskapsgrunnlag.data.cache import DiskCache, default_cache_dir, default_max_age, file_lock
from kunnskapsgrunnlag.data.errors import JSONStatError, SSBError, SSBResponseError
from kunnskapsgrunnlag.data.jsonstat import read_jsonstat
from kunnskapsgrunnlag.data.query import (
    MAX_URL_LENGTH,
    AnyQuery,
    Query,
    Request,
    V1Query,
    _query_string,
    as_query,
)
from kunnskapsgrunnlag.data.ratelimit import Throttle, default_state_file

DEFAULT_BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
"""PxWebApi v2 base URL."""

DEFAULT_V1_BASE_URL = "https://data.ssb.no/api/v0"
"""PxWebApi v1 base URL (``/{lang}/table/{id}``)."""

USER_AGENT = "kunnskapsgrunnlag (fylkeskommunenes analysemal; python-requests)"


@dataclass(eq=False)
class SSBClient:
    """Client for SSB's PxWebApi (v2 GET/POST, v1 POST) with throttle, retries and caches.

    One client per batch: :meth:`get_table` memoises each query's decoded table in-process and the
    raw response on disk, so every table query reaches SSB at most once per run whatever the number
    of counties.

    Attributes:
        base_url: PxWebApi v2 base, e.g. ``https://data.ssb.no/api/pxwebapi/v2``.
        v1_base_url: PxWebApi v1 base; derived from *base_url* when left ``None``.
        cache_dir: Disk cache folder (default ``$KG_CACHE`` or ``data/cache``); ``None`` = no
            disk cache.
        cache_max_age: Seconds a disk-cached response is used before it is fetched again
            (default ``$KG_CACHE_MAX_AGE`` or 24 hours; ``None`` = forever).
        timeout: ``(connect, read)`` seconds for every request.
        deadline: Seconds one request may take in all, body included (``None`` = no limit); a
            server that drips its answer fails with ``SSBTimeoutError`` naming the table.
        max_retries: Retries after the first attempt for 429/5xx/connection errors/timeouts.
        backoff: First backoff in seconds; doubled per retry, capped at *max_backoff*.
        max_backoff: Longest wait between attempts (also the cap on ``Retry-After``).
        max_url_length: Longer GET URLs go as POST.
        diagnose: On a 400, fetch the table's metadata once to name the variable/value at fault.
        throttle: The rate limit (default 29 per 60 s with *clock*/*sleep*, its window shared
            by every process on the machine through
            :func:`~kunnskapsgrunnlag.data.ratelimit.default_state_file`).
        clock: Wall clock for the throttle (injectable for tests; the shared window holds
            wall-clock times).
        sleep: Sleep function (injectable for tests).
        session: The ``requests.Session`` to use.
        requests_sent: Number of HTTP requests actually sent (all attempts, metadata included).
    """

    base_url: str = DEFAULT_BASE_URL
    v1_base_url: str | None = None
    cache_dir: Path | str | None = field(default_factory=default_cache_dir)
    cache_max_age: float | None = field(default_factory=default_max_age)
    timeout: float | tuple[float, float] = (10.0, 120.0)
    deadline: float | None = 120.0
    max_retries: int = 4
    backoff: float = 2.0
    max_backoff: float = 90.0
    max_url_length: int = MAX_URL_LENGTH
    diagnose: bool = True
    throttle: Throttle | None = None
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session | None = None
    requests_sent: int = 0

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        if self.v1_base_url is None:
            if self.base_url.endswith("/pxwebapi/v2"):
                self.v1_base_url = self.base_url[: -len("/pxwebapi/v2")] + "/v0"
            else:
                self.v1_base_url = DEFAULT_V1_BASE_URL
        self.v1_base_url = self.v1_base_url.rstrip("/")
        if self.throttle is None:
            self.throttle = Throttle(
                clock=self.clock, sleep=self.sleep, state_file=default_state_file()
            )
        if self.session is None:
            self.session = requests.Session()
            self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.cache = (
            DiskCache(self.cache_dir, max_age=self.cache_max_age, clock=self.clock)
            if self.cache_dir
            else None
        )
        self.fetched_at: dict[str, str] = {}
        """When each answer used was fetched from SSB (ISO 8601, UTC), by request key."""
        self._memo: dict[str, pd.DataFrame] = {}
        self._lock = threading.RLock()
        self.cache_hits = 0
        """Responses served from the disk cache."""
        self.sent_log: list[Request] = []
        """Every request sent, in order (attempts included)."""

    # -- public API ----------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """Host name of the v2 base URL (for messages)."""
        return urlsplit(self.base_url).hostname or self.base_url

    def request_for(self, query: AnyQuery | Mapping[str, Any]) -> Request:
        """Return the HTTP request that *query* becomes (GET, or POST when the URL is too long)."""
        query = as_query(query)
        if isinstance(query, V1Query):
            return Request(
                "POST",
                f"{self.v1_base_url}/{query.lang}/table/{query.table}",
                query.body(),
                query.table,
            )
        base = f"{self.base_url}/tables/{quote(query.table, safe='')}/data"
        url = f"{base}?{_query_string(query.url_params(full=True))}"
        needs_post = len(url) > self.max_url_length or any(
            "," in v for s in query.selections for v in s.values
        )
        if not needs_post:
            return Request("GET", url, None, query.table)
        return Request(
            "POST",
            f"{base}?{_query_string(query.url_params(full=False))}",
            query.body(),
            query.table,
        )

    def get_table(
        self, query: AnyQuery | Mapping[str, Any], *, refresh: bool = False
    ) -> pd.DataFrame:
        """Return *query*'s table as decoded by :func:`read_jsonstat` (memoised per query).

        Args:
            query: A :class:`Query`, a :class:`V1Query` or the manifest dict spelling of a v2 query.
            refresh: Skip the in-process memo and the disk cache (the new answer replaces both).

        Returns:
            A copy of the decoded frame (callers may modify it freely: pandas copy-on-write keeps
            the memoised frame intact).
        """
        req = self.request_for(query)
        with self._lock:
            if not refresh and req.cache_key in self._memo:
                return self._memo[req.cache_key].copy(deep=False)
            raw, df = self._fetch(as_query(query), req, refresh)
            if df is None:
                df = read_jsonstat(raw)
            df.attrs["request"] = {"method": req.method, "url": req.url}
            df.attrs["fetched_at"] = self.fetched_at.get(req.cache_key)
            self._memo[req.cache_key] = df
            return df.copy(deep=False)

    def fetch(self, query: AnyQuery | Mapping[str, Any], *, refresh: bool = False) -> bytes:
        """Return the raw JSON-stat body for *query* (disk cache first unless *refresh*).

        The body is validated (JSON, then JSON-stat) before it is cached or returned.

        Raises:
            SSBError: A subclass describing what went wrong (see the module docstring).
        """
        query = as_query(query)
        return self._fetch(query, self.request_for(query), refresh)[0]

    def _fetch(
        self, query: AnyQuery, req: Request, refresh: bool
    ) -> tuple[bytes, pd.DataFrame | None]:
        """Return the body and, when it was just fetched, its decoded frame."""
        if self.cache is None:
            self._stamp(req, self.clock())
            return self._fetch_validated(query, req)
        # One lock file for the cache: processes of a batch never fetch the same query twice
        # at once, and their SSB traffic is serialised.
        with file_lock(self.cache.directory / ".lock"):
            if not refresh:
                cached = self.cache.get_entry(req.cache_key)
                if cached is not None:
                    self.cache_hits += 1
                    self._stamp(req, cached[1])
                    return cached[0], None
            data, df = self._fetch_validated(query, req)
            meta = {
                "method": req.method,
                "url": req.url,
                "body": req.body,
                "table": req.table,
                "fetched_at": self._stamp(req, self.clock()),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            self.cache.put(req.cache_key, data, meta)
        return data, df

    def _stamp(self, req: Request, when: float) -> str:
        """Record (and return) when the answer to *req* was fetched, ISO 8601 in UTC."""
        stamp = datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds")
        self.fetched_at[req.cache_key] = stamp
        return stamp

    def clear_memo(self) -> None:
        """Forget the in-process decoded tables (the disk cache stays)."""
        with self._lock:
            self._memo.clear()

    # -- internals -----------------------------------------------------------------------------

    def _fetch_validated(self, query: AnyQuery, req: Request) -> tuple[bytes, pd.DataFrame]:
        """Send *req*; return the body and its decoded frame, or raise if it is not JSON-stat."""
        resp = self._send(req, query)
        data = resp.content
        try:
            parsed = json.loads(data)
        except ValueError as exc:
            raise SSBResponseError(
                f"SSB sent a corrupt or truncated answer for table {req.table} ({len(data)} bytes, "
                f"not valid JSON: {exc}). Nothing was cached; run again.",
                table=req.table,
                status_code=resp.status_code,
                url=req.url,
            ) from None
        try:
            df = read_jsonstat(parsed)
        except JSONStatError as exc:
            raise JSONStatError(
                f"SSB's answer for table {req.table} is not usable JSON-stat: {exc}. Nothing was cached.",
                table=req.table,
                url=req.url,
            ) from None
        return data, df

    def _send(self, req: Request, query: AnyQuery | None) -> requests.Response:
        """Send *req* until it succeeds or the retry table says stop.

        One loop driven by :data:`~kunnskapsgrunnlag.data.retry.RETRY_TABLE`; every attempt passes
        the throttle and is counted.
        """
        assert self.session is not None
        attempt = 0
        while True:
            self._count(req)
            failure: requests.Response | BaseException
            try:
                failure = self._request(req.method, req.url, req.body)
            except retry.CAUGHT as exc:
                failure = exc
            if isinstance(failure, requests.Response) and failure.status_code == 200:
                return failure
            rule = retry.rule_for(failure)
            if rule.error is None:
                assert isinstance(failure, requests.Response)
                meta = self._metadata if self.diagnose else None
                raise diagnose.client_error(req, query, failure, meta)
            if not rule.retry or attempt >= self.max_retries:
                raise self._give_up(rule, req, failure, attempt)
            self.sleep(self._wait(rule, failure, attempt))
            attempt += 1

    def _request(self, method: str, url: str, body: Any) -> requests.Response:
        """Send one request and read its body within :attr:`deadline` (see ``data/transfer``)."""
        assert self.session is not None
        started = time.monotonic()
        resp = self.session.request(method, url, json=body, timeout=self.timeout, stream=True)
        transfer.read_body(resp, deadline=self.deadline, started=started)
        return resp

    def _count(self, req: Request) -> None:
        """Pass the throttle and record one request about to be sent."""
        assert self.throttle is not None
        self.throttle.acquire()
        self.requests_sent += 1
        self.sent_log.append(req)

    def _wait(
        self, rule: retry.Rule, failure: requests.Response | BaseException, attempt: int
    ) -> float:
        """Seconds before the next attempt: ``Retry-After`` (capped) where the rule says so."""
        if rule.wait == "retry-after" and isinstance(failure, requests.Response):
            wait = retry.retry_after(failure.headers.get("Retry-After"), time.time())
            if wait is not None:
                return min(wait, self.max_backoff)
        return self._backoff(attempt)

    def _give_up(
        self,
        rule: retry.Rule,
        req: Request,
        failure: requests.Response | BaseException,
        attempt: int,
    ) -> SSBError:
        """Return the rule's error for the last attempt (chained to the exception, if any)."""
        assert rule.error is not None
        code = failure.status_code if isinstance(failure, requests.Response) else None
        message = rule.message.format(
            host=self.host,
            table=req.table,
            code=code,
            attempts=attempt + 1,
            s="s" if attempt else "",
            timeout=self.timeout,
            deadline=self.deadline or 0,
            exc=failure
            if isinstance(failure, transfer.DeadlineExceeded)
            else type(failure).__name__,
        )
        error = rule.error(message, table=req.table, status_code=code, url=req.url)
        if isinstance(failure, BaseException):
            error.__cause__ = failure
        return error

    def _backoff(self, attempt: int) -> float:
        return float(min(self.max_backoff, self.backoff * (2**attempt)))

    def _metadata(self, query: AnyQuery) -> diagnose.Metadata | None:
        """Return the table's metadata (one request, not retried), or ``None`` if unavailable."""
        if isinstance(query, Query):
            url = (
                f"{self.base_url}/tables/{quote(query.table, safe='')}/metadata"
                f"?lang={query.lang}&outputFormat=json-stat2"
            )
        else:
            url = f"{self.v1_base_url}/{query.lang}/table/{query.table}"
        assert self.session is not None
        self._count(Request("GET", url, None, query.table))
        try:
            resp = self._request("GET", url, None)
            if resp.status_code != 200:
                return None
            data = resp.json()
        except (requests.RequestException, ValueError):
            return None
        return diagnose.parse_metadata(data)


_DEFAULT_CLIENT: SSBClient | None = None


def default_base_url() -> str:
    """Return ``$KG_SSB_BASE_URL`` when set (a local test server), else SSB's v2 base URL."""
    return os.environ.get("KG_SSB_BASE_URL") or DEFAULT_BASE_URL


def default_client() -> SSBClient:
    """Return the process-wide client (created on first use), so memoisation spans the batch.

    It honours ``$KG_SSB_BASE_URL`` and ``$KG_CACHE`` as they are when it is created.
    """
    global _DEFAULT_CLIENT
    if _DEFAULT_CLIENT is None:
        _DEFAULT_CLIENT = SSBClient(base_url=default_base_url())
    return _DEFAULT_CLIENT
