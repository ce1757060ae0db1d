"""HS-NAS benchmarks, each from one run:

1. NAS-Bench-Graph, a complete table with a known optimum: over 10 seeds per dataset, random search,
   estimator-only evolution (HAT's defaults, valid_acc as the estimator) and HS-NAS (an MLP distilled from 150
   valid_acc labels scores iterations 0-20, valid_acc 21-29). Mean test-accuracy regret against the table's best
   test_acc (and valid regret against the best valid_acc) and the estimator calls each spent, labels included.
2. The search's own speed: 30 iterations of 125 on hat-wmt14ende under a 200 ms TITAN Xp latency limit with a trivial
   estimator, against Optuna's NSGA-II sampler over the same 40 categorical genes for the same 3,750 trials
   (ask/tell, the same estimator and latency predictor), as a ratio.

Usage: bench_search.py [--datasets cora,citeseer,pubmed,arxiv] [--seeds 10] [--skip-speed]
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llmnas  # noqa: E402
from nasbench_graph import NASBenchGraph  # noqa: E402

LABELS = 150
SPLIT = 0.7
DISTILL = {"hidden": [400, 400, 400, 400], "steps": 1000, "learning_rate": 1e-4}


def hsnas_config(seed):
    """HS-NAS on NAS-Bench-Graph: the distilled MLP for the first 70% of the iterations, valid_acc for the rest."""
    return {"seed": seed, "estimators": [{"name": "distilled", "kind": "mlp"}, {"name": "valid_acc"}],
            "schedule": [{"estimator": "distilled", "fraction": [0, SPLIT]}, {"estimator": "valid_acc", "fraction": [SPLIT, 1]}]}


def run_graph(dataset, seed, space, bench):
    """One seed of the three methods on one dataset: {method: (test regret, valid regret, calls)}."""
    best_valid = max(row[0] for row in bench._rows.values())
    out = {}

    def judged(arch):
        return bench.regret(arch), 100 * (best_valid - bench.row(arch)[0]), bench.calls

    bench.calls = 0
    search = llmnas.Search(space, {"seed": seed, "estimators": [{"name": "valid_acc"}]})
    out["evolution"] = judged(search.run({"valid_acc": bench.valid})["architecture"])
    evolution_calls = bench.calls

    bench.calls = 0
    pool = space.sample(LABELS, seed=1000 + seed)
    model = llmnas.MLP(DISTILL, seed=seed).fit(space.features(pool), bench.valid(pool))
    search = llmnas.Search(space, hsnas_config(seed)).bind_mlp("distilled", model)
    out["hs-nas"] = judged(search.run({"valid_acc": bench.valid})["architecture"])

    bench.calls = 0
    archs = space.sample(evolution_calls, seed=2000 + seed)
    scores = bench.valid(archs)
    out["random"] = judged(archs[int(np.argmax(scores))])
    return out


def graph_table(datasets, seeds):
    space = llmnas.Space.builtin("nas-bench-graph")
    print(f"NAS-Bench-Graph, {seeds} seeds per dataset: mean regret in accuracy points (test: against the best "
          "test_acc; valid: against the best valid_acc) and estimator calls (valid_acc look-ups, labels included)")
    print(f"{'dataset':10s} {'method':11s} {'test regret':>14s} {'valid regret':>13s} {'calls':>7s} {'calls/evolution':>16s}")
    overall = {}
    for dataset in datasets:
        bench = NASBenchGraph(dataset)
        results = [run_graph(dataset, seed, space, bench) for seed in range(seeds)]
        evolution_calls = np.mean([r["evolution"][2] for r in results])
        for method in ("random", "evolution", "hs-nas"):
            rows = np.array([r[method] for r in results])
            overall.setdefault(method, []).append(rows)
            print(f"{dataset:10s} {method:11s} {rows[:, 0].mean():7.3f}±{rows[:, 0].std():<6.3f} {rows[:, 1].mean():13.3f} "
                  f"{rows[:, 2].mean():7.0f} {rows[:, 2].mean() / evolution_calls:16.2f}")
    if len(datasets) > 1:
        evolution_calls = np.concatenate(overall["evolution"])[:, 2].mean()
        for method in ("random", "evolution", "hs-nas"):
            rows = np.concatenate(overall[method])
            print(f"{'all':10s} {method:11s} {rows[:, 0].mean():7.3f}{'':7s} {rows[:, 1].mean():13.3f} "
                  f"{rows[:, 2].mean():7.0f} {rows[:, 2].mean() / evolution_calls:16.2f}")
    print(f"HS-NAS: {LABELS} labels, MLP {DISTILL}, distilled for iterations 0-{int(SPLIT * 30) - 1}, valid_acc after; "
          "random search gets evolution's budget.")


def trivial(arch):
    """The trivial estimator both searches use: wider is better."""
    return float(arch["encoder_embed_dim"] + arch["decoder_embed_dim"] + sum(arch["decoder_ffn_embed_dim"]) / 100)


def speed(limit_ms=200.0):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = llmnas.Space.builtin("hat-wmt14ende")
    latency = llmnas.latency_predictor("wmt14ende-titanxp")
    config = {"seed": 0, "constraints": [{"kind": "latency", "predictor": "wmt14ende-titanxp", "max": limit_ms}]}

    start = time.perf_counter()
    search = llmnas.Search(space, config)
    trials = 0  # distinct candidates: a repeat is not scored twice
    for candidates, _ in search:
        trials += len(candidates)
        search.tell([trivial(a) for a in candidates])
    ours = time.perf_counter() - start
    best = search.best()

    definition = space.to_json()["hyperparameters"]
    genes = []  # (name, choices, layer index or None)
    for hp in definition:
        if "layers" in hp:
            most = max(next(h for h in definition if h["name"] == hp["layers"])["choices"])
            genes += [(hp["name"], hp["choices"], i) for i in range(most)]
        else:
            genes.append((hp["name"], hp["choices"], None))

    def decode(trial):
        values = {f"{n}{'' if i is None else i}": trial.suggest_categorical(f"{n}{'' if i is None else i}", c) for n, c, i in genes}
        arch = {}
        for hp in definition:
            if "layers" in hp:
                arch[hp["name"]] = [values[f"{hp['name']}{i}"] for i in range(arch[hp["layers"]])]
            else:
                arch[hp["name"]] = values[hp["name"]]
        return arch

    sampler = optuna.samplers.NSGAIISampler(population_size=125, seed=0)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    start = time.perf_counter()
    for _ in range(30 * 125):
        trial = study.ask()
        arch = decode(trial)
        ms = float(latency.predict(space.features([arch]))[0])
        trial.set_user_attr("latency", ms)
        trial.set_constraint("latency", ms - limit_ms)
        study.tell(trial, trivial(arch) if ms <= limit_ms else 0.0)
    theirs = time.perf_counter() - start
    feasible = [t for t in study.trials if t.user_attrs["latency"] <= limit_ms]
    print(f"search time, 30 iterations x 125 on hat-wmt14ende, latency <= {limit_ms:.0f} ms (TITAN Xp predictor), "
          f"trivial estimator: llmnas {ours:.2f} s ({trials} distinct candidates scored) | optuna NSGAIISampler {theirs:.2f} s (3750 trials) | "
          f"ratio {theirs / ours:.1f}x | best score llmnas {best['best_score']:.1f} (latency {best['constraints']['latency_ms']:.0f} ms) "
          f"vs optuna {max(t.value for t in feasible):.1f} ({len(feasible)} of optuna's trials feasible)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default="cora,citeseer,pubmed,arxiv")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    graph_table(args.datasets.split(","), args.seeds)
    if not args.skip_speed:
        speed()


if __name__ == "__main__":
    main()
