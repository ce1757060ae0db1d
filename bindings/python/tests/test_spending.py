"""What the client may spend and what it says it spent, from Python, against the scripted server: budgets, estimates
and the Batch API, including a process killed while it waits for a batch job and started again."""

import json
import os
import subprocess
import sys
import time

import pytest

import llmnas


def test_a_batch_is_cut_at_max_requests_and_the_rest_completes(server):
    server.script()
    space = llmnas.Space.builtin("hat-wmt14ende")
    llm = llmnas.LLM(base_url=server.base_url, model="scripted", max_requests=2, max_concurrency=1)
    with pytest.warns(llmnas.PartialFailureWarning, match="3 of 5 architectures failed; the first: not sent"):
        scores, statuses = llm.predict(space, space.sample(5, seed=1), [])
    assert sorted(llmnas.Status(s).name for s in statuses) == ["BUDGET_EXCEEDED"] * 3 + ["OK"] * 2
    assert llm.usage["failures_by_status"] == {"BUDGET_EXCEEDED": 3}
    assert llm.usage["budget_refused"] == 3 and llm.usage["requests"] == 2 and len(server.log()) == 2


def test_the_estimate_counts_with_the_tokenizer_before_anything_is_sent(server):
    server.script(tokenizer=True)
    space = llmnas.Space.builtin("hat-wmt14ende")
    archs = space.sample(4, seed=2)
    llm = llmnas.LLM(base_url=server.base_url, model="scripted", price_prompt_per_1k=1.0, max_cost=100.0)
    estimate = llm.estimate(space, archs, [])
    assert not server.log(), "estimating sends no completion request"
    assert estimate["token_source"] == "tokenizer" and estimate["within_budget"] is True
    llm.predict(space, archs, [])
    assert estimate["prompt_tokens"] == llm.usage["prompt_tokens"]


LABEL_SCRIPT = """
import json, sys
import llmnas
space = llmnas.Space.builtin("hat-wmt14ende")
llm = llmnas.LLM(base_url=sys.argv[1], model="scripted", cache_file=sys.argv[2], price_prompt_per_1k=1.0,
                 batch={"poll_seconds": 0.01, "poll_max_seconds": 0.05})
scores, statuses = llm.predict(space, space.sample(6, seed=3), [])
print(json.dumps({"statuses": [int(s) for s in statuses], "usage": llm.usage}))
"""


def test_a_process_killed_while_it_waits_for_a_batch_job_waits_for_the_same_job_when_run_again(server, tmp_path):
    server.script()
    server.batch_script(polls=10**9)
    cache = tmp_path / "labels.llmnas"
    listed = tmp_path / "labels.llmnas.batches"
    script = tmp_path / "label.py"
    script.write_text(LABEL_SCRIPT)
    command = [sys.executable, str(script), server.base_url, str(cache)]
    waiting = subprocess.Popen(command, stdout=subprocess.PIPE, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while not (listed.exists() and server.batches()["batches"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    waiting.kill()
    waiting.wait()
    jobs = server.batches()["batches"]
    assert len(jobs) == 1 and json.loads(listed.read_text())["jobs"][0]["id"] == jobs[0]["id"]
    server.batch_script(polls=0)
    rerun = subprocess.run(command, stdout=subprocess.PIPE, env=os.environ.copy(), check=True, text=True)
    result = json.loads(rerun.stdout)
    assert result["statuses"] == [0] * 6
    assert len(server.batches()["batches"]) == 1, "the rerun polled the same job instead of paying twice"
    assert result["usage"]["batch_jobs"] == 0 and result["usage"]["cost"] > 0
    assert not listed.exists(), "the collected job left the list"
