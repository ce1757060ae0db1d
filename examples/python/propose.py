"""propose.py: LLM-proposed architectures as the warm start of a search.

Shows the LLM the trained wmt14ende architectures of split seed 123's demonstrations (Jawahar et al., 2024) and asks
it for COUNT new ones that should reach a higher BLEU within MAX_GFLOPS (in the space's JSON schema); prints every
accepted proposal with its GFLOPs and every rejected one with its reason; then runs a short HS-NAS search on
hat-wmt14ende whose first population starts
from the accepted proposals, scored by a distilled predictor (an MLP file such as the demo's), and prints its best.

The LLM client config comes from LLMNAS_LLM_CONFIG (JSON, as llmnas.LLM takes it).

Usage: python propose.py MODEL_PATH [COUNT [MAX_GFLOPS]]
"""

import json
import os
import sys

import llmnas
from wmt_split import split


def main():
    model = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    max_gflops = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    space = llmnas.Space.builtin("hat-wmt14ende")
    llm = llmnas.LLM(json.loads(os.environ["LLMNAS_LLM_CONFIG"]))
    demos = split("train")
    # Structured outputs (the space's JSON schema) keep a small model's answer to architecture-shaped objects.
    result = llm.propose(
        space,
        demos,
        count=count,
        max_gflops=max_gflops,
        structured=True,
        task={"task": "machine translation", "dataset": "WMT'14 English-German"},
    )
    print(
        f"asked for {count} architectures within {max_gflops} GFLOPs in {result['rounds']} round(s): "
        f"{len(result['accepted'])} accepted, {len(result['rejected'])} rejected"
    )
    for proposal in result["accepted"]:
        print(
            f"  accepted (round {proposal['round']}, {proposal['stats']['flops'] / 1e9:.2f} GFLOPs): "
            f"{json.dumps(proposal['architecture'])}"
        )
    for proposal in result["rejected"]:
        text = " ".join(proposal["text"].split())
        print(
            f"  rejected (round {proposal['round']}): {proposal['reason']}: "
            f"{text[:100]}{'...' if len(text) > 100 else ''}"
        )
    config = {
        "seed": 1,
        "iterations": 5,
        "population": 40,
        "parents": 10,
        "mutations": 15,
        "crossovers": 15,
        "estimators": [{"name": "distilled-bleu", "kind": "mlp", "model": model}],
        "constraints": [{"kind": "flops", "max": max_gflops * 1e9}],
        "initial": result["architectures"],
    }
    best = llmnas.Search(space, config).run({})
    print(
        f"search of 5 x 40 warm-started from the {len(result['architectures'])} accepted proposals: best predicted "
        "BLEU "
        f"{best['best_score']:.2f} at {best['stats']['flops'] / 1e9:.2f} GFLOPs"
    )
    print("proposals' LLM usage: " + json.dumps(llm.usage, separators=(",", ":")))


if __name__ == "__main__":
    main()
