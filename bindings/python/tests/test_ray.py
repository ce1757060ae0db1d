"""llmnas.ray on a local Ray cluster started by the test: the estimator on actors, a worker killed mid-batch, a
driver killed and restarted, and LLM-PP labelling over actors sharing one cache."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import llmnas

ray = pytest.importorskip("ray")
import llmnas.ray  # noqa: E402
from llmnas_support.ray_scorer import Dying, Scorer, logged, score  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CONFIG = {"seed": 3, "iterations": 6, "population": 30, "parents": 6, "mutations": 12, "crossovers": 12}


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def graph():
    return llmnas.Space.builtin("nas-bench-graph")


def single_process(graph, config=CONFIG):
    search = llmnas.Search(graph, config)
    search.run({"host": lambda cs: [score(a) for a in cs]})
    return search.history


def test_actors_give_the_single_process_result(cluster, graph):
    search = llmnas.Search(graph, CONFIG)
    best = llmnas.ray.run_search(search, {"host": Scorer}, actors=2)
    assert search.history == single_process(graph)
    assert best == search.best


def test_a_worker_killed_mid_batch_is_restarted_and_the_run_is_still_correct(cluster, graph, tmp_path):
    marker = str(tmp_path / "died")
    search = llmnas.Search(graph, CONFIG)
    llmnas.ray.run_search(search, {"host": lambda: Scorer(die_once=marker)}, actors=2)
    assert os.path.exists(marker), "a worker did die"
    assert search.history == single_process(graph)


def test_an_estimator_that_keeps_raising_gives_back_its_own_exception(cluster, graph):
    search = llmnas.Search(graph, CONFIG)
    with pytest.raises(RuntimeError, match="this estimator cannot score link 0-1-2-3") as failure:
        llmnas.ray.run_search(search, {"host": lambda: Scorer(fail_on="0-1-2-3")}, actors=2, max_retries=1)
    assert "__call__" in str(failure.value), "the remote traceback names the estimator's frame"
    assert failure.value.failures and all("cannot score link 0-1-2-3" in why for _, why in failure.value.failures)
    assert any(arch["link"] == "0-1-2-3" for arch, _ in failure.value.failures)


def test_actors_that_die_past_their_restarts_name_the_architectures_not_scored(cluster, graph):
    search = llmnas.Search(graph, CONFIG)
    with pytest.raises(llmnas.ray.BatchFailed) as failure:
        llmnas.ray.run_search(search, {"host": Dying}, actors=2, max_retries=0)
    assert failure.value.status == llmnas.IncompleteError.status and "could not be scored" in str(failure.value)
    assert failure.value.failures and isinstance(failure.value.__cause__, ray.exceptions.RayActorError)


DRIVER = r"""
import json, sys
import ray, llmnas, llmnas.ray
from llmnas_support.ray_scorer import Scorer
ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
path, log = sys.argv[1], sys.argv[2]
config = json.loads(sys.argv[3])
space = llmnas.Space.builtin("nas-bench-graph")
search = llmnas.Search.resume(path) if sys.argv[4] == "resume" else llmnas.Search(space, dict(config, checkpoint=path))
hang_from = 60 if sys.argv[4] == "fresh" else None
llmnas.ray.run_search(
    search, {"host": lambda: Scorer(log=log, delay=0.004, hang_from=hang_from)}, actors=2, chunk_size=10
)
print("HISTORY " + json.dumps(search.history), flush=True)
"""


def test_a_killed_driver_restarts_from_the_checkpoint_and_resubmits_only_what_had_no_score(graph, tmp_path):
    path, log = str(tmp_path / "search.ckpt"), str(tmp_path / "scored.jsonl")
    args = [sys.executable, "-c", DRIVER, path, log, json.dumps(CONFIG)]
    driver = subprocess.Popen(args + ["fresh"], stdout=subprocess.PIPE, text=True)
    # The population (30) and the first children (24) are scored; in the next batch (chunks of 10, 10 and 4) a chunk
    # that starts once 60 are in the log hangs, so the driver waits on it with one or two chunks' scores kept.
    deadline, partial = time.time() + 120, 0
    while time.time() < deadline and (logged(log) < 60 or partial < 10):
        partial = logged(path + ".partial.jsonl")
        time.sleep(0.02)
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait()
    assert partial >= 10, "the kill landed inside a batch with some scores in"
    restarted = subprocess.run(args + ["resume"], capture_output=True, text=True, timeout=300)
    assert restarted.returncode == 0, restarted.stderr[-2000:]
    history = json.loads(next(line for line in restarted.stdout.splitlines() if line.startswith("HISTORY "))[8:])
    assert history == single_process(graph)
    scored = open(log).read().splitlines()
    repeats = len(scored) - len(set(scored))
    assert repeats <= 10, f"{repeats} architectures were scored again; only the chunk in flight then (10) may be"
    assert not os.path.exists(path + ".partial.jsonl")


def test_llmpp_labelling_over_actors_shares_one_cache_and_one_cap(cluster, server, tmp_path):
    space = llmnas.Space.builtin("hat-wmt14ende")
    archs = space.sample(30, seed=9)
    archs += archs[:6]  # equal architectures are labelled once
    server.script(delay=0.02)
    options = {"base_url": server.base_url, "model": "scripted", "cache_file": str(tmp_path / "shared.cache")}
    scores, statuses, usage = llmnas.ray.label_llmpp(space, archs, [], options, actors=2, max_in_flight=4)
    log = server.log()
    assert (statuses == 0).all() and len(scores) == 36 and scores[30] == scores[0]
    assert usage["requests"] == len(log) == 30 and len({r["body"] for r in log}) == 30
    starts = sorted((r["start"], 1) for r in log) + sorted((r["end"], -1) for r in log)
    in_flight, most = 0, 0
    for _, step in sorted(starts):
        in_flight += step
        most = max(most, in_flight)
    assert most <= 4, f"{most} requests were in flight at once; the cap is 4"
    server.script()
    again, _, usage = llmnas.ray.label_llmpp(space, archs, [], options, actors=2, max_in_flight=4)
    assert len(server.log()) == 0 and usage["cache_hits"] == 30
    assert (again == scores).all()
