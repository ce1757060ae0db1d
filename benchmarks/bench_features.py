"""Issue 26: per-layer features against layer means, measured by the Kendall tau of the MLP predictor (the paper's
network and optimiser, 1,000 steps instead of 5,000 so the bench ends in minutes) on data it never saw.

1. HAT (the paper's 90 architectures trained from scratch, data/llmpp-wmt): for each of wmt14ende, wmt14enfr and
   wmt19ende, the paper's three train/test splits (10 train, 20 test), and 5-fold cross-validation (the
   out-of-fold predictions of all 30 pooled); scratch BLEU is the target.
2. NAS-Bench-Graph (cora, arxiv): 300 architectures to train on, 2,000 others to test, validation accuracy. Its
   space has no per-layer hyperparameter (four operation positions and a link pattern), so both encodings give the
   same features; the row shows that the figure does not move.

Each row prints the mean tau of both encodings and their difference. MLP_SEEDS (default 2) training seeds each.
"""

import csv
import json
import os
import random

import numpy as np

import llmnas
from llmnas_support.nasbench_graph import NASBenchGraph

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
MLP_SEEDS = int(os.environ.get("MLP_SEEDS", "2"))
STEPS = 1000
ENCODINGS = ["mean", "per_layer"]


def hat_space(encoding):
    definition = llmnas.Space.builtin("hat-wmt14ende").to_json()
    definition.update(name=f"hat-{encoding}", layer_features=encoding)
    return llmnas.Space.from_json(definition)


def tau_of_mlp(space, train, test):
    """Mean over MLP_SEEDS of the tau between the MLP's predictions on `test` and their scores."""
    taus = []
    for seed in range(MLP_SEEDS):
        model = llmnas.MLP(seed=seed, steps=STEPS).fit(space.features([a for a, _ in train]), [s for _, s in train])
        taus.append(llmnas.kendall_tau(model.predict(space.features([a for a, _ in test])), [s for _, s in test]))
    return float(np.mean(taus))


def out_of_fold_tau(space, rows, seed):
    """Tau of 5-fold out-of-fold predictions pooled over all rows, one fold assignment per `seed`."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    predicted = np.zeros(len(rows))
    for fold in range(5):
        held = order[fold::5]
        train = [rows[i] for i in order if i not in held]
        for mlp_seed in range(MLP_SEEDS):
            x = space.features([a for a, _ in train])
            model = llmnas.MLP(seed=mlp_seed, steps=STEPS).fit(x, [s for _, s in train])
            predicted[held] += model.predict(space.features([rows[i][0] for i in held])) / MLP_SEEDS
    return llmnas.kendall_tau(predicted, [s for _, s in rows])


def hat_rows():
    with open(os.path.join(ROOT, "data", "llmpp-wmt", "labeled.csv"), encoding="utf-8") as f:
        labeled = list(csv.DictReader(f))
    with open(os.path.join(ROOT, "data", "llmpp-wmt", "splits.csv"), encoding="utf-8") as f:
        splits = list(csv.DictReader(f))
    return labeled, splits


def bench_hat():
    labeled, splits = hat_rows()
    spaces = {encoding: hat_space(encoding) for encoding in ENCODINGS}
    print(
        f"features: HAT has {spaces['mean'].feature_count} mean features, {spaces['per_layer'].feature_count} "
        "per-layer ones"
    )
    for task in sorted({r["task"] for r in labeled}):
        by_id = {
            r["arch_id"]: (json.loads(r["arch_json"]), float(r["scratch_test_bleu"]))
            for r in labeled
            if r["task"] == task
        }
        seeds = sorted({s["split_seed"] for s in splits if s["task"] == task})
        rows = list(by_id.values())
        results = {}
        for encoding, space in spaces.items():
            split_taus = []
            for seed in seeds:
                train = [
                    by_id[s["arch_id"]]
                    for s in splits
                    if (s["task"], s["split_seed"], s["split"]) == (task, seed, "train")
                ]
                test = [
                    by_id[s["arch_id"]]
                    for s in splits
                    if (s["task"], s["split_seed"], s["split"]) == (task, seed, "test")
                ]
                split_taus.append(tau_of_mlp(space, train, test))
            results[encoding] = (np.mean(split_taus), out_of_fold_tau(space, rows, 0))
        (mean_split, mean_cv), (layer_split, layer_cv) = results["mean"], results["per_layer"]
        print(
            f"features: {task} paper splits tau mean {mean_split:+.3f} per_layer {layer_split:+.3f} "
            f"(difference {layer_split - mean_split:+.3f}); 5-fold tau mean {mean_cv:+.3f} per_layer "
            f"{layer_cv:+.3f} (difference {layer_cv - mean_cv:+.3f})"
        )


def bench_graph():
    space = llmnas.Space.builtin("nas-bench-graph")
    definition = space.to_json()
    definition.update(name="nas-bench-graph-per-layer", layer_features="per_layer")
    per_layer = llmnas.Space.from_json(definition)
    assert per_layer.feature_count == space.feature_count
    for dataset in ["cora", "arxiv"]:
        bench = NASBenchGraph(dataset)
        archs = [bench.arch_of(h) for h in random.Random(7).sample(bench.hashes(), 2300)]
        scored = list(zip(archs, bench.valid(archs)))
        train, test = scored[:300], scored[300:]
        taus = {name: tau_of_mlp(s, train, test) for name, s in [("mean", space), ("per_layer", per_layer)]}
        print(
            f"features: nas-bench-graph {dataset} tau mean {taus['mean']:+.3f} per_layer {taus['per_layer']:+.3f} "
            "(no per-layer hyperparameter: the same features)"
        )


if __name__ == "__main__":
    bench_hat()
    bench_graph()
