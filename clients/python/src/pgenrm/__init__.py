"""Python client for PGenRM, the personalized reward service.

    from pgenrm import Client
    client = Client("http://127.0.0.1:5080", "demo.xxxx")
    rewards = client.rewards("alice", "How do I sort a dict?", ["sorted(d.items(), key=...)", "It depends."])

Adapters for RL training loops: ``pgenrm.trl`` (GRPOTrainer reward function), ``pgenrm.verl`` (``compute_score``);
OpenRLHF needs no adapter (``--remote_rm_url http://HOST/get_reward?api_key=KEY``, see the package README).
"""
from ._client import AsyncClient, AsyncFeedbackBatcher, Client, FeedbackBatcher, feedback_id, pair_item, rating_item
from .errors import (BadRequestError, ConflictError, FeedbackBatchError, ForbiddenError, NotFoundError, PayloadTooLargeError,
                     PGenRMError, ProblemError, RateLimitedError, ServerError, TransportError, UnauthorizedError)

__all__ = [
    "AsyncClient", "AsyncFeedbackBatcher", "Client", "FeedbackBatcher", "feedback_id", "pair_item", "rating_item",
    "BadRequestError", "ConflictError", "FeedbackBatchError", "ForbiddenError", "NotFoundError", "PayloadTooLargeError",
    "PGenRMError", "ProblemError", "RateLimitedError", "ServerError", "TransportError", "UnauthorizedError",
]
__version__ = "0.1.0"
