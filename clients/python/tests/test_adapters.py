"""The RL adapters against the real host: TRL's reward function, verl's compute_score, OpenRLHF's /get_reward."""
from __future__ import annotations

import time

import pytest

from pgenrm import BadRequestError, Client
from pgenrm.trl import make_reward_fn
from pgenrm.verl import compute_score
from conftest import ADMIN_KEY

Q1 = "How do I reverse a list in Python?"
Q2 = "Give me a tip for writing unit tests."
A = "Use xs[::-1]."
B = "Lists are a deep topic; it depends on many things."
C = "Name each test after the behaviour it checks."
D = "Testing is a philosophy; consider reading several books first."


@pytest.fixture(scope="module")
def client(host):
    key = Client(host.url, ADMIN_KEY).create_tenant("rl", {"maxCandidates": 8})["apiKey"]
    c = Client(host.url, key)
    c.feedback("u1", Q1, A, B)
    c.feedback("u2", Q1, B, A)
    _wait_until_settled(c)
    yield c
    c.close()


def _wait_until_settled(c):
    """Items learn from feedback just after it is acknowledged (the service's derived statistics follow within about a
    tenth of a second, docs/BENCHMARKS.md): the tests compare rewards taken at different moments, so wait until the
    rewards they use have stopped moving (unchanged for half a second), at most 10 s."""
    last, unchanged = None, 0
    deadline = time.monotonic() + 10
    while unchanged < 5:
        assert time.monotonic() < deadline, "rewards still moving 10 s after the feedback was acknowledged"
        now = (c.rewards("u1", Q1, [A, B]), c.rewards("u2", Q1, [A, B]), c.rewards("u1", Q2, [C, D]))
        unchanged = unchanged + 1 if now == last else 0
        last = now
        time.sleep(0.1)


def test_trl_reward_fn_scores_each_users_group_together(client):
    reward_fn = make_reward_fn(client)
    # GRPO: each prompt repeated for its generations; dataset columns arrive as keyword lists, one value per completion.
    prompts = [Q1, Q1, Q1, Q1, Q2, Q2]
    completions = [A, B, A, B, C, D]
    users = ["u1", "u1", "u2", "u2", "u1", "u1"]
    got = reward_fn(prompts=prompts, completions=completions, completion_ids=[[1]] * 6, user_id=users, trainer_state=None)
    assert got == client.rewards("u1", Q1, [A, B]) + client.rewards("u2", Q1, [A, B]) + client.rewards("u1", Q2, [C, D])
    assert got[0] > got[1] and got[2] < got[3]  # u1 chose A, u2 chose B
    assert reward_fn.__name__ == "pgenrm_reward"


def test_trl_reward_fn_reads_conversational_format(client):
    reward_fn = make_reward_fn(client)
    prompts = [[{"role": "system", "content": "Be helpful."}, {"role": "user", "content": Q1}]] * 2
    completions = [[{"role": "assistant", "content": A}], [{"role": "assistant", "content": B}]]
    assert reward_fn(prompts, completions, user_id=["u1", "u1"]) == client.rewards("u1", Q1, [A, B])


def test_trl_reward_fn_without_user_column_raises(client):
    with pytest.raises(KeyError, match="user_id"):
        make_reward_fn(client)([Q1], [A], answer=["x"])


def test_trl_reward_fn_raises_on_a_service_error(client):
    with pytest.raises(BadRequestError):
        make_reward_fn(client)([Q1], [""], user_id=["u1"])  # an empty response is refused, not rewarded


def test_verl_compute_score_reads_user_and_prompt(client):
    got = compute_score("pgenrm", A, "u1", {"prompt": Q1}, client=client)
    assert got == client.rewards("u1", Q1, [A])[0]
    # the user may also come from extra_info
    assert compute_score("pgenrm", A, None, {"user_id": "u1", "question": Q1}, client=client) == got
    with pytest.raises(ValueError, match="prompt"):
        compute_score("pgenrm", A, "u1", {}, client=client)


def test_openrlhf_remote_rm_request_with_labels_as_user_ids(client):
    # What OpenRLHF's --remote_rm_url posts: full prompt+response texts, the prompts, and the dataset's label column.
    prompt = f"Human: {Q1}"
    body_query = [f"{prompt}\n\nAssistant: {A}", f"{prompt}\n\nAssistant: {B}"]
    rewards = client.get_reward(body_query, prompts=[prompt, prompt], labels=["u1", "u1"])
    assert len(rewards) == 2
    assert rewards[0] > rewards[1]
