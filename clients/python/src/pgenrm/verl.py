"""verl adapter: ``compute_score`` for ``custom_reward_function.path=.../pgenrm/verl.py`` and
``custom_reward_function.name=compute_score``.

verl's reward manager calls ``compute_score(data_source=..., solution_str=..., ground_truth=..., extra_info=...)``
(plus any ``reward_kwargs``) once per response and uses the returned float. The user is ``extra_info["user_id"]``,
else ``ground_truth`` (put the user id in ``reward_model.ground_truth`` of the parquet rows); the query is
``extra_info["prompt"]``, ``["query"]`` or ``["question"]`` (add it when preparing the data: verl passes the decoded
response, not the prompt). The response is scored alone, so its reward is on the scale of a single candidate.
The client is ``Client()`` from PGENRM_URL and PGENRM_API_KEY.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from ._client import Client

_client: Optional[Client] = None


def _get_client() -> Client:
    global _client
    if _client is None:
        _client = Client()
    return _client


def compute_score(data_source: Any, solution_str: str, ground_truth: Any, extra_info: Optional[Mapping[str, Any]] = None,
                  **kwargs: Any) -> float:
    """The user's reward for ``solution_str``; raises (never a default score) when the service refuses."""
    info = extra_info or {}
    user = info.get("user_id") or ground_truth
    if not user:
        raise ValueError("No user: set extra_info['user_id'] or reward_model.ground_truth to the user id.")
    query = info.get("prompt") or info.get("query") or info.get("question")
    if not query:
        raise ValueError("No query: set extra_info['prompt'] (or 'query' / 'question') to the prompt text.")
    if not isinstance(query, str):
        from .trl import text_of
        query = text_of(query, "user")
    client = kwargs.get("client") or _get_client()
    return client.rewards(str(user), query, [solution_str])[0]
