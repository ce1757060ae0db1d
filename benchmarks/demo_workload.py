"""The LLM-PP workload of `make demo`, rebuilt in Python from data/llmpp-wmt: the demo's LLM client config and
protocol options, and, per split of the paper, the space, task, demonstrations and test architectures that
llmnas's protocol (Sources/LLMNASCore/Eval/PaperProtocol.swift) sends to the LLM."""

import csv
import json
import os
from typing import Any, Dict, Iterator, List, Tuple

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DATA = os.path.join(ROOT, "data", "llmpp-wmt")
TASKS = ["wmt14ende", "wmt14enfr", "wmt19ende"]
SEEDS = [123, 456, 789]
SPACE_OF_TASK = {"wmt14ende": "hat-wmt14ende", "wmt14enfr": "hat-wmt14enfr", "wmt19ende": "hat-wmt19ende"}
DATASET = {
    "wmt14ende": "WMT'14 English-German",
    "wmt14enfr": "WMT'14 English-French",
    "wmt19ende": "WMT'19 English-German",
}
# tools/demo.sh's grammar and protocol options.
GRAMMAR = 'root ::= " "? [0-9] [0-9]? "." [0-9] [0-9]'
PROTOCOL_OPTIONS = {"distill": {"labels": 200, "tasks": ["wmt14ende"], "seeds": [123]}}


def client_config(base_url: str, cache_file: str, concurrency: int) -> Dict[str, Any]:
    """The demo's LLM client config (tools/demo.sh) for `base_url`."""
    return {
        "base_url": base_url,
        "model": "gemma",
        "max_tokens": 8,
        "max_concurrency": concurrency,
        "timeout_seconds": 300,
        "answer_format": "grammar",
        "grammar": GRAMMAR,
        "cache_file": cache_file,
    }


def task_of(task: str) -> Dict[str, Any]:
    """The prediction task the protocol describes for one of the paper's tasks."""
    return {
        "task": "machine translation",
        "dataset": DATASET[task],
        "backbone": "the encoder-decoder Transformer of Vaswani et al. (2017)",
    }


def splits() -> Iterator[Tuple[str, int, List[Dict[str, Any]], List[Dict[str, Any]]]]:
    """(task, seed, demonstrations, test architectures) of each split, in the protocol's order."""
    with open(os.path.join(DATA, "labeled.csv"), newline="") as f:
        rows = {(r["task"], r["arch_id"]): r for r in csv.DictReader(f)}
    with open(os.path.join(DATA, "splits.csv"), newline="") as f:
        assignment = list(csv.DictReader(f))
    for task in TASKS:
        for seed in SEEDS:

            def part(name: str) -> List[Dict[str, Any]]:
                return [
                    rows[(task, a["arch_id"])]
                    for a in assignment
                    if a["task"] == task and int(a["split_seed"]) == seed and a["split"] == name
                ]

            demos = [
                {"architecture": json.loads(r["arch_json"]), "score": float(r["scratch_valid_bleu"])}
                for r in part("train")
            ]
            yield task, seed, demos, [json.loads(r["arch_json"]) for r in part("test")]
