"""Sync and async clients for every endpoint of the PGenRM HTTP API (README.md, "The service").

Both clients share the endpoint definitions (``_Endpoints``): each method describes one request and hands it to
``_send``, which the sync client runs at once and the async client returns as a coroutine. Errors are raised as
typed exceptions (``pgenrm.errors``); 429 and 5xx answers and connection failures are retried, waiting the
server's ``Retry-After`` when it sends one and an exponential backoff otherwise. Retrying is safe: feedback
carries an id (the service counts an id once) and scoring does not change state.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import time
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Union

import httpx

from .errors import FeedbackBatchError, TransportError, problem_from

DEFAULT_URL = "http://127.0.0.1:5080"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

Json = Any


def feedback_id(user: str, query: str, *parts: str) -> str:
    """A stable id derived from the content, so that re-sending the same feedback counts once."""
    h = hashlib.sha256("\x1f".join((user, query) + tuple(parts)).encode("utf-8")).hexdigest()
    return "py-" + h[:32]


def _retry_after(response: httpx.Response) -> Optional[float]:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to the backoff


class _Endpoints:
    """Endpoint definitions shared by Client and AsyncClient. Paths and field names are the service's."""

    tenant: str

    def _send(self, method: str, path: str, body: Json = None, params: Optional[Mapping[str, str]] = None,
              key: Optional[str] = None, post: Optional[Callable[[Json], Json]] = None) -> Any:
        raise NotImplementedError  # provided by Client / AsyncClient

    def _t(self, rest: str = "", tenant: Optional[str] = None) -> str:
        t = tenant or self.tenant
        if not t:
            raise ValueError("No tenant: pass tenant=... or use a tenant key ('{tenant}.{secret}').")
        return f"/v1/tenants/{_q(t)}{rest}"

    # --- tenants ---------------------------------------------------------------------------------------------
    def create_tenant(self, tenant: str, settings: Optional[Mapping[str, Any]] = None, *, admin_key: Optional[str] = None):
        """POST /v1/tenants (admin key): creates a tenant; the answer holds its ``apiKey`` (shown once)."""
        body: Dict[str, Any] = {"tenant": tenant}
        if settings:
            body["settings"] = dict(settings)
        return self._send("POST", "/v1/tenants", body, key=admin_key)

    def get_tenant(self, tenant: Optional[str] = None):
        """GET /v1/tenants/{t}: settings, prototype count, centroid version."""
        return self._send("GET", self._t("", tenant))

    # --- feedback --------------------------------------------------------------------------------------------
    def feedback(self, user: str, query: str, chosen: str, rejected: str, *, id: Optional[str] = None,
                 chosen_id: Optional[str] = None, rejected_id: Optional[str] = None, weight: Optional[float] = None,
                 at: Optional[str] = None):
        """POST .../users/{u}/feedback with a pair; returns ``{"id", "status": "applied"|"duplicate", "feedbackCount"}``."""
        return self._send("POST", self._t(f"/users/{_q(user)}/feedback"),
                          pair_item(user, query, chosen, rejected, id=id, chosen_id=chosen_id, rejected_id=rejected_id,
                                    weight=weight, at=at, with_user=False))

    def rate(self, user: str, query: str, ratings: Sequence[Union[Mapping[str, Any], tuple]], *, id: Optional[str] = None):
        """POST .../users/{u}/feedback with ratings: ``[{"text", "rating", "itemId"?}]`` or ``[(text, rating)]``."""
        return self._send("POST", self._t(f"/users/{_q(user)}/feedback"), rating_item(user, query, ratings, id=id, with_user=False))

    def feedback_batch(self, items: Sequence[Mapping[str, Any]], *, raise_on_failure: bool = True):
        """POST .../feedback/batch: items with ``user`` (see ``pair_item`` / ``rating_item``); one result per item.

        Items that failed are reported by the service while the others are applied; with ``raise_on_failure`` they
        raise ``FeedbackBatchError`` (holding every result) so that they are not silently lost.
        """
        def post(answer: Json) -> Json:
            results = answer["results"]
            if raise_on_failure and any(r.get("status") == "failed" for r in results):
                raise FeedbackBatchError(results)
            return results
        return self._send("POST", self._t("/feedback/batch"), {"items": list(items)}, post=post)

    def set_stated_preference(self, user: str, text: str):
        """PUT .../users/{u}/stated-preference; returns the profile."""
        return self._send("PUT", self._t(f"/users/{_q(user)}/stated-preference"), {"text": text})

    # --- scoring ---------------------------------------------------------------------------------------------
    def score(self, user: str, query: str, candidates: Sequence[str], *, candidate_ids: Optional[Sequence[Optional[str]]] = None,
              m: Optional[int] = None, n: Optional[int] = None, explain: bool = False):
        """POST .../users/{u}/score: ``rewards`` (one per candidate), ``preferredIndex``, ..., ``chain`` when explain."""
        body: Dict[str, Any] = {"query": query, "candidates": list(candidates)}
        if candidate_ids is not None:
            body["candidateIds"] = list(candidate_ids)
        if m is not None:
            body["m"] = m
        if n is not None:
            body["n"] = n
        if explain:
            body["explain"] = True
        return self._send("POST", self._t(f"/users/{_q(user)}/score"), body)

    def rewards(self, user: str, query: str, candidates: Sequence[str], **kwargs: Any):
        """Just the list of rewards of ``score``."""
        return self._send("POST", self._t(f"/users/{_q(user)}/score"), {"query": query, "candidates": list(candidates), **_camel(kwargs)},
                          post=lambda a: [float(r) for r in a["rewards"]])

    def compare(self, user: str, query: str, first: str, second: str):
        """POST .../users/{u}/compare: ``probability`` that the first is preferred, and the score."""
        return self._send("POST", self._t(f"/users/{_q(user)}/compare"), {"query": query, "candidates": [first, second]})

    def get_reward(self, query: Sequence[str], *, prompts: Optional[Sequence[str]] = None, labels: Optional[Sequence[str]] = None,
                   user_ids: Optional[Sequence[str]] = None, user_id: Optional[str] = None):
        """POST /get_reward (OpenRLHF's remote reward model protocol); returns the list of rewards."""
        body: Dict[str, Any] = {"query": list(query)}
        for name, value in (("prompts", prompts), ("labels", labels), ("user_ids", user_ids)):
            if value is not None:
                body[name] = list(value)
        if user_id is not None:
            body["user_id"] = user_id
        return self._send("POST", "/get_reward", body, post=lambda a: [float(r) for r in a["rewards"]])

    # --- users -----------------------------------------------------------------------------------------------
    def profile(self, user: str):
        """GET .../users/{u}/profile (404 ``NotFoundError`` for a user with nothing stored)."""
        return self._send("GET", self._t(f"/users/{_q(user)}/profile"))

    def export_user(self, user: str):
        """GET .../users/{u}/export: everything stored for the user."""
        return self._send("GET", self._t(f"/users/{_q(user)}/export"))

    def delete_user(self, user: str):
        """DELETE .../users/{u}; returns None."""
        return self._send("DELETE", self._t(f"/users/{_q(user)}"))

    # --- prototypes ------------------------------------------------------------------------------------------
    def prototypes(self):
        """GET .../prototypes: statistics per prototype."""
        return self._send("GET", self._t("/prototypes"))

    def prototype_map(self):
        """GET .../prototypes/map: 2-D projection of the centroids, size = members."""
        return self._send("GET", self._t("/prototypes/map"))

    def recluster(self):
        """POST .../prototypes/recluster: run a re-clustering pass now; returns the map."""
        return self._send("POST", self._t("/prototypes/recluster"))

    # --- health ----------------------------------------------------------------------------------------------
    def live(self):
        """GET /health/live."""
        return self._send("GET", "/health/live", key="")

    def ready(self):
        """GET /health/ready (503 ``ServerError`` while starting, after the retries)."""
        return self._send("GET", "/health/ready", key="")


def pair_item(user: str, query: str, chosen: str, rejected: str, *, id: Optional[str] = None, chosen_id: Optional[str] = None,
              rejected_id: Optional[str] = None, weight: Optional[float] = None, at: Optional[str] = None,
              with_user: bool = True) -> Dict[str, Any]:
    """A pair feedback item (with ``user`` for batches); the id defaults to one derived from the content."""
    item: Dict[str, Any] = {"id": id or feedback_id(user, query, chosen, rejected), "query": query, "chosen": chosen, "rejected": rejected}
    if with_user:
        item["user"] = user
    for name, value in (("chosenId", chosen_id), ("rejectedId", rejected_id), ("weight", weight), ("at", at)):
        if value is not None:
            item[name] = value
    return item


def rating_item(user: str, query: str, ratings: Sequence[Union[Mapping[str, Any], tuple]], *, id: Optional[str] = None,
                with_user: bool = True) -> Dict[str, Any]:
    """A ratings feedback item: ``ratings`` as dicts or ``(text, rating)`` tuples."""
    rs = [dict(r) if isinstance(r, Mapping) else {"text": r[0], "rating": r[1]} for r in ratings]
    item: Dict[str, Any] = {"id": id or feedback_id(user, query, *(f"{r['text']}={r['rating']}" for r in rs)), "query": query, "ratings": rs}
    if with_user:
        item["user"] = user
    return item


def _q(segment: str) -> str:
    from urllib.parse import quote
    return quote(segment, safe="")


def _camel(kwargs: Mapping[str, Any]) -> Dict[str, Any]:
    names = {"candidate_ids": "candidateIds"}
    return {names.get(k, k): v for k, v in kwargs.items() if v is not None}


def _tenant_of(key: Optional[str]) -> str:
    if key and "." in key:
        return key.split(".", 1)[0]
    return ""


def _decode(response: httpx.Response) -> Json:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, ValueError):
        return None


class _Settings:
    def __init__(self, base_url: Optional[str], api_key: Optional[str], tenant: Optional[str], max_retries: int,
                 backoff: float, max_backoff: float) -> None:
        self.base_url = (base_url or os.environ.get("PGENRM_URL") or DEFAULT_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("PGENRM_API_KEY")
        self.tenant = tenant or _tenant_of(self.api_key)
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff

    def headers(self, key: Optional[str]) -> Dict[str, str]:
        k = self.api_key if key is None else key
        h = {"Accept": "application/json"}
        if k:
            h["Authorization"] = f"Bearer {k}"
        return h

    def delay(self, attempt: int, retry_after: Optional[float]) -> float:
        if retry_after is not None:
            return retry_after
        base = min(self.max_backoff, self.backoff * (2 ** attempt))
        return base * (0.5 + random.random() / 2)  # jitter: retries of many workers do not arrive together


class Client(_Endpoints):
    """Synchronous client. ``Client(url, api_key)``; the tenant defaults to the key's prefix.

    ``url`` and ``api_key`` default to the environment variables ``PGENRM_URL`` and ``PGENRM_API_KEY``.
    """

    def __init__(self, base_url: Optional[str] = None, api_key: Optional[str] = None, *, tenant: Optional[str] = None,
                 timeout: float = 60.0, max_retries: int = 4, backoff: float = 0.25, max_backoff: float = 8.0,
                 transport: Optional[httpx.BaseTransport] = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self._s = _Settings(base_url, api_key, tenant, max_retries, backoff, max_backoff)
        self.tenant = self._s.tenant
        self._sleep = sleep
        self._http = httpx.Client(base_url=self._s.base_url, timeout=timeout, transport=transport)

    @property
    def base_url(self) -> str:
        return self._s.base_url

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def batcher(self, max_batch: int = 256) -> "FeedbackBatcher":
        """A ``FeedbackBatcher`` sending through this client."""
        return FeedbackBatcher(self, max_batch)

    def _send(self, method, path, body=None, params=None, key=None, post=None):
        attempt = 0
        while True:
            try:
                response = self._http.request(method, path, json=body, params=params, headers=self._s.headers(key))
            except httpx.TransportError as e:
                if attempt >= self._s.max_retries:
                    raise TransportError(f"{method} {self._s.base_url}{path}: {e!r}") from e
                self._sleep(self._s.delay(attempt, None))
                attempt += 1
                continue
            if response.status_code < 400:
                value = _decode(response)
                return post(value) if post else value
            retry_after = _retry_after(response)
            if response.status_code in RETRY_STATUSES and attempt < self._s.max_retries:
                self._sleep(self._s.delay(attempt, retry_after))
                attempt += 1
                continue
            raise problem_from(response.status_code, _decode(response), response.text, retry_after)


class AsyncClient(_Endpoints):
    """Asynchronous client (same methods as ``Client``, awaited)."""

    def __init__(self, base_url: Optional[str] = None, api_key: Optional[str] = None, *, tenant: Optional[str] = None,
                 timeout: float = 60.0, max_retries: int = 4, backoff: float = 0.25, max_backoff: float = 8.0,
                 transport: Optional[httpx.AsyncBaseTransport] = None, sleep: Optional[Callable[[float], Any]] = None) -> None:
        self._s = _Settings(base_url, api_key, tenant, max_retries, backoff, max_backoff)
        self.tenant = self._s.tenant
        self._sleep = sleep or asyncio.sleep
        self._http = httpx.AsyncClient(base_url=self._s.base_url, timeout=timeout, transport=transport)

    @property
    def base_url(self) -> str:
        return self._s.base_url

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    def batcher(self, max_batch: int = 256) -> "AsyncFeedbackBatcher":
        """An ``AsyncFeedbackBatcher`` sending through this client."""
        return AsyncFeedbackBatcher(self, max_batch)

    async def _send(self, method, path, body=None, params=None, key=None, post=None):
        attempt = 0
        while True:
            try:
                response = await self._http.request(method, path, json=body, params=params, headers=self._s.headers(key))
            except httpx.TransportError as e:
                if attempt >= self._s.max_retries:
                    raise TransportError(f"{method} {self._s.base_url}{path}: {e!r}") from e
                await self._sleep(self._s.delay(attempt, None))
                attempt += 1
                continue
            if response.status_code < 400:
                value = _decode(response)
                return post(value) if post else value
            retry_after = _retry_after(response)
            if response.status_code in RETRY_STATUSES and attempt < self._s.max_retries:
                await self._sleep(self._s.delay(attempt, retry_after))
                attempt += 1
                continue
            raise problem_from(response.status_code, _decode(response), response.text, retry_after)


class FeedbackBatcher:
    """Collects feedback of many users and sends it in batches of at most ``max_batch`` (the tenant's ``maxBatch``,
    256 by default). Use as a context manager (the rest is sent on exit) or call ``flush()``. ``results`` holds
    every item's acknowledgement; a failed item raises ``FeedbackBatchError`` at its flush."""

    def __init__(self, client: Client, max_batch: int = 256) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be >= 1")
        self._client = client
        self._max = max_batch
        self._pending: List[Dict[str, Any]] = []
        self.results: List[Dict[str, Any]] = []

    def add(self, user: str, query: str, chosen: str, rejected: str, **kwargs: Any) -> None:
        """Queues a pair (keyword arguments as ``pair_item``); sends a batch when ``max_batch`` are queued."""
        self.add_item(pair_item(user, query, chosen, rejected, **kwargs))

    def add_ratings(self, user: str, query: str, ratings: Sequence[Union[Mapping[str, Any], tuple]], **kwargs: Any) -> None:
        """Queues a ratings item."""
        self.add_item(rating_item(user, query, ratings, **kwargs))

    def add_item(self, item: Mapping[str, Any]) -> None:
        """Queues a ready item (with ``user`` and ``id``)."""
        self._pending.append(dict(item))
        if len(self._pending) >= self._max:
            self.flush()

    def flush(self) -> List[Dict[str, Any]]:
        """Sends what is queued; returns this batch's results."""
        if not self._pending:
            return []
        batch, self._pending = self._pending, []
        try:
            results = self._client.feedback_batch(batch)
        except FeedbackBatchError as e:
            self.results.extend(e.results)
            raise
        self.results.extend(results)
        return results

    def __enter__(self) -> "FeedbackBatcher":
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self.flush()


class AsyncFeedbackBatcher:
    """``FeedbackBatcher`` for ``AsyncClient`` (``await add(...)``, ``async with``)."""

    def __init__(self, client: AsyncClient, max_batch: int = 256) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be >= 1")
        self._client = client
        self._max = max_batch
        self._pending: List[Dict[str, Any]] = []
        self.results: List[Dict[str, Any]] = []

    async def add(self, user: str, query: str, chosen: str, rejected: str, **kwargs: Any) -> None:
        await self.add_item(pair_item(user, query, chosen, rejected, **kwargs))

    async def add_item(self, item: Mapping[str, Any]) -> None:
        self._pending.append(dict(item))
        if len(self._pending) >= self._max:
            await self.flush()

    async def flush(self) -> List[Dict[str, Any]]:
        if not self._pending:
            return []
        batch, self._pending = self._pending, []
        try:
            results = await self._client.feedback_batch(batch)
        except FeedbackBatchError as e:
            self.results.extend(e.results)
            raise
        self.results.extend(results)
        return results

    async def __aenter__(self) -> "AsyncFeedbackBatcher":
        return self

    async def __aexit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            await self.flush()
