"""An exception raised in a Python callable the library calls back (a progress callback, a host constraint, a search
estimator) reaches the caller as itself, with its traceback, after the library stopped cleanly; a search resumes
from its checkpoint afterwards and ends exactly where an uninterrupted one does."""

import os

import numpy as np
import pytest

import llmnas

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


class Refused(Exception):
    """The host's own exception type."""


def refusing_progress(stage, done, total, value):
    raise Refused(f"stop at {stage} {done}/{total}")


def _frames(info):
    return [entry.name for entry in info.traceback]


def test_a_progress_callback_that_raises_stops_training_and_the_exception_comes_back():
    x = np.random.default_rng(0).normal(size=(64, 3)).astype(np.float32)
    with pytest.raises(Refused, match=r"stop at train 10/200") as info:
        llmnas.MLP(hidden=[8], steps=200, evaluate_every=10).fit(x, x.sum(axis=1), progress=refusing_progress)
    assert "refusing_progress" in _frames(info), "the traceback reaches into the callback"


def test_a_progress_callback_that_raises_stops_the_protocol(server):
    server.script([{"answer": "25.0"}])
    llm = llmnas.LLM(base_url=server.base_url, model="scripted", backoff_seconds=0.01)
    with pytest.raises(Refused, match="stop at LLM-PP wmt14ende seed 123"):
        llm.eval_paper_protocol(os.path.join(ROOT, "data", "llmpp-wmt"), progress=refusing_progress)
    with pytest.raises(Refused):
        llm.predict(
            llmnas.Space.builtin("nas-bench-graph"),
            [{"link": "0-0-1-2", "ops": ["gcn", "gat", "skip", "sage"]}],
            [],
            progress=refusing_progress,
        )


def test_a_latency_training_progress_exception_comes_back():
    with pytest.raises(Refused):
        llmnas.train_latency_predictor(
            os.path.join(ROOT, "data", "hat-latency", "wmt14ende_gpu_titanxp_all.csv"),
            {"hidden": [4], "steps": 20, "evaluate_every": 5},
            progress=refusing_progress,
        )


CONFIG = {
    "iterations": 4,
    "population": 12,
    "parents": 4,
    "mutations": 4,
    "crossovers": 4,
    "seed": 9,
    "constraints": [{"kind": "host", "name": "gat_count", "max": 2}],
}


def gat_count(arch):
    return float(arch["ops"].count("gat"))


def gcn_score(candidates):
    return [arch["ops"].count("gcn") + (0.5 if arch["link"] == "0-1-2-3" else 0.0) for arch in candidates]


def _uninterrupted(graph):
    search = llmnas.Search(graph, CONFIG).bind_constraint("gat_count", gat_count)
    best = search.run({"host": gcn_score})
    return best, search.history


def _resumed_to_the_end(path):
    search = llmnas.Search.resume(path).bind_constraint("gat_count", gat_count)
    best = search.run({"host": gcn_score})
    return best, search.history


@pytest.fixture
def graph():
    return llmnas.Space.builtin("nas-bench-graph")


def test_a_host_constraint_that_raises_stops_the_step_and_the_search_resumes(graph, tmp_path):
    path = str(tmp_path / "search.ckpt")
    calls = []

    def flaky(arch):
        calls.append(arch)
        if len(calls) == 30:
            raise Refused("the memory probe crashed")
        return gat_count(arch)

    search = llmnas.Search(graph, dict(CONFIG, checkpoint=path)).bind_constraint("gat_count", flaky)
    with pytest.raises(Refused, match="the memory probe crashed") as info:
        search.run({"host": gcn_score})
    assert "flaky" in _frames(info)
    assert os.path.exists(path), "the checkpoint holds what was done"
    assert _resumed_to_the_end(path) == _uninterrupted(graph)


def test_an_estimator_that_raises_stops_the_run_and_the_search_resumes(graph, tmp_path):
    path = str(tmp_path / "search.ckpt")
    batches = []

    def failing_on_the_third_batch(candidates):
        batches.append(len(candidates))
        if len(batches) == 3:
            raise Refused("the supernet ran out of GPU memory")
        return gcn_score(candidates)

    search = llmnas.Search(graph, dict(CONFIG, checkpoint=path)).bind_constraint("gat_count", gat_count)
    with pytest.raises(Refused, match="out of GPU memory") as info:
        search.run({"host": failing_on_the_third_batch})
    assert "failing_on_the_third_batch" in _frames(info)
    assert llmnas.Search.resume(path).history["iteration"] == 2
    assert _resumed_to_the_end(path) == _uninterrupted(graph)


def test_a_search_progress_callback_that_raises_or_stops_ends_the_run_and_the_search_resumes(graph, tmp_path):
    path = str(tmp_path / "search.ckpt")
    seen = []

    def raising_after_two(stage, done, total, value):
        seen.append((stage, done, total))
        if done == 2:
            raise Refused("the dashboard went away")

    search = llmnas.Search(graph, dict(CONFIG, checkpoint=path)).bind_constraint("gat_count", gat_count)
    with pytest.raises(Refused, match="the dashboard went away") as info:
        search.run({"host": gcn_score}, progress=raising_after_two)
    assert "raising_after_two" in _frames(info)
    assert seen == [("search", 1, CONFIG["iterations"]), ("search", 2, CONFIG["iterations"])]
    stopping = llmnas.Search.resume(path).bind_constraint("gat_count", gat_count)
    best = stopping.run({"host": gcn_score}, progress=lambda stage, done, total, value: done == 3)
    assert stopping.history["iteration"] == 3 and best["iteration"] == 2, "a truthy return stops without raising"
    assert _resumed_to_the_end(path) == _uninterrupted(graph)
