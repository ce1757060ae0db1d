"""Search benchmarks, each from one run:

1. NAS-Bench-Graph, complete tables with a known optimum (issue 28's measurement): valid regret (points: the table's
   best valid accuracy minus the best found) against expensive calls, where an expensive call is a distinct
   architecture of the table whose valid_acc a method looks up (labels and demonstrations included; an isomorphic
   encoding of an architecture already looked up is answered from the results held). Methods, all with the same
   budget of BUDGET calls: the anchors of benchmarks/search_anchors.py (random search computed exactly, regularized
   evolution, local search, BANANAS-lite), the library's estimator-only evolution (HAT's defaults), HS-NAS with the
   paper's split, today's best cascade (an MLP refitted on the valid_acc scores screens 4x pools of children), and
   the whole-space screen: a Gaussian process over every architecture of the space, refitted on the valid_acc scores
   before every batch of KEEP, its optimistic score choosing (see docs/formats.md, "search config"); the same with a
   prior learnt from the other tables present (transfer), and with a prior distilled from LLM-PP labels (the LLM
   named, fewer seeds). For each data set and method: mean valid regret with a 95% t-interval at 25, 50, 100, 200
   and 500 calls, the median calls to reach random search's 500-call valid regret (a run that never does counts as
   never), and the test regret at 500 calls of the best architecture by valid_acc; and the LLM's worth, paired: the
   search with the LLM-PP prior minus the same search without it, seed by seed (JSON: "llm_worth"). Written beside
   the table: the anytime plot (nasbench_graph_regret.svg) and, with --json, the figures as JSON.
2. The search's own speed: 30 iterations of 125 on hat-wmt14ende under a 200 ms TITAN Xp latency limit with a trivial
   estimator, against Optuna's NSGA-II sampler over the same 40 categorical genes for the same 3,750 trials
   (ask/tell, the same estimator and latency predictor), as a ratio; and the same search with a cascade of 4x pools
   screened by an MLP; and the time of one whole-space search of BUDGET calls.

Usage: bench_search.py [--datasets cora,citeseer,pubmed,arxiv] [--seeds 50] [--llm-seeds 10] [--no-llm]
                       [--skip-speed] [--json PATH] [--out build/bench] [--data DIR]
The data sets are the CSV tables under --data (default data/nas-bench-graph) besides arch_index.csv. The LLM methods
use LLMNAS_LLM_CONFIG (or LLMNAS_MODEL with OPENAI_BASE_URL), else Gemma 3 270M on a local llama-server
(tools/local_llm.sh); their answers are cached in build/bench/search-llm-cache.llmnas, so a rerun sends no request.
OpenBLAS's threads and kernels are pinned unless the environment sets them (pin_blas; the JSON's "blas" says how).
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
from scipy import stats

import llmnas
import search_anchors as anchors
from llmnas_support import local_llm, regret_plot
from llmnas_support.nasbench_graph import DATA, NASBenchGraph

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BUDGET = 500
CHECKPOINTS = [25, 50, 100, 200, 500]
ANCHOR_CALLS = 500
START = 10  # random architectures every whole-space search starts from (the LLM's demonstrations)
BLAS_PIN = {"OPENBLAS_NUM_THREADS": "2", "OPENBLAS_CORETYPE": "Haswell"}  # pin_blas sets them (kernels with AVX2)
KEEP = 5  # architectures a whole-space screen sends to valid_acc per iteration
LLM_LABELS = 30  # LLM-PP labels the LLM prior is distilled from, per seed
LLM_POOL = 200  # the pool they are drawn from
LABELS = 150
DISTILL = {"hidden": [400, 400, 400, 400], "steps": 1000, "learning_rate": 1e-4}
CASCADE_LABELS = 100
CASCADE_TRAIN = {"hidden": [64, 64], "steps": 500, "learning_rate": 1e-3}
PRIOR_TRAIN = {"hidden": [64, 64], "steps": 2000, "learning_rate": 1e-3}
WHOLE_SPACE = "whole-space GP"
TRANSFER = "whole-space GP + transfer"
WITH_LLM = "whole-space GP + LLM-PP"


class Counted:
    """The expensive estimator of one run: valid_acc look-ups, each distinct architecture counted once, in order."""

    def __init__(self, bench):
        self.bench = bench
        self.rows = []
        self.seen = {}

    def __call__(self, archs):
        out = []
        for a in archs:
            h = self.bench._hash[(a["link"], "|".join(a["ops"]))]
            if h not in self.seen:
                self.seen[h] = self.bench._rows[h][0]
                self.rows.append(h)
            out.append(self.seen[h])
        return out

    @property
    def done(self):
        return len(self.rows) >= BUDGET


def until_budget(search, estimators):
    """Runs `search` by ask and tell, each host estimator from `estimators`, until the valid_acc calls reach BUDGET
    or the search ends."""
    counted = estimators["valid_acc"]
    for candidates, name in search:
        search.tell(estimators[name](candidates))
        if counted.done:
            return


def evolution(space, seed, counted, bench):
    until_budget(llmnas.Search(space, {"seed": seed, "estimators": [{"name": "valid_acc"}]}), {"valid_acc": counted})


def hsnas(space, seed, counted, bench):
    """HS-NAS: the MLP distilled from LABELS valid_acc labels scores the first half of the iterations, valid_acc the
    rest."""
    pool = space.sample(LABELS, seed=1000 + seed)
    model = llmnas.MLP(DISTILL, seed=seed).fit(space.features(pool), counted(pool))
    config = {
        "seed": seed,
        "estimators": [{"name": "distilled", "kind": "mlp"}, {"name": "valid_acc"}],
        "schedule": [
            {"estimator": "distilled", "fraction": [0, 0.5]},
            {"estimator": "valid_acc", "fraction": [0.5, 1]},
        ],
    }
    until_budget(llmnas.Search(space, config).bind_mlp("distilled", model), {"valid_acc": counted})


def cascade(space, seed, counted, bench):
    """Today's best cascade: the MLP (distilled from CASCADE_LABELS labels, refitted before every iteration on them and
    the valid_acc scores so far) screens 4x pools of children and the best 5 go to valid_acc."""
    labels = space.sample(CASCADE_LABELS, seed=1000 + seed)
    scores = counted(labels)
    model = llmnas.MLP(CASCADE_TRAIN, seed=seed).fit(space.features(labels), scores)
    refit = {
        "on": "valid_acc",
        "train": CASCADE_TRAIN,
        "labels": [{"architecture": a, "score": y} for a, y in zip(labels, scores)],
    }
    config = {
        "seed": seed,
        "iterations": 200,
        "estimators": [{"name": "distilled", "kind": "mlp", "refit": refit}, {"name": "valid_acc"}],
        "schedule": [
            {
                "estimator": "valid_acc",
                "fraction": [0, 1],
                "cascade": {"screen": "distilled", "pool": 4, "keep_best": 5},
            }
        ],
    }
    until_budget(llmnas.Search(space, config).bind_mlp("distilled", model), {"valid_acc": counted})


def whole_space_config(seed, start, prior):
    """The whole-space search: START random architectures, then every iteration the Gaussian process (with an MLP
    prior when `prior`) sends its best KEEP to valid_acc."""
    gp = {"name": "gp", "kind": "gp", "on": "valid_acc"}
    estimators = [{"name": "valid_acc"}, gp]
    if prior:
        gp["prior"] = "prior"
        estimators.append({"name": "prior", "kind": "mlp"})
    return {
        "seed": seed,
        "population": START,
        "parents": 1,
        "mutations": 0,
        "crossovers": 0,
        "iterations": BUDGET,
        "initial": start,
        "estimators": estimators,
        "schedule": [
            {
                "estimator": "valid_acc",
                "fraction": [0, 1],
                "cascade": {"screen": "gp", "pool": "space", "keep_best": KEEP},
            }
        ],
    }


def start_of(space, seed):
    return space.sample(START, seed=3000 + seed)


def whole_space(space, seed, counted, bench, prior=None):
    search = llmnas.Search(space, whole_space_config(seed, start_of(space, seed), prior is not None))
    if prior is not None:
        search.bind_mlp("prior", prior)
    until_budget(search, {"valid_acc": counted})


def transfer_prior(space, dataset, datasets, data_dir):
    """An MLP fitted to the mean standardized valid accuracy of every other table present, over every encoding."""
    others = [NASBenchGraph(d, data_dir) for d in datasets if d != dataset]
    if not others:
        return None
    encodings = [{"link": link, "ops": ops.split("|")} for link, ops in sorted(others[0]._hash)]
    encodings = [a for a in encodings if set(a["ops"]) != {"skip"}]
    target = np.zeros(len(encodings))
    for other in others:
        valid = np.array([other.row(a)[0] for a in encodings])
        target += (valid - valid.mean()) / valid.std()
    return llmnas.MLP(PRIOR_TRAIN, seed=0).fit(space.features(encodings), target / len(others))


def llm_prior(space, llm, seed, counted):
    """The paper's initializer: LLM-PP, shown the START random architectures with their valid_acc as demonstrations,
    labels LLM_LABELS architectures of a pool, and an MLP is distilled from the labels (LLM-Distill-PP)."""
    start = start_of(space, seed)
    demos = list(zip(start, counted(start)))
    pool = space.sample(LLM_POOL, seed=4000 + seed)
    model, _ = llm.distill(space, demos, pool, LLM_LABELS, seed=seed, mlp_config=CASCADE_TRAIN)
    return model


METHODS = {
    "regularized evolution": None,
    "local search": None,
    "BANANAS-lite": None,
    "evolution": evolution,
    "hs-nas 50%": hsnas,
    "cascade+refit": cascade,
    WHOLE_SPACE: whole_space,
}
ANCHOR_RUNS = {
    "regularized evolution": anchors.regularized_evolution,
    "local search": anchors.local_search,
    "BANANAS-lite": anchors.bananas_lite,
}


def interval(values):
    """Mean and 95% t-interval of `values`."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if len(values) < 2:
        return [mean, mean, mean]
    half = float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values)))
    return [mean, mean - half, mean + half]


def median_or_never(calls):
    """The median of calls to the anchor, a run that never reaches it counting as infinitely many; None for never."""
    ordered = sorted(np.inf if c is None else c for c in calls)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    return None if not np.isfinite(median) else int(np.ceil(median))


def figures(bench, runs, threshold):
    """One method's figures from its runs, each the distinct table rows (hashes) it queried, in order."""
    best_valid, best_test = 100 * max(r[0] for r in bench._rows.values()), 100 * bench.best_test
    valid = [np.array([100 * bench._rows[h][0] for h in run[:BUDGET]]) for run in runs]
    incumbents = [np.maximum.accumulate(v) for v in valid]
    reach = []
    for incumbent in incumbents:
        hit = np.flatnonzero(incumbent >= threshold - 1e-9)
        reach.append(int(hit[0]) + 1 if len(hit) else None)
    test = [best_test - 100 * bench._rows[run[int(np.argmax(v))]][1] for run, v in zip(runs, valid)]
    at = {str(c): interval([best_valid - i[min(c, len(i)) - 1] for i in incumbents]) for c in CHECKPOINTS}
    curve = np.array([[best_valid - i[min(c, len(i)) - 1] for c in range(1, BUDGET + 1)] for i in incumbents])
    return {
        "seeds": len(runs),
        "valid_regret_at": at,
        "calls_to_anchor_median": median_or_never(reach),
        "test_regret_at_500": interval(test),
        "calls_to_anchor_reached": sum(r is not None for r in reach),
    }, curve


def random_figures(bench, table, anchor):
    """Random search's figures, computed exactly (its intervals are points: an expectation, not a sample)."""
    best_valid = table.valid.max()
    at = {}
    for c in CHECKPOINTS:
        regret = anchors.random_expected_regret(table.valid, c)
        at[str(c)] = [regret, regret, regret]
    test = anchors.random_expected_test_regret(table.valid, table.test, 100 * bench.best_test, BUDGET)
    curve = np.array([[anchors.random_expected_regret(table.valid, c) for c in range(1, BUDGET + 1)]])
    return {
        "seeds": None,
        "valid_regret_at": at,
        "calls_to_anchor_median": anchors.random_median_calls(table.valid, best_valid - anchor),
        "test_regret_at_500": [test, test, test],
    }, curve


def interval_text(figure, sign=""):
    """A [mean, lo, hi] figure as the table prints it, "1.23 [1.01,1.45]"; sign="+" signs the mean of a difference."""
    mean, lo, hi = figure
    return f"{mean:{sign}5.2f} [{lo:4.2f},{hi:4.2f}]"


def llm_worth(curves):
    """What the LLM-PP prior changes, seed by seed: the whole-space GP with it minus the same search without it (the
    same seeds, so the same START architectures), valid regret at each checkpoint, mean and 95% t-interval over the
    LLM's seeds; below zero the LLM helped."""
    with_llm = curves[WITH_LLM]
    difference = with_llm - curves[WHOLE_SPACE][: len(with_llm)]
    return {
        "seeds": len(with_llm),
        "valid_regret_difference_at": {str(c): interval(difference[:, c - 1]) for c in CHECKPOINTS},
    }


def local_llm_config(cache):
    """The LLM config of the bench: LLMNAS_LLM_CONFIG, or LLMNAS_MODEL at OPENAI_BASE_URL, else Gemma 3 270M on a local
    llama-server started now (stopped at exit); the model's name; and the stop command if a server was started."""
    if os.environ.get("LLMNAS_LLM_CONFIG"):
        config = dict(json.loads(os.environ["LLMNAS_LLM_CONFIG"]), cache_file=cache)
        return config, config.get("model", "?"), None
    if os.environ.get("LLMNAS_MODEL"):
        base = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1")
        model = os.environ["LLMNAS_MODEL"]
        return {"model": model, "base_url": base, "cache_file": cache}, model, None
    tool = os.path.join(ROOT, "tools", "local_llm.sh")
    url = subprocess.run([tool, "start"], check=True, capture_output=True, text=True).stdout.strip()
    config = local_llm.config(url, cache)
    return config, "Gemma 3 270M (llama-server)", [tool, "stop"]


def run_methods(space, bench, table, seeds, transfer, llm, llm_seeds):
    """{method: [run: distinct hashes queried, in order]} for every method on one data set."""
    hashes = bench.hashes()
    runs = {}
    for name, run in ANCHOR_RUNS.items():
        runs[name] = [[hashes[r] for r in run(table, seed, BUDGET)] for seed in range(seeds)]
    for name, method in METHODS.items():
        if method is None:
            continue
        runs[name] = []
        for seed in range(seeds):
            counted = Counted(bench)
            method(space, seed, counted, bench)
            runs[name].append(counted.rows[:BUDGET])
    if transfer is not None:
        runs[TRANSFER] = []
        for seed in range(seeds):
            counted = Counted(bench)
            whole_space(space, seed, counted, bench, prior=transfer)
            runs[TRANSFER].append(counted.rows[:BUDGET])
    if llm is not None:
        runs[WITH_LLM] = []
        for seed in range(llm_seeds):
            counted = Counted(bench)
            whole_space(space, seed, counted, bench, prior=llm_prior(space, llm, seed, counted))
            runs[WITH_LLM].append(counted.rows[:BUDGET])
    return runs


def graph_table(args):
    space = llmnas.Space.builtin("nas-bench-graph")
    datasets = args.datasets.split(",")
    present = sorted(f[:-4] for f in os.listdir(args.data) if f.endswith(".csv") and f != "arch_index.csv")
    llm, model, stop = None, None, None
    if not args.no_llm:
        os.makedirs(args.out, exist_ok=True)
        config, model, stop = local_llm_config(os.path.join(args.out, "search-llm-cache.llmnas"))
        llm = llmnas.LLM(config)
    blas = {name: os.environ.get(name) for name in BLAS_PIN}
    result = {"budget": BUDGET, "blas": blas, "datasets": {}}
    panels, order = [], []
    header = (
        f"{'dataset':9s} {'method':26s} {'seeds':>5s} "
        + " ".join(f"{'@' + str(c):>17s}" for c in CHECKPOINTS)
        + f" {'calls to anchor':>15s} {'test @500':>17s}"
    )
    lines = [
        f"NAS-Bench-Graph: mean valid regret (points) [95% interval] after k expensive calls (distinct architectures "
        f"looked up), median calls to reach random search's {ANCHOR_CALLS}-call valid regret (the anchor), test "
        f"regret at {BUDGET} calls of the best by valid_acc",
        header,
    ]
    print("\n".join(lines), flush=True)
    try:
        for dataset in datasets:
            bench = NASBenchGraph(dataset, args.data)
            table = anchors.Table(bench)
            anchor = anchors.random_expected_regret(table.valid, ANCHOR_CALLS)
            threshold = table.valid.max() - anchor
            transfer = transfer_prior(space, dataset, present, args.data)
            runs = run_methods(space, bench, table, args.seeds, transfer, llm, args.llm_seeds)
            methods, curves = {}, {}
            methods["random"], curves["random"] = random_figures(bench, table, anchor)
            for name, method_runs in runs.items():
                methods[name], curves[name] = figures(bench, method_runs, threshold)
            for name, figure in methods.items():
                figure["llm"] = model if name == WITH_LLM else None
                figure["transfer"] = name == TRANSFER
                line = (
                    f"{dataset:9s} {name:26s} {str(figure['seeds'] or 'exact'):>5s} "
                    + " ".join(interval_text(v) for v in figure["valid_regret_at"].values())
                    + f" {str(figure['calls_to_anchor_median'] or 'never'):>15s} "
                    + interval_text(figure["test_regret_at_500"])
                )
                lines.append(line)
                print(line, flush=True)
            result["datasets"][dataset] = {"anchor_valid_regret": anchor, "methods": methods}
            if WITH_LLM in curves:
                worth = dict(llm_worth(curves), llm=model)
                result["datasets"][dataset]["llm_worth"] = worth
                line = f"{dataset:9s} {'with LLM-PP minus without':26s} {worth['seeds']:>5d} " + " ".join(
                    interval_text(v, sign="+") for v in worth["valid_regret_difference_at"].values()
                )
                lines.append(line)
                print(line, flush=True)
            order = list(methods)
            grid = [c for c in range(1, BUDGET + 1) if c == 1 or c % 5 == 0]
            panel = {}
            for name, curve in curves.items():
                mean = curve.mean(axis=0)
                half = (
                    stats.t.ppf(0.975, len(curve) - 1) * curve.std(axis=0, ddof=1) / np.sqrt(len(curve))
                    if len(curve) > 1
                    else np.zeros(BUDGET)
                )
                panel[name] = [(float(c), float(mean[c - 1]), float(half[c - 1])) for c in grid]
            panels.append((f"{dataset}: valid regret (anchor {anchor:.2f})", panel))
    finally:
        if stop:
            subprocess.run(stop, check=False)
    if llm is not None:
        result["llm_usage"] = llm.usage
    lines.append(
        f"Anchors: {anchors.__doc__.split(chr(10))[0]} Library: evolution (HAT's defaults), HS-NAS ({LABELS} labels, "
        f"MLP {DISTILL}), cascade+refit ({CASCADE_LABELS} labels, MLP {CASCADE_TRAIN}, 4x pools, best 5), whole-space "
        f"GP ({START} random, then the best {KEEP} by the Gaussian process's optimistic score each iteration); "
        f"+ transfer: its prior an MLP {PRIOR_TRAIN} fitted to the other tables present; + LLM-PP "
        f"({model or 'not run'}): its prior "
        f"an MLP distilled from {LLM_LABELS} LLM-PP labels of a {LLM_POOL}-architecture pool, the {START} random "
        "architectures as demonstrations."
    )
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "nasbench_graph.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    svg = os.path.join(args.out, "nasbench_graph_regret.svg")
    regret_plot.write(
        svg,
        panels,
        order,
        columns=2,
        caption=f"Mean valid regret (points) against expensive calls, 95% intervals shaded; {args.seeds} seeds",
    )
    print(f"table and plot: {args.out}/nasbench_graph.txt, {svg}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
        print(f"figures as JSON: {args.json}")
    return result


def trivial(arch):
    """The trivial estimator both searches use: wider is better."""
    return float(arch["encoder_embed_dim"] + arch["decoder_embed_dim"] + sum(arch["decoder_ffn_embed_dim"]) / 100)


def speed(limit_ms=200.0):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = llmnas.Space.builtin("hat-wmt14ende")
    latency = llmnas.latency_predictor("wmt14ende-titanxp")
    config = {"seed": 0, "constraints": [{"kind": "latency", "predictor": "wmt14ende-titanxp", "max": limit_ms}]}

    def timed(search):
        start = time.perf_counter()
        trials = 0  # distinct candidates: a repeat is not scored twice
        for candidates, _ in search:
            trials += len(candidates)
            search.tell([trivial(a) for a in candidates])
        return time.perf_counter() - start, trials, search.best

    ours, trials, best = timed(llmnas.Search(space, config))
    # The cascade: an MLP (the latency predictor standing in for a distilled one, lower is better) screens pools of
    # 4x the children (and a first population of 500); the best quarter goes on to the trivial estimator.
    cascaded = dict(
        config,
        estimators=[{"name": "screen", "kind": "mlp", "higher_is_better": False}, {"name": "host"}],
        schedule=[{"estimator": "host", "fraction": [0, 1], "cascade": {"screen": "screen", "pool": 4}}],
    )
    search = llmnas.Search(space, cascaded).bind_mlp("screen", latency)
    cascade_time, cascade_trials, _ = timed(search)

    definition = space.to_json()["hyperparameters"]
    genes = []  # (name, choices, layer index or None)
    for hp in definition:
        if "layers" in hp:
            most = max(next(h for h in definition if h["name"] == hp["layers"])["choices"])
            genes += [(hp["name"], hp["choices"], i) for i in range(most)]
        else:
            genes.append((hp["name"], hp["choices"], None))

    def decode(trial):
        values = {
            f"{n}{'' if i is None else i}": trial.suggest_categorical(f"{n}{'' if i is None else i}", c)
            for n, c, i in genes
        }
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
    print(
        f"search time, 30 iterations x 125 on hat-wmt14ende, latency <= {limit_ms:.0f} ms (TITAN Xp predictor), "
        f"trivial estimator: llmnas {ours:.2f} s ({trials} distinct candidates scored) | optuna NSGAIISampler "
        f"{theirs:.2f} s (3750 trials) | "
        f"ratio {theirs / ours:.1f}x | best score llmnas {best['best_score']:.1f} (latency "
        f"{best['constraints']['latency_ms']:.0f} ms) "
        f"vs optuna {max(t.value for t in feasible):.1f} ({len(feasible)} of optuna's trials feasible)"
    )
    print(
        f"the same search with a cascade of 4x pools screened by an MLP: llmnas {cascade_time:.2f} s "
        f"({cascade_trials} candidates "
        f"reached the estimator) | ratio to optuna's 3750 trials {theirs / cascade_time:.1f}x"
    )


def whole_space_speed():
    """The time of one whole-space search of BUDGET calls on NAS-Bench-Graph (cora), the estimator a table look-up."""
    space = llmnas.Space.builtin("nas-bench-graph")
    bench = NASBenchGraph("cora")
    counted = Counted(bench)
    start = time.perf_counter()
    whole_space(space, 0, counted, bench)
    seconds = time.perf_counter() - start
    print(
        f"a whole-space search of {BUDGET} expensive calls over NAS-Bench-Graph's 26,206 networks (cora, seed 0): "
        f"{seconds:.1f} s, {1000 * seconds / BUDGET:.1f} ms per call"
    )


def pin_blas():
    """Restarts the bench with OpenBLAS's thread count (2) and, on a CPU with AVX2, its kernels (Haswell's) pinned,
    unless the environment sets them. An MLP trains on sums in the order these give, so without the pin HS-NAS and
    the cascade choose other architectures on another machine (one thread against two, or Sandybridge's kernels
    against Haswell's, changes their runs on cora); with it their figures reproduce from one x86-64 machine to another
    with at least two cores and the same OpenBLAS. The speed figures run on the same two threads."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpu:
            avx2 = any(line.startswith("flags") and " avx2" in line for line in cpu)
    except OSError:
        avx2 = False
    wanted = {name: value for name, value in BLAS_PIN.items() if avx2 or name != "OPENBLAS_CORETYPE"}
    missing = {name: value for name, value in wanted.items() if name not in os.environ}
    if missing:
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **missing})


def main():
    pin_blas()
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default="cora,citeseer,pubmed,arxiv")
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument(
        "--llm-seeds", type=int, default=10, help="seeds of the LLM methods, at most --seeds (they are paired)"
    )
    parser.add_argument("--no-llm", action="store_true", help="leave out the methods that need an LLM")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--json", help="also write the figures as JSON to this path")
    parser.add_argument("--data", default=DATA, help="the folder of the NAS-Bench-Graph tables")
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    args = parser.parse_args()
    if not args.no_llm and args.llm_seeds > args.seeds:
        parser.error("--llm-seeds may not exceed --seeds: each LLM seed is paired with the same seed without the LLM")
    graph_table(args)
    if not args.skip_speed:
        whole_space_speed()
        speed()


if __name__ == "__main__":
    sys.exit(main())
