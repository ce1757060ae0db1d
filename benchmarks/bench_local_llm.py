"""The demo's LLM-PP workload on the real local model (llama-server + Gemma 3 270M, tools/local_llm.sh), in one run:

1. llmnas with prefix reuse, as `make demo` runs it: llama-server's prompt caching on, one request at a time, each
   batch sent in the order of its request bodies. The whole workload (the paper's protocol: 9 splits x (20 test
   architectures + 10 calibration predictions), and 200 distillation labels of wmt14ende/123).
2. The same server restarted with --no-cache-prompt, on a sample of the same prompts (the test architectures of the
   first SAMPLE_SPLITS splits): llmnas at concurrency 4, as the demo ran before prefix reuse, and the way the
   paper's code calls the LLM: the `openai` client, one request at a time, no cache.

Per-request seconds and requests per second for each, their ratios, and how many answers of the sample differ
between the two server modes. `--full` replays every prompt of the workload through the paper-style client on the
no-cache server (about 25 minutes here) and counts the answers that differ over all of them.
"""

import argparse
import json
import os
import struct
import subprocess
import tempfile
import time
from typing import Dict, List, Tuple

import demo_workload as workload  # the benchmark's sibling: the script's folder is on the path

import llmnas

SAMPLE_SPLITS = 2


def start_server(flags: str) -> str:
    """tools/local_llm.sh start with extra llama-server flags; returns the base URL."""
    env = dict(os.environ, LLMNAS_LOCAL_LLM_FLAGS=flags)
    return subprocess.run(
        [os.path.join(workload.ROOT, "tools", "local_llm.sh"), "start"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def cached_requests(path: str) -> Dict[str, str]:
    """The request bodies and answer texts in an llmnas response cache file (format: ResponseCache.swift)."""
    data = open(path, "rb").read()
    assert data[:8] == b"LLMNASRC", path
    offset, answers = 12, {}
    while offset + 8 <= len(data):
        key_length, value_length = struct.unpack_from("<II", data, offset)
        key = data[offset + 8 : offset + 8 + key_length].decode()
        value = data[offset + 8 + key_length : offset + 8 + key_length + value_length].decode()
        offset += 8 + key_length + value_length + 4
        answers[key.split("\n", 1)[1]] = json.loads(value)["choices"][0]["message"]["content"]
    return answers


def timed(function) -> Tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def run_demo_workload(url: str, directory: str) -> Tuple[float, Dict, Dict[str, str]]:
    """The whole LLM-PP workload of the demo with prefix reuse: seconds, the ledger, and body -> answer."""
    cache = os.path.join(directory, "reuse.llmnas")
    with llmnas.LLM(workload.client_config(url, cache, 1)) as llm:
        seconds, _ = timed(lambda: llm.eval_paper_protocol(workload.DATA, workload.PROTOCOL_OPTIONS))
        usage = llm.usage
    return seconds, usage, cached_requests(cache)


def run_llmnas_sample(url: str, directory: str, concurrency: int) -> Tuple[float, Dict[str, str], int, int]:
    """The sample's test architectures through llmnas at `concurrency`: seconds, body -> answer, and the prompt
    tokens llmnas estimated before sending them against those the server reported."""
    cache = os.path.join(directory, f"sample-{concurrency}.llmnas")
    seconds, estimated = 0.0, 0
    with llmnas.LLM(workload.client_config(url, cache, concurrency)) as llm:
        for task, _, demos, test in list(workload.splits())[:SAMPLE_SPLITS]:
            space = llmnas.Space.builtin(workload.SPACE_OF_TASK[task])
            estimate = llm.estimate(space, test, demos, task=workload.task_of(task))
            assert estimate["token_source"] == "tokenizer", estimate
            estimated += estimate["prompt_tokens"]
            elapsed, (_, statuses) = timed(lambda: llm.predict(space, test, demos, task=workload.task_of(task)))
            assert (statuses == 0).all(), statuses
            seconds += elapsed
        used = llm.usage["prompt_tokens"]
    return seconds, cached_requests(cache), estimated, used


def run_openai_serial(url: str, bodies: List[str]) -> Tuple[float, Dict[str, str]]:
    """The paper's way: the `openai` client, one request after another; seconds and body -> answer."""
    from openai import OpenAI

    client = OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=300)
    answers = {}
    start = time.perf_counter()
    for body in bodies:
        request = json.loads(body)
        grammar = request.pop("grammar")
        reply = client.chat.completions.create(**request, extra_body={"grammar": grammar})
        answers[body] = reply.choices[0].message.content
    return time.perf_counter() - start, answers


def differing(a: Dict[str, str], b: Dict[str, str]) -> Tuple[int, int]:
    """How many of the bodies both hold have different answers, and how many they share."""
    shared = a.keys() & b.keys()
    return sum(a[k].strip() != b[k].strip() for k in shared), len(shared)


def row(name: str, seconds: float, requests: int, reference: float) -> str:
    per = seconds / requests
    return (
        f"  {name:<58} {requests:4d} req {seconds:7.1f} s {per:6.2f} s/req {requests / seconds:6.2f} req/s"
        f"  {reference / per:5.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="replay every prompt on the no-cache server, serially")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        try:
            url = start_server("")
            demo_seconds, usage, reuse_answers = run_demo_workload(url, directory)
            url = start_server("--no-cache-prompt")
            c4_seconds, c4_answers, estimated, used = run_llmnas_sample(url, directory, 4)
            bodies = sorted(c4_answers)
            serial_seconds, serial_answers = run_openai_serial(url, bodies)
            if args.full:
                full_seconds, full_answers = run_openai_serial(url, sorted(reuse_answers))
        finally:
            subprocess.run([os.path.join(workload.ROOT, "tools", "local_llm.sh"), "stop"], check=False)
    demo_requests = usage["requests"]
    serial_per = serial_seconds / len(bodies)
    print(
        f"The demo's LLM-PP workload on Gemma 3 270M (llama-server, 2 threads), {demo_requests} requests; "
        f"speed against the paper-style client:"
    )
    print(row("llmnas, prefix reuse, concurrency 1 (make demo): all", demo_seconds, demo_requests, serial_per))
    print(
        row(
            f"llmnas, no cache, concurrency 4 (before): {SAMPLE_SPLITS} splits' tests",
            c4_seconds,
            len(bodies),
            serial_per,
        )
    )
    print(row("openai client, no cache, one at a time (paper): the same", serial_seconds, len(bodies), serial_per))
    print(
        f"  prompt tokens {usage['prompt_tokens']}, of them served from llama-server's prefix cache "
        f"{usage['cached_prompt_tokens']} ({usage['cached_prompt_tokens'] / usage['prompt_tokens']:.0%})"
    )
    print(
        f"  prefix reuse against no cache: {(c4_seconds / len(bodies)) / (demo_seconds / demo_requests):.2f}x "
        f"faster per request than the demo before"
    )
    print(
        f"  llmnas.LLM.estimate before the sample was sent: {estimated} prompt tokens by llama-server's tokenizer; "
        f"{used} used ({(estimated - used) / used:+.1%})"
    )
    n, of = differing(reuse_answers, c4_answers)
    m, _ = differing(c4_answers, serial_answers)
    print(
        f"  answers that differ: {n} of {of} between the server modes (reuse against no cache); {m} of {of} "
        f"between concurrency 4 and 1 without cache"
    )
    if args.full:
        n, of = differing(reuse_answers, full_answers)
        print(
            f"  full replay without cache, one at a time: {full_seconds:.0f} s; {n} of {of} answers differ "
            f"from the demo's"
        )


if __name__ == "__main__":
    main()
