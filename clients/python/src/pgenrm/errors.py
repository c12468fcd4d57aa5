"""Typed errors: every non-2xx answer of the service (an RFC 9457 problem-details body) becomes an exception.

An error never becomes a reward: a call that fails raises, it does not return a default score.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional


class PGenRMError(Exception):
    """Base class of everything this package raises."""


class TransportError(PGenRMError):
    """The service could not be reached (connection refused, timeout) after the retries."""


class ProblemError(PGenRMError):
    """The service answered with an error status and a problem-details body."""

    status: int = 0

    def __init__(self, status: int, title: str, detail: str, body: Optional[Mapping[str, Any]] = None,
                 retry_after: Optional[float] = None) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail
        self.body = dict(body or {})
        self.retry_after = retry_after


class BadRequestError(ProblemError):
    """400: the request is invalid (the detail names the field)."""


class UnauthorizedError(ProblemError):
    """401: no key or a wrong key."""


class ForbiddenError(ProblemError):
    """403: the key belongs to another tenant (or lacks the admin right)."""


class NotFoundError(ProblemError):
    """404: for example an unknown user on profile, export or delete."""


class ConflictError(ProblemError):
    """409: the tenant exists already."""


class PayloadTooLargeError(ProblemError):
    """413: the body is above the service's limit."""


class RateLimitedError(ProblemError):
    """429: above the tenant's requests per second; ``retry_after`` holds the server's Retry-After in seconds."""


class ServerError(ProblemError):
    """5xx: the service failed or is not ready; retried before it is raised."""


class FeedbackBatchError(PGenRMError):
    """Some items of a feedback batch failed (the others were applied); retry the failed ones by their ids."""

    def __init__(self, results: list) -> None:
        self.results = results
        self.failed = [r for r in results if r.get("status") == "failed"]
        super().__init__(f"{len(self.failed)} of {len(results)} feedback items failed: "
                         + "; ".join(f"{r.get('user')}/{r.get('id')}: {r.get('error', {}).get('detail')}" for r in self.failed[:5]))


_BY_STATUS = {400: BadRequestError, 401: UnauthorizedError, 403: ForbiddenError, 404: NotFoundError,
              409: ConflictError, 413: PayloadTooLargeError, 429: RateLimitedError}


def problem_from(status: int, body: Any, text: str, retry_after: Optional[float]) -> ProblemError:
    """Builds the typed exception for an error answer."""
    mapping = body if isinstance(body, Mapping) else {}
    title = str(mapping.get("title") or f"HTTP {status}")
    detail = str(mapping.get("detail") or text or "(no detail)")
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ProblemError)
    return cls(status, title, detail, mapping, retry_after)
