"""HS-NAS benchmarks, each from one run:

1. NAS-Bench-Graph, a complete table with a known optimum: over 10 seeds per dataset, random search (evolution's
   budget), estimator-only evolution (HAT's defaults, valid_acc as the expensive estimator), HS-NAS with the paper's
   split (an MLP distilled from 150 valid_acc labels scores the first half of the iterations, valid_acc the rest),
   HS-NAS with the 70% fraction schedule, a cascade (the distilled MLP screens 4x pools, the best few go to valid_acc),
   the cascade with the MLP refitted on the valid_acc scores as they come, and two cascades whose host screen is a
   bootstrap ensemble of ridge regressions refitted likewise: one keeping the screen's best 5, one its best 4 and the
   one whose ensemble disagrees most (keep_uncertain: the ensemble's standard deviation told as the spread). For
   each: mean test-accuracy regret against the table's best test_acc and valid regret against the best valid_acc,
   of the best architecture by valid_acc among all the method sent to valid_acc (labels included), the expensive
   calls (labels included), and the calls each first needs to reach evolution's final test regret. Per dataset also
   what the target of issue 15 asks of this table: the architectures within its valid margin of the best and their
   test regrets (issue 28 withdrew that target; a random forest fitted to the rest of each table had ranked its
   valid-best architectures as far down as 22,202 of 26,206 on cora). The regret curves against expensive calls go
   to build/bench/nasbench_graph_regret.svg, the table beside it (nasbench_graph.txt).
2. The search's own speed: 30 iterations of 125 on hat-wmt14ende under a 200 ms TITAN Xp latency limit with a trivial
   estimator, against Optuna's NSGA-II sampler over the same 40 categorical genes for the same 3,750 trials
   (ask/tell, the same estimator and latency predictor), as a ratio; and the same search with a cascade of 4x pools
   screened by an MLP.

Usage: bench_search.py [--datasets cora,citeseer,pubmed,arxiv] [--seeds 10] [--skip-speed] [--out build/bench]
"""

import argparse
import os
import time

import numpy as np

import llmnas
from llmnas_support import regret_plot
from llmnas_support.nasbench_graph import NASBenchGraph

LABELS = 150
DISTILL = {"hidden": [400, 400, 400, 400], "steps": 1000, "learning_rate": 1e-4}
CASCADE_LABELS = 100
CASCADE_TRAIN = {"hidden": [64, 64], "steps": 500, "learning_rate": 1e-3}
CASCADE = {"iterations": 60, "cascade": {"screen": "distilled", "pool": 4, "keep_best": 5}, "refit_every": 1}
ENSEMBLE = {"models": 5, "ridge": 1.0}
METHODS = [
    "random",
    "evolution",
    "hs-nas 50%",
    "hs-nas 70%",
    "cascade",
    "cascade+refit",
    "ensemble",
    "ensemble+uncertain",
]


class Counted:
    """The expensive estimator of one run: valid_acc look-ups, every architecture asked recorded in order."""

    def __init__(self, bench):
        self.bench = bench
        self.asked = []

    def __call__(self, archs):
        self.asked.extend(archs)
        return [self.bench.row(a)[0] for a in archs]


def hsnas(space, seed, expensive, split):
    """HS-NAS: the MLP distilled from LABELS valid_acc labels scores iterations before `split`, valid_acc the rest."""
    pool = space.sample(LABELS, seed=1000 + seed)
    model = llmnas.MLP(DISTILL, seed=seed).fit(space.features(pool), expensive(pool))
    config = {
        "seed": seed,
        "estimators": [{"name": "distilled", "kind": "mlp"}, {"name": "valid_acc"}],
        "schedule": [
            {"estimator": "distilled", "fraction": [0, split]},
            {"estimator": "valid_acc", "fraction": [split, 1]},
        ],
    }
    llmnas.Search(space, config).bind_mlp("distilled", model).run({"valid_acc": expensive})


def cascade(space, seed, expensive, refit):
    """Every iteration a cascade: the MLP (distilled from CASCADE_LABELS labels; refitted before every iteration on
    the labels and the valid_acc scores so far when `refit`) screens 4x pools and the best go to valid_acc."""
    labels = space.sample(CASCADE_LABELS, seed=1000 + seed)
    scores = expensive(labels)
    model = llmnas.MLP(CASCADE_TRAIN, seed=seed).fit(space.features(labels), scores)
    distilled = {"name": "distilled", "kind": "mlp"}
    if refit:
        distilled["refit"] = {
            "on": "valid_acc",
            "every": CASCADE["refit_every"],
            "train": CASCADE_TRAIN,
            "labels": [{"architecture": a, "score": y} for a, y in zip(labels, scores)],
        }
    config = {
        "seed": seed,
        "iterations": CASCADE["iterations"],
        "estimators": [distilled, {"name": "valid_acc"}],
        "schedule": [{"estimator": "valid_acc", "fraction": [0, 1], "cascade": CASCADE["cascade"]}],
    }
    llmnas.Search(space, config).bind_mlp("distilled", model).run({"valid_acc": expensive})


class RidgeEnsemble:
    """A host screen with a spread: ENSEMBLE["models"] ridge regressions on the space's features, each fitted to a
    bootstrap resample of every (architecture, valid_acc) known so far (the labels, then each valid_acc batch as it
    is scored); a screening's scores are their mean, its spreads their standard deviation."""

    def __init__(self, space, seed, archs, scores):
        self.space, self.rng = space, np.random.default_rng(seed)
        self.x, self.y = [space.features(archs)], [np.asarray(scores, dtype=float)]

    def learn(self, archs, scores):
        self.x.append(self.space.features(archs))
        self.y.append(np.asarray(scores, dtype=float))

    def __call__(self, archs):
        x, y, features = np.vstack(self.x), np.concatenate(self.y), self.space.features(archs)
        predictions = []
        for _ in range(ENSEMBLE["models"]):
            rows = self.rng.integers(len(y), size=len(y))
            a, t = x[rows], y[rows]
            w = np.linalg.solve(a.T @ a + ENSEMBLE["ridge"] * np.eye(a.shape[1]), a.T @ (t - t.mean()))
            predictions.append(features @ w + t.mean())
        predictions = np.array(predictions)
        return llmnas.Scored(list(predictions.mean(axis=0)), list(predictions.std(axis=0)))


def ensemble_cascade(space, seed, expensive, uncertain):
    """Every iteration a cascade screened by a RidgeEnsemble (CASCADE_LABELS labels, then every valid_acc score):
    the best 5 of each 4x pool go to valid_acc, or with `uncertain` the best 4 and the one the ensemble is least
    sure of."""
    labels = space.sample(CASCADE_LABELS, seed=1000 + seed)
    screen = RidgeEnsemble(space, seed, labels, expensive(labels))

    def valid(archs):
        scores = expensive(archs)
        screen.learn(archs, scores)
        return scores

    keep = {"keep_best": 4, "keep_uncertain": 1} if uncertain else {"keep_best": 5}
    config = {
        "seed": seed,
        "iterations": CASCADE["iterations"],
        "estimators": [{"name": "ensemble"}, {"name": "valid_acc"}],
        "schedule": [
            {"estimator": "valid_acc", "fraction": [0, 1], "cascade": dict(screen="ensemble", pool=4, **keep)}
        ],
    }
    llmnas.Search(space, config).run({"ensemble": screen, "valid_acc": valid})


def run_seed(space, bench, seed):
    """Every method on one seed: {method: the architectures it sent to valid_acc, in order}."""
    asked = {}
    for method in METHODS:
        expensive = Counted(bench)
        if method == "random":
            continue
        if method == "evolution":
            llmnas.Search(space, {"seed": seed, "estimators": [{"name": "valid_acc"}]}).run({"valid_acc": expensive})
        elif method.startswith("hs-nas"):
            hsnas(space, seed, expensive, 0.5 if method == "hs-nas 50%" else 0.7)
        elif method.startswith("ensemble"):
            ensemble_cascade(space, seed, expensive, uncertain=method == "ensemble+uncertain")
        else:
            cascade(space, seed, expensive, refit=method == "cascade+refit")
        asked[method] = expensive.asked
    expensive = Counted(bench)
    expensive(space.sample(len(asked["evolution"]), seed=2000 + seed))
    asked["random"] = expensive.asked
    return asked


def curves(bench, asked):
    """Test and valid regret (points) of the incumbent, the best by valid_acc so far, after each call."""
    best_valid = max(row[0] for row in bench._rows.values())
    rows = [bench.row(a) for a in asked]
    incumbent = np.maximum.accumulate([r[0] for r in rows])
    position = [0] * len(rows)
    for i in range(1, len(rows)):
        position[i] = i if rows[i][0] > rows[position[i - 1]][0] else position[i - 1]
    test = np.array([100 * (bench.best_test - rows[p][1]) for p in position])
    return test, 100 * (best_valid - incumbent)


def screen_quality(space, bench, seed=0):
    """How well the cascade's MLP can rank where the search ends up: trained (CASCADE_TRAIN) on 100 random
    architectures and 200 of the top decile by valid_acc, its Kendall tau against valid_acc over every architecture
    and within the top decile."""
    archs = [a for a in (bench.arch_of(h) for h in bench.hashes())]
    valid = np.array([bench.row(a)[0] for a in archs])
    top = np.flatnonzero(valid >= np.quantile(valid, 0.9))
    rng = np.random.default_rng(seed)
    train = np.concatenate([rng.choice(len(archs), 100, replace=False), rng.choice(top, 200, replace=False)])
    features = space.features(archs)
    model = llmnas.MLP(CASCADE_TRAIN, seed=seed).fit(features[train], valid[train])
    predicted = model.predict(features)
    return llmnas.kendall_tau(predicted, valid), llmnas.kendall_tau(predicted[top], valid[top])


def standard_error(values):
    """The standard error of the mean of `values` (0 for one value)."""
    return values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0


def what_the_target_asks(bench, allowed_valid, calls):
    """One line on what the target's valid clause means in this table: how many architectures are within
    `allowed_valid` points of the best valid_acc (a method meeting the clause must end at one of them in most
    seeds), their test regrets, and how far valid and test accuracy agree among the best 0.1% by valid_acc."""
    hashes = bench.hashes()
    rows = np.array([bench._rows[h][:2] for h in hashes]) * 100
    valid_regret, test_regret = rows[:, 0].max() - rows[:, 0], rows[:, 1].max() - rows[:, 1]
    close = np.flatnonzero(valid_regret <= allowed_valid + 1e-9)
    close = close[np.argsort(valid_regret[close], kind="stable")]
    top = np.argsort(valid_regret, kind="stable")[: max(2, len(rows) // 1000)]
    found = "; ".join(f"{valid_regret[i]:.3f}, {test_regret[i]:.3f}" for i in close)
    return (
        f"{bench.dataset:9s} the target asks a mean valid regret <= {allowed_valid:.3f} within {0.3 * calls:.0f} "
        f"calls: {len(close)} of the {len(rows)} architectures {'is' if len(close) == 1 else 'are'} that close to "
        f"the best (valid regret, test regret: {found}); among the "
        f"{len(top)} best by valid_acc, valid and test accuracy rank alike at Kendall tau "
        f"{llmnas.kendall_tau(-valid_regret[top], -test_regret[top]):+.2f}"
    )


def graph_table(datasets, seeds, out_dir):
    space = llmnas.Space.builtin("nas-bench-graph")
    lines = [
        f"NAS-Bench-Graph, {seeds} seeds per dataset: mean regret in accuracy points (± standard error over seeds) of "
        "the best architecture by valid_acc among those sent to valid_acc (test: against the best test_acc; valid: "
        "against the best valid_acc), expensive calls (valid_acc look-ups, labels included), and the calls to first "
        "reach evolution's final mean test regret (mean over the seeds that reach it, and how many do)",
        f"{'dataset':9s} {'method':18s} {'test regret':>14s} {'valid regret':>14s} {'calls':>6s} {'/evol':>6s} "
        f"{'calls to evol test':>19s}",
    ]
    print("\n".join(lines), flush=True)
    panels, targets = [], {m: 0 for m in METHODS}
    for dataset in datasets:
        bench = NASBenchGraph(dataset)
        runs = [run_seed(space, bench, seed) for seed in range(seeds)]
        measured = {m: [curves(bench, r[m]) for r in runs] for m in METHODS}
        evo_test = np.array([t[-1] for t, _ in measured["evolution"]])
        evo_valid = np.array([v[-1] for _, v in measured["evolution"]])
        evo_calls = np.mean([len(t) for t, _ in measured["evolution"]])
        allowed_valid = evo_valid.mean() + max(standard_error(evo_valid), 0.05)
        test_curves, valid_curves = {}, {}
        for method in METHODS:
            test = np.array([t[-1] for t, _ in measured[method]])
            valid = np.array([v[-1] for _, v in measured[method]])
            calls = np.array([len(t) for t, _ in measured[method]])
            reach = [
                int(np.argmax(t <= evo_test.mean() + 1e-9)) + 1
                for t, _ in measured[method]
                if (t <= evo_test.mean() + 1e-9).any()
            ]
            meets = (
                test.mean() <= evo_test.mean() + 1e-9
                and valid.mean() <= allowed_valid
                and calls.mean() <= 0.3 * evo_calls
            )
            targets[method] += meets
            reached = f"{np.mean(reach):.0f} ({len(reach)}/{seeds})" if reach else f"never (0/{seeds})"
            line = (
                f"{dataset:9s} {method:18s} {test.mean():7.3f}±{standard_error(test):<6.3f} "
                f"{valid.mean():7.3f}±{standard_error(valid):<6.3f} {calls.mean():6.0f} "
                f"{calls.mean() / evo_calls:6.2f} "
                f"{reached:>19s}{'  meets the target' if meets else ''}"
            )
            lines.append(line)
            print(line, flush=True)
            grid = np.arange(0, int(evo_calls) + 1, 10)
            for target, index in ((test_curves, 0), (valid_curves, 1)):
                series = [c[index] for c in measured[method]]
                mean = [np.mean([s[min(int(x), len(s)) - 1] for s in series]) for x in grid if x >= 1]
                target[method] = list(zip([float(x) for x in grid if x >= 1], [float(m) for m in mean]))
        panels += [(f"{dataset}: test regret", test_curves), (f"{dataset}: valid regret", valid_curves)]
        budget = int(np.mean([len(t) for t, _ in measured["cascade+refit"]]))
        at_budget = [(t[min(budget, len(t)) - 1], v[min(budget, len(v)) - 1]) for t, v in measured["evolution"]]
        line = (
            f"{dataset:9s} evolution after {budget} calls (the cascades' budget): test regret "
            f"{np.mean([a for a, _ in at_budget]):.3f}, valid regret {np.mean([b for _, b in at_budget]):.3f}"
        )
        lines.append(line)
        print(line, flush=True)
        overall, within = screen_quality(space, bench)
        line = (
            f"{dataset:9s} the cascade's MLP on 100 random + 200 top-decile architectures: Kendall tau "
            f"{overall:.2f} over "
            f"all {len(bench.hashes())}, {within:.2f} within the top decile"
        )
        lines.append(line)
        print(line, flush=True)
        line = what_the_target_asks(bench, allowed_valid, evo_calls)
        lines.append(line)
        print(line, flush=True)
    lines.append(
        f"Random search gets evolution's budget per seed; HS-NAS: {LABELS} labels, MLP {DISTILL}; cascades: "
        f"{CASCADE_LABELS} labels, MLP {CASCADE_TRAIN}, {CASCADE}; ensembles: {ENSEMBLE}, the same labels and "
        "iterations. Target (issue 15): test regret no worse than "
        "evolution's, valid regret within max(evolution's standard error, 0.05), at most 30% of its calls."
    )
    lines.append("Datasets meeting the target: " + ", ".join(f"{m} {targets[m]}/{len(datasets)}" for m in METHODS))
    print("\n".join(lines[-2:]))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "nasbench_graph.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    svg = os.path.join(out_dir, "nasbench_graph_regret.svg")
    regret_plot.write(
        svg,
        panels,
        METHODS,
        columns=2,
        caption=f"Mean regret (points) of the incumbent against expensive calls, {seeds} seeds per dataset",
    )
    print(f"table and plot: {out_dir}/nasbench_graph.txt, {svg}")


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default="cora,citeseer,pubmed,arxiv")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "bench")
    )
    args = parser.parse_args()
    graph_table(args.datasets.split(","), args.seeds, args.out)
    if not args.skip_speed:
        speed()


if __name__ == "__main__":
    main()
