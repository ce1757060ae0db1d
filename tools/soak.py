"""Soak: LLM-PP requests through one client at concurrency 16 against the scripted server with faults mixed in
(429 with Retry-After, 500, 503, dropped connections, truncated bodies, answers slower than the timeout, answers
without a number), the response cache on. Checks that every item ends with a score or its own status, that the
ledger's tokens equal those of the answers the server sent within the timeout and its attempts the server's log
(up to libcurl's own resend after a dropped connection), that a second pass pays for no answered item again, that
resident memory stays within RSS_BOUND_MB of the first 1,000 items' over the 20,000 with the cache on (its index
holds a hash, an offset and two lengths per answer, never the answer) and over 5,000 more without it, and that no
file descriptor is left open. Then
a 100-iteration search with a checkpoint is killed with SIGKILL at 20 random moments, resumed each time, and must
end exactly as the same search run once.

Usage: soak.py [REQUESTS (default 20000)] [--fault-share 0.1] [--kills 20]
"""

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

import llmnas
from llmnas_support.scripted_server import ScriptedServer

BATCH = 1000
# The client gives up on an answer after TIMEOUT_S; a "hang" fault answers after HANG_S. The gap between them, and
# between TIMEOUT_S and a normal answer's milliseconds, keeps "received within the timeout" unambiguous on a loaded
# 2-core machine (a 1 s timeout once let a queued normal answer time out on the client while the server logged it).
TIMEOUT_S, HANG_S = 3.0, 6.0
RSS_BOUND_MB = 16  # growth over the first batch's resident memory: a leak or an index of answers shows here


def resident_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def open_fds():
    return len(os.listdir("/proc/self/fd"))


def client(server, cache_file):
    """The soak's client: 16 requests at a time, 3 retries, a TIMEOUT_S timeout, the cache when given."""
    cache = {"cache_file": cache_file} if cache_file else {}
    return llmnas.LLM(
        base_url=server.base_url,
        model="scripted",
        max_concurrency=16,
        retries=3,
        backoff_seconds=0.01,
        backoff_max_seconds=0.05,
        timeout_seconds=TIMEOUT_S,
        **cache,
    )


def faults(share):
    """Rules whose probabilities add up to `share`, each fault kind an equal part."""
    kinds = [
        {"status": 429, "retry_after": 0},
        {"status": 500},
        {"status": 503},
        {"drop": True},
        {"raw": '{"choices": [{"message": {"content": "2'},
        {"hang": HANG_S},
        {"answer": "no number here"},
    ]
    return [dict(kind, probability=share / len(kinds) / (1 - share * i / len(kinds))) for i, kind in enumerate(kinds)]


DRIVER = r'''
import json, os, sys, time
import llmnas
checkpoint, out = sys.argv[1], sys.argv[2]
space = llmnas.Space.builtin("nas-bench-graph")
config = {"seed": 7, "iterations": 100, "population": 30, "parents": 8, "mutations": 11, "crossovers": 11,
          "checkpoint": checkpoint}
search = llmnas.Search.resume(checkpoint) if os.path.exists(checkpoint) else llmnas.Search(space, config)
ops = ["gat", "gcn", "gin", "cheb", "sage", "arma", "graph", "fc", "skip"]
for candidates, _ in search:
    time.sleep(0.08)   # a slow estimator, so that the kills land mid-run
    search.tell([float(sum((i + 1) * ops.index(op) for i, op in enumerate(a["ops"])) + int(a["link"][-1]))
                 for a in candidates])
with open(out + ".tmp", "w") as f:
    # Times differ between runs; what must hold is that every trial has them, in order.
    timed = all(t["started"] is not None and t["started"] <= t["completed"] for t in search.trials)
    untimed = [{k: v for k, v in t.items() if k not in ("started", "completed")} for t in search.trials]
    json.dump({"history": search.history, "trials": untimed, "timed": timed}, f)
os.replace(out + ".tmp", out)
'''


def killed_search(folder, kills, seed=0):
    """A 100-iteration search with a checkpoint, killed with SIGKILL at `kills` random moments and resumed each
    time, against the same search run once: the histories and trials (but for their times) must be identical, and
    every trial must carry its times."""
    import random
    import signal
    import subprocess

    env = dict(os.environ)

    def start(checkpoint, out):
        return subprocess.Popen([sys.executable, "-c", DRIVER, checkpoint, out], env=env)

    reference = os.path.join(folder, "reference.json")
    start(os.path.join(folder, "reference.ckpt"), reference).wait()
    checkpoint, out = os.path.join(folder, "killed.ckpt"), os.path.join(folder, "killed.json")
    rng = random.Random(seed)
    landed = 0
    for _ in range(kills):
        process = start(checkpoint, out)
        time.sleep(rng.uniform(0.3, 0.8))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            landed += 1
        elif process.returncode != 0:
            raise AssertionError(f"a resumed search failed by itself (exit {process.returncode})")
        process.wait()
        if os.path.exists(out):
            break
    if not os.path.exists(out):
        assert start(checkpoint, out).wait() == 0
    with open(reference) as a, open(out) as b:
        reference_run, killed_run = json.load(a), json.load(b)
    assert reference_run["timed"] and killed_run["timed"], "a trial lacks its times"
    assert reference_run == killed_run, "the search killed and resumed differs from the uninterrupted one"
    return landed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("requests", type=int, nargs="?", default=20000)
    parser.add_argument("--fault-share", type=float, default=0.1)
    parser.add_argument("--kills", type=int, default=20)
    args = parser.parse_args()
    server = ScriptedServer(quiet=True)
    space = llmnas.Space.builtin("hat-wmt14ende")
    archs = list(
        {json.dumps(a, sort_keys=True): a for a in space.sample(args.requests + args.requests // 10, seed=11)}.values()
    )
    archs = archs[: args.requests]
    assert len(archs) == args.requests, "the space gave too few distinct architectures"

    demos = [(a, 25.0 + i / 10) for i, a in enumerate(space.sample(5, seed=12))]
    try:
        with tempfile.TemporaryDirectory() as folder:
            fds_before = open_fds()
            server.script(faults(args.fault_share), seed=3)
            llm = client(server, os.path.join(folder, "cache.llmnas"))
            rss, scores, statuses = [], [], []
            for start in range(0, args.requests, BATCH):
                batch_scores, batch_statuses = llm.predict(space, archs[start : start + BATCH], demos)
                scores.append(batch_scores)
                statuses.append(batch_statuses)
                rss.append(resident_mb())
            scores, statuses = np.concatenate(scores), np.concatenate(statuses)
            usage = llm.usage
            log = server.log()
            logged = len(log)
            # What the client received: answers that came back within its timeout (a hung one was abandoned).
            received = [e["usage"] for e in log if e.get("usage") and e["end"] - e["start"] < TIMEOUT_S]
            faulted = sum(1 for e in log if not e.get("usage"))
            ended = np.isfinite(scores) == (statuses == 0)
            assert ended.all(), "an item has neither a score nor its own status"
            kinds = {
                llmnas.Status(s).name: int(n) for s, n in zip(*np.unique(statuses[statuses != 0], return_counts=True))
            }
            for key in ("prompt_tokens", "completion_tokens"):
                assert usage[key] == sum(u[key] for u in received), (
                    f"the ledger's {key} differ from the answers received"
                )
            # libcurl resends a request once on a fresh connection when a reused one was dropped before any answer:
            # the server logs both, the client made one attempt.
            assert usage["requests"] <= logged <= usage["requests"] + faulted, (
                f"the ledger counts {usage['requests']} attempts, the server logged {logged} ({faulted} without an "
                "answer)"
            )
            # A second pass: every answer that came (a number or not) is in the cache and paid once; only the items
            # without an answer are asked again.
            server.script([], seed=4)
            again, again_statuses = llm.predict(space, archs, demos)
            resent = len(server.log())
            bad = statuses == llmnas.Status.BAD_ANSWER
            unanswered = (statuses != 0) & ~bad
            assert resent == int(unanswered.sum()), (
                f"{resent} requests on the second pass for {int(unanswered.sum())} unanswered items"
            )
            answered = statuses == 0
            assert np.array_equal(again[answered], scores[answered]), "a cached answer changed"
            assert (again_statuses[bad] == llmnas.Status.BAD_ANSWER).all() and (again_statuses[~bad] == 0).all()
            del llm
            # The same load without the cache: resident memory must stay flat.
            server.script(faults(args.fault_share), seed=5)
            plain = client(server, None)
            flat = []
            for start in range(0, min(args.requests, 5 * BATCH), BATCH):
                plain.predict(space, archs[start : start + BATCH], demos)
                flat.append(resident_mb())
            del plain
            fds_after = open_fds()
            growth = rss[-1] - rss[0]
            leak = flat[-1] - flat[0]
            print(
                json.dumps(
                    {
                        "requests": args.requests,
                        "http_attempts": usage["requests"],
                        "retries": usage["retries"],
                        "server_log": logged,
                        "server_faults": faulted,
                        "prompt_tokens": usage["prompt_tokens"],
                        "scored": int(answered.sum()),
                        "failed": kinds,
                        "second_pass_requests": resent,
                        "rss_first_mb": round(rss[0], 1),
                        "rss_last_mb": round(rss[-1], 1),
                        "rss_growth_without_cache_mb": round(leak, 1),
                        "fds_before": fds_before,
                        "fds_after": fds_after,
                    }
                )
            )
            cached = int((statuses == 0).sum() + bad.sum())
            assert growth <= RSS_BOUND_MB, f"resident memory grew {growth:.1f} MB with {cached} answers cached"
            assert leak <= RSS_BOUND_MB, (
                f"resident memory grew {leak:.1f} MB over {len(flat)} batches without the cache"
            )
            assert fds_after == fds_before, f"{fds_after - fds_before} file descriptors left open"
        with tempfile.TemporaryDirectory() as folder:
            landed = killed_search(folder, args.kills)
            assert landed >= args.kills // 2, f"only {landed} of {args.kills} kills landed before the search ended"
            print(
                f"search: killed with SIGKILL {landed} times mid-run and resumed; history and trials equal the "
                "uninterrupted run's"
            )
    finally:
        server.stop()
    print(
        f"soak: {args.requests} items through {args.fault_share:.0%} faults: every item ended, the ledger matched "
        "the server, nothing was paid twice, memory and descriptors held"
    )


if __name__ == "__main__":
    main()
