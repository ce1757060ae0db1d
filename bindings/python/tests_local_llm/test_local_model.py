"""LLM-PP end to end on a real model: llama.cpp's llama-server with Gemma 3 270M on 127.0.0.1, started by
tools/local_llm.sh (which builds and installs it on first use). Run by `make test-local-llm`, part of `make test`."""

import csv
import math
import os
import subprocess

import pytest

import llmnas

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GRAMMAR = 'root ::= " "? [0-9] [0-9]? "." [0-9] [0-9]'


@pytest.fixture(scope="module")
def base_url():
    script = os.path.join(ROOT, "tools", "local_llm.sh")
    url = subprocess.run([script, "start"], check=True, capture_output=True, text=True).stdout.strip()
    yield url
    subprocess.run([script, "stop"], check=True)


def test_a_real_model_predicts_bleu_and_a_rerun_is_free(base_url, tmp_path):
    rows = [
        r
        for r in csv.DictReader(open(os.path.join(ROOT, "data", "llmpp-wmt", "labeled.csv")))
        if r["task"] == "wmt14ende"
    ]
    demos = [(r["arch_json"], float(r["scratch_valid_bleu"])) for r in rows[:10]]
    archs = [r["arch_json"] for r in rows[10:13]]
    config = dict(
        base_url=base_url,
        model="gemma",
        max_tokens=8,
        max_concurrency=3,
        timeout_seconds=300,
        answer_format="grammar",
        grammar=GRAMMAR,
        cache_file=str(tmp_path / "cache.llmnas"),
    )
    space = llmnas.Space.builtin("hat-wmt14ende")
    llm = llmnas.LLM(config)
    estimate = llm.estimate(space, archs, demos, task={"task": "machine translation"})
    assert estimate["token_source"] == "tokenizer" and estimate["requests"] == 3
    scores, statuses = llm.predict(space, archs, demos, task={"task": "machine translation"})
    assert list(statuses) == [0, 0, 0]
    used = llm.usage["prompt_tokens"]
    assert abs(estimate["prompt_tokens"] - used) <= 0.1 * used, "llama-server's tokenizer counts within 10%"
    assert all(0 <= s <= 100 and not math.isnan(s) for s in scores)
    usage = llm.usage
    assert usage["requests"] == 3 and usage["prompt_tokens"] > 3 * 1000 and usage["completion_tokens"] > 0
    llm.close()
    again = llmnas.LLM(config)
    repeat, _ = again.predict(space, archs, demos, task={"task": "machine translation"})
    assert list(repeat) == list(scores)
    assert again.usage["requests"] == 0 and again.usage["cache_hits"] == 3
