"""The sync and async clients against the real host: every endpoint, typed errors, retries, feedback batching."""
from __future__ import annotations

import asyncio

import httpx
import pytest

import pgenrm
from pgenrm import (AsyncClient, BadRequestError, Client, ConflictError, ForbiddenError, NotFoundError, RateLimitedError,
                    ServerError, TransportError, UnauthorizedError)
from conftest import ADMIN_KEY, free_port

Q = "How do I reverse a list in Python?"
GOOD = "Use xs[::-1], or xs.reverse() in place."
BAD = "Lists are a deep topic; reversing one depends on what you want to achieve."


@pytest.fixture(scope="module")
def tenant_key(host):
    created = Client(host.url, ADMIN_KEY).create_tenant("py", {"maxCandidates": 4, "maxBatch": 3})
    assert created["tenant"] == "py"
    assert created["settings"]["maxCandidates"] == 4
    return created["apiKey"]


@pytest.fixture()
def client(host, tenant_key):
    with Client(host.url, tenant_key) as c:
        yield c


def test_tenant_comes_from_the_key_and_settings_are_read(client):
    assert client.tenant == "py"
    t = client.get_tenant()
    assert t["tenant"] == "py"
    assert t["settings"]["maxCandidates"] == 4
    assert t["settings"]["maxBatch"] == 3


def test_existing_tenant_is_a_conflict(host, tenant_key):
    with pytest.raises(ConflictError) as e:
        Client(host.url, ADMIN_KEY).create_tenant("py")
    assert e.value.status == 409
    assert e.value.title == "Conflict"


def test_wrong_key_is_unauthorized_and_another_tenant_forbidden(host, tenant_key):
    with pytest.raises(UnauthorizedError) as e:
        Client(host.url, "py.not-the-secret").get_tenant()
    assert e.value.status == 401
    assert e.value.detail == "The API key is not valid."
    with pytest.raises(ForbiddenError) as f:
        Client(host.url, tenant_key, tenant="demo").get_tenant()
    assert f.value.status == 403


def test_feedback_is_idempotent_by_its_derived_id(client):
    first = client.feedback("ann", Q, GOOD, BAD)
    again = client.feedback("ann", Q, GOOD, BAD)
    assert (first["status"], first["feedbackCount"]) == ("applied", 1)
    assert (again["status"], again["feedbackCount"]) == ("duplicate", 1)
    assert first["id"] == again["id"] == pgenrm.feedback_id("ann", Q, GOOD, BAD)


def test_ratings_and_stated_preference_count(client):
    r = client.rate("ben", Q, [(GOOD, 5), (BAD, 1)])
    assert (r["status"], r["feedbackCount"]) == ("applied", 1)
    p = client.set_stated_preference("ben", "Short answers with code.")
    assert p["hasStatedPreference"] is True
    assert client.profile("ben")["feedbackCount"] == 1


def test_score_returns_one_reward_per_candidate_and_the_chain(client):
    client.feedback("cat", Q, GOOD, BAD)
    s = client.score("cat", "How do I sort a list?", ["Use sorted(xs).", "Sorting is a long story."], explain=True)
    assert len(s["rewards"]) == 2
    assert s["preferredIndex"] in (0, 1)
    assert s["rewards"][s["preferredIndex"]] == max(s["rewards"])
    assert sum(item["weightPercent"] for item in s["chain"]["rubric"]) == 100
    assert client.rewards("cat", "How do I sort a list?", ["Use sorted(xs).", "Sorting is a long story."]) == s["rewards"]


def test_an_error_never_becomes_a_reward(client):
    with pytest.raises(BadRequestError) as e:
        client.rewards("cat", Q, ["a", "b", "c", "d", "e"])  # maxCandidates is 4
    assert e.value.status == 400
    assert "'candidates' must hold 1–4 responses, got 5." in e.value.detail


def test_compare_gives_a_probability(client):
    c = client.compare("cat", Q, GOOD, BAD)
    assert 0.0 < c["probability"] < 1.0
    assert len(c["score"]["rewards"]) == 2


def test_profile_export_delete_and_not_found(client):
    client.feedback("dan", Q, GOOD, BAD)
    assert client.profile("dan")["feedbackCount"] == 1
    export = client.export_user("dan")
    assert isinstance(export, dict) and export
    assert client.delete_user("dan") is None
    with pytest.raises(NotFoundError) as e:
        client.profile("dan")
    assert e.value.status == 404


def test_batcher_sends_in_batches_of_max_batch(client, host):
    sent = []
    original = client.feedback_batch

    def spy(items, **kw):
        sent.append(len(items))
        return original(items, **kw)

    client.feedback_batch = spy
    with client.batcher(max_batch=3) as b:
        for i in range(7):
            b.add(f"batch-{i % 2}", f"{Q} ({i})", GOOD, BAD)
    assert sent == [3, 3, 1]
    assert [r["status"] for r in b.results] == ["applied"] * 7
    assert client.profile("batch-0")["feedbackCount"] == 4
    assert client.profile("batch-1")["feedbackCount"] == 3


def test_batch_above_the_tenant_limit_is_refused_whole(client):
    items = [pgenrm.pair_item("eve", f"{Q} {i}", GOOD, BAD) for i in range(4)]
    with pytest.raises(BadRequestError) as e:
        client.feedback_batch(items)
    assert "'items' must hold 1–3 feedback items, got 4." in e.value.detail
    with pytest.raises(NotFoundError):
        client.profile("eve")


def test_get_reward_as_openrlhf_sends_it(client):
    prompt = "Human: How do I reverse a list?"
    rewards = client.get_reward([prompt + "\n\nAssistant: " + GOOD, prompt + "\n\nAssistant: " + BAD], labels=["cat", "cat"])
    assert len(rewards) == 2
    assert all(isinstance(r, float) for r in rewards)


def test_prototypes_map_and_recluster(client):
    m = client.recluster()
    assert m["centroidVersion"] >= 1
    assert m["points"], "users with feedback form at least one prototype"
    assert client.prototype_map()["centroidVersion"] == m["centroidVersion"]
    stats = client.prototypes()
    assert len(stats["prototypes"]) == len(m["points"])


def test_health(client):
    assert client.live() == {"status": "live"}
    assert client.ready()["status"] == "ready"


def test_429_waits_retry_after_then_succeeds(host):
    key = Client(host.url, ADMIN_KEY).create_tenant("py-slow", {"requestsPerSecond": 1})["apiKey"]
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        import time
        time.sleep(seconds)

    with Client(host.url, key, sleep=sleep) as c, Client(host.url, key, max_retries=0) as no_retry:
        c.get_tenant()  # takes the one token of this second
        with pytest.raises(RateLimitedError) as e:
            no_retry.get_tenant()
        assert e.value.status == 429
        assert e.value.retry_after == 1.0
        assert c.get_tenant()["tenant"] == "py-slow"  # waits Retry-After, then gets the next second's token
    assert sleeps and all(s == 1.0 for s in sleeps)


def test_5xx_is_retried_with_backoff_and_raised_when_it_persists():
    # The host answers 5xx only when it is broken; the retry rule is checked on a transport answering 503 twice.
    answers = [503, 503, 200]
    def handler(request):
        status = answers.pop(0)
        if status == 200:
            return httpx.Response(200, json={"status": "live"})
        return httpx.Response(status, json={"title": "Service unavailable", "detail": "starting", "status": status})
    sleeps = []
    with Client("http://127.0.0.1:1", "t.k", transport=httpx.MockTransport(handler), sleep=sleeps.append, backoff=0.1) as c:
        assert c.live() == {"status": "live"}
    assert len(sleeps) == 2 and 0.05 <= sleeps[0] <= 0.1 and 0.1 <= sleeps[1] <= 0.2
    always = lambda request: httpx.Response(503, json={"title": "Service unavailable", "detail": "down", "status": 503})
    with Client("http://127.0.0.1:1", "t.k", transport=httpx.MockTransport(always), sleep=lambda s: None, max_retries=2) as c:
        with pytest.raises(ServerError) as e:
            c.live()
    assert (e.value.status, e.value.detail) == (503, "down")


def test_unreachable_service_raises_transport_error_after_retries():
    sleeps = []
    with Client(f"http://127.0.0.1:{free_port()}", "t.k", max_retries=2, sleep=sleeps.append) as c:
        with pytest.raises(TransportError):
            c.live()
    assert len(sleeps) == 2


def test_async_client_and_batcher(host, tenant_key):
    async def main():
        async with AsyncClient(host.url, tenant_key) as c:
            got = await c.feedback("ada", Q, GOOD, BAD)
            assert (got["status"], got["feedbackCount"]) == ("applied", 1)
            async with c.batcher(max_batch=2) as b:
                for i in range(3):
                    await b.add("ada", f"{Q} [{i}]", GOOD, BAD)
            assert [r["status"] for r in b.results] == ["applied"] * 3
            rewards, profile = await asyncio.gather(c.rewards("ada", Q, [GOOD, BAD]), c.profile("ada"))
            assert len(rewards) == 2
            assert profile["feedbackCount"] == 4
            with pytest.raises(BadRequestError):
                await c.score("ada", "", [GOOD])
    asyncio.run(main())
