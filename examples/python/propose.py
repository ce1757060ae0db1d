"""propose.py: LLM-proposed architectures as the warm start of a search.

Shows the LLM the trained wmt14ende architectures of split seed 123's demonstrations (Jawahar et al., 2024) and asks it for
COUNT new ones that should reach a higher BLEU within MAX_GFLOPS (in the space's JSON schema); prints every accepted proposal with its GFLOPs and
every rejected one with its reason; then runs a short HS-NAS search on hat-wmt14ende whose first population starts
from the accepted proposals, scored by a distilled predictor (an MLP file such as the demo's), and prints its best.

The LLM client config comes from LLMNAS_LLM_CONFIG (JSON, as llmnas.LLM takes it).

Usage: python propose.py MODEL_PATH [COUNT [MAX_GFLOPS]]
"""
import csv
import json
import os
import sys

import llmnas

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "llmpp-wmt")


def demonstrations():
    """The demonstrations of split seed 123 for wmt14ende: its training architectures with their BLEU from scratch."""
    with open(os.path.join(DATA, "labeled.csv"), newline="") as f:
        rows = {r["arch_id"]: r for r in csv.DictReader(f) if r["task"] == "wmt14ende"}
    with open(os.path.join(DATA, "splits.csv"), newline="") as f:
        train = [r["arch_id"] for r in csv.DictReader(f)
                 if r["task"] == "wmt14ende" and r["split_seed"] == "123" and r["split"] == "train"]
    return [{"architecture": json.loads(rows[a]["arch_json"]), "score": float(rows[a]["scratch_valid_bleu"])} for a in train]


def main():
    model = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    max_gflops = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    space = llmnas.Space.builtin("hat-wmt14ende")
    llm = llmnas.LLM(json.loads(os.environ["LLMNAS_LLM_CONFIG"]))
    demos = demonstrations()
    # Structured outputs (the space's JSON schema) keep a small model's answer to architecture-shaped objects.
    result = llm.propose(space, demos, count=count, max_gflops=max_gflops, structured=True,
                         task={"task": "machine translation", "dataset": "WMT'14 English-German"})
    print(f"asked for {count} architectures within {max_gflops} GFLOPs in {result['rounds']} round(s): "
          f"{len(result['accepted'])} accepted, {len(result['rejected'])} rejected")
    for proposal in result["accepted"]:
        print(f"  accepted (round {proposal['round']}, {proposal['stats']['flops'] / 1e9:.2f} GFLOPs): "
              f"{json.dumps(proposal['architecture'])}")
    for proposal in result["rejected"]:
        text = " ".join(proposal["text"].split())
        print(f"  rejected (round {proposal['round']}): {proposal['reason']}: {text[:100]}{'...' if len(text) > 100 else ''}")
    config = {"seed": 1, "iterations": 5, "population": 40, "parents": 10, "mutations": 15, "crossovers": 15,
              "estimators": [{"name": "distilled-bleu", "kind": "mlp", "model": model}],
              "constraints": [{"kind": "flops", "max": max_gflops * 1e9}], "initial": result["architectures"]}
    best = llmnas.Search(space, config).run({})
    print(f"search of 5 x 40 warm-started from the {len(result['architectures'])} accepted proposals: best predicted BLEU "
          f"{best['best_score']:.2f} at {best['stats']['flops'] / 1e9:.2f} GFLOPs")


if __name__ == "__main__":
    main()
