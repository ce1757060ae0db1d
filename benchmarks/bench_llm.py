"""Benchmarks of issue 3, each llmnas against the peer a user would pick instead, in one run, as ratios.

1. LLM request throughput: 200 LLM-PP requests at concurrency 16 against the scripted loopback server answering
   after 100 ms. llmnas (libcurl multi, one batch call) against the `openai` package's AsyncOpenAI client with a
   semaphore of 16. The limit is 16 / 0.1 s = 160 requests/s.
2. Kendall tau-b at n = 100,000: llmnas.kendall_tau against scipy.stats.kendalltau, and llmnas.metrics (MAE,
   RMSE, tau-b, Spearman and Pearson at once) against scipy's kendalltau + spearmanr + pearsonr.
"""

import asyncio
import os
import time

import numpy as np

import llmnas
from llmnas_support.scripted_server import ScriptedServer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
REQUESTS, CONCURRENCY, DELAY = 200, 16, 0.1


def bench_llmnas(llm, space, archs):
    start = time.perf_counter()
    scores, statuses = llm.predict(space, archs, demos=[])
    elapsed = time.perf_counter() - start
    assert (statuses == 0).all(), statuses
    return len(archs) / elapsed


def bench_openai(base_url, messages, warmup):
    from openai import AsyncOpenAI

    async def run():
        client = AsyncOpenAI(base_url=base_url, api_key="unused", max_retries=0)
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(m):
            async with gate:
                reply = await client.chat.completions.create(model="scripted", messages=m, temperature=0, max_tokens=16)
                return float(reply.choices[0].message.content)

        await asyncio.gather(*(one(m) for m in warmup))
        start = time.perf_counter()
        await asyncio.gather(*(one(m) for m in messages))
        elapsed = time.perf_counter() - start
        await client.close()
        return len(messages) / elapsed

    return asyncio.run(run())


def best_time(function, repeats=7):
    """The fastest of `repeats` runs, in seconds, and the last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def bench_kendall(n=100_000):
    from scipy.stats import kendalltau, pearsonr, spearmanr

    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    y = x + rng.normal(size=n)
    ours, tau = best_time(lambda: llmnas.kendall_tau(x, y))
    theirs, reference = best_time(lambda: kendalltau(x, y).statistic)
    assert abs(tau - reference) < 1e-9, (tau, reference)
    all_ours, _ = best_time(lambda: llmnas.metrics(x, y))
    all_theirs, _ = best_time(lambda: (kendalltau(x, y), spearmanr(x, y), pearsonr(x, y)))
    return ours, theirs, all_ours, all_theirs


def main():
    space = llmnas.Space.builtin("hat-wmt14ende")
    archs = space.sample(REQUESTS, seed=1)
    messages = [llmnas.build_prompt(space, a, []) for a in archs]
    server = ScriptedServer()
    server.script(delay=DELAY)
    base_url = server.base_url
    try:
        # One client each, warmed once with other prompts, as a user's long-lived client would be.
        warmup = space.sample(32, seed=2)
        llm = llmnas.LLM(base_url=base_url, model="scripted", max_concurrency=CONCURRENCY, retries=0)
        bench_llmnas(llm, space, warmup)
        ours = bench_llmnas(llm, space, archs)
        theirs = bench_openai(base_url, messages, [llmnas.build_prompt(space, a, []) for a in warmup])
    finally:
        server.stop()
    nominal = CONCURRENCY / DELAY
    waves = -(-REQUESTS // CONCURRENCY)  # the last wave is partly empty: 13 waves of 100 ms for 200 requests
    limit = REQUESTS / (waves * DELAY)
    print(f"LLM requests ({REQUESTS} at concurrency {CONCURRENCY}, server answers after {DELAY * 1000:.0f} ms):")
    print(
        f"  llmnas {ours:7.1f} req/s | openai AsyncOpenAI {theirs:7.1f} req/s | ratio {ours / theirs:4.2f}x | "
        f"limit {limit:.1f} req/s for {waves} waves ({ours / limit:.0%} of it; nominal {nominal:.0f} req/s, "
        f"{ours / nominal:.0%})"
    )
    ours_s, scipy_s, all_ours, all_scipy = bench_kendall()
    print("Kendall tau-b, n = 100,000:")
    print(
        f"  llmnas.kendall_tau {ours_s * 1000:6.1f} ms | scipy.stats.kendalltau {scipy_s * 1000:6.1f} ms | "
        f"llmnas {scipy_s / ours_s:4.2f}x faster"
    )
    print(
        f"  llmnas.metrics (5 metrics) {all_ours * 1000:6.1f} ms | scipy kendalltau+spearmanr+pearsonr "
        f"{all_scipy * 1000:6.1f} ms | llmnas {all_scipy / all_ours:4.2f}x faster"
    )


if __name__ == "__main__":
    main()
