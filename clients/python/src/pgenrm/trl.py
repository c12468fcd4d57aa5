"""TRL adapter: a reward function for ``GRPOTrainer(reward_funcs=...)``.

TRL calls each reward function as ``reward_func(prompts=..., completions=..., completion_ids=..., **kwargs)`` where
the keyword arguments are the dataset's other columns, one value per completion (and, in recent versions,
``trainer_state``). The user comes from the ``user_id`` column. Prompts and completions are either strings
(standard format) or lists of ``{"role", "content"}`` messages (conversational format): the query is the last user
message of the prompt, the response the completion's last message.

Completions of one user and prompt (GRPO's group) are scored together in one ``/score`` call, so their rewards are
comparable; an error raises (TRL stops) rather than turning into a reward.

    from pgenrm.trl import make_reward_fn
    trainer = GRPOTrainer(model=..., reward_funcs=make_reward_fn(Client(url, key)), train_dataset=ds_with_user_id)
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ._client import Client


def text_of(value: Any, role: Optional[str] = None) -> str:
    """The text of a prompt or completion: a string as is; for messages, the last one (of ``role`` when given)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("content", ""))
    messages = [m for m in value if role is None or m.get("role") == role] or list(value)
    if not messages:
        raise ValueError("empty message list")
    return str(messages[-1].get("content", ""))


def make_reward_fn(client: Optional[Client] = None, *, user_column: str = "user_id", max_candidates: int = 64,
                   name: str = "pgenrm_reward") -> Callable[..., List[float]]:
    """Builds ``reward_fn(prompts, completions, **kwargs)``; the client defaults to ``Client()`` (PGENRM_URL, PGENRM_API_KEY)."""
    state: Dict[str, Client] = {}

    def reward_fn(prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any) -> List[float]:
        if len(prompts) != len(completions):
            raise ValueError(f"{len(prompts)} prompts but {len(completions)} completions")
        users = kwargs.get(user_column)
        if users is None:
            raise KeyError(f"The dataset has no '{user_column}' column: PGenRM needs the user of every prompt.")
        if len(users) != len(completions):
            raise ValueError(f"'{user_column}' holds {len(users)} values for {len(completions)} completions")
        c = client or state.get("c") or state.setdefault("c", Client())
        groups: Dict[Tuple[str, str], List[int]] = {}
        for i, (p, u) in enumerate(zip(prompts, users)):
            groups.setdefault((str(u), text_of(p, "user")), []).append(i)
        rewards: List[Optional[float]] = [None] * len(completions)
        for (user, query), indices in groups.items():
            for start in range(0, len(indices), max_candidates):
                chunk = indices[start:start + max_candidates]
                got = c.rewards(user, query, [text_of(completions[i], "assistant") for i in chunk])
                for i, r in zip(chunk, got):
                    rewards[i] = r
        return [float(r) for r in rewards]  # every entry was set above

    reward_fn.__name__ = name  # TRL logs rewards under the function's name
    return reward_fn


def reward_fn(prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any) -> List[float]:
    """Ready-made reward function reading ``user_id``, with ``Client()`` from PGENRM_URL and PGENRM_API_KEY."""
    return _default(prompts, completions, **kwargs)


_default = make_reward_fn(name="reward_fn")
