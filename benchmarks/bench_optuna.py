"""LLMNASSampler against Optuna's own samplers, each from one run (issue 29's measurement).

NAS-Bench-Graph as an Optuna objective (the OptunaHub benchmark package in optunahub/package/benchmarks: its link
pattern and four operations as categorical parameters, valid_acc in percent as the value to maximize; an encoding
of four skips is pruned and counts as a trial). Samplers: llmnas.optuna.LLMNASSampler, TPESampler (its default,
which Optuna 5 makes multivariate for one objective, and multivariate=False), GPSampler when PyTorch is installed
(it needs it; `make bench` does not install it), and RandomSampler, each with --seeds seeds (default 200: at 50 the
95% intervals are about 0.1 point wide on either side, too wide to tell apart samplers 0.15 point apart; the studies
run in --jobs processes, one per core by default, and each is seeded, so the figures do not depend on it). For each
data set and sampler: mean valid regret (the table's best valid accuracy minus the study's best value, points) with
a 95% t-interval at 50, 100 and 200 trials. Then each sampler's own time per trial (its methods, timed by a wrapper; the
objective and Optuna's storage excluded) averaged over trials 81-100 and 481-500 of a 500-trial study on cora, the
mean over OVERHEAD_SEEDS studies, and its ratio to TPESampler's.

Usage: bench_optuna.py [--datasets cora,citeseer,pubmed,arxiv] [--seeds 200] [--jobs CORES] [--json PATH]
                       [--data DIR] [--skip-overhead]
"""

import argparse
import json
import multiprocessing
import os
import sys
import time

import numpy as np
import optuna
import optunahub

import llmnas.optuna
from bench_search import interval
from llmnas_support.nasbench_graph import DATA

HERE = os.path.dirname(os.path.abspath(__file__))
REGISTRY = os.path.join(HERE, "..", "optunahub", "package")
CHECKPOINTS = [50, 100, 200]
OVERHEAD_AT = [100, 500]
WINDOW = 20  # trials averaged around each overhead point
OVERHEAD_SEEDS = 5  # studies per sampler the overhead is averaged over


def samplers(say=print):
    """{name: a function of the seed making the sampler}; GPSampler only where PyTorch imports (`say` tells when
    not)."""
    made = {
        "LLMNASSampler": lambda seed: llmnas.optuna.LLMNASSampler(seed=seed),
        "TPESampler": lambda seed: optuna.samplers.TPESampler(seed=seed),
        "TPESampler(independent)": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=False),
    }
    try:
        import torch  # noqa: F401

        made["GPSampler"] = lambda seed: optuna.samplers.GPSampler(seed=seed)
    except ImportError:
        say("GPSampler left out: it needs PyTorch (pip install torch)")
    made["RandomSampler"] = lambda seed: optuna.samplers.RandomSampler(seed=seed)
    return made


class Timed(optuna.samplers.BaseSampler):
    """A sampler whose every method is timed: `spent[n]` is what trial n cost the sampler, in seconds."""

    def __init__(self, inner):
        self.inner = inner
        self.spent = {}

    def _time(self, trial, call, *args):
        start = time.perf_counter()
        try:
            return call(*args)
        finally:
            self.spent[trial.number] = self.spent.get(trial.number, 0.0) + time.perf_counter() - start

    def infer_relative_search_space(self, study, trial):
        return self._time(trial, self.inner.infer_relative_search_space, study, trial)

    def sample_relative(self, study, trial, search_space):
        return self._time(trial, self.inner.sample_relative, study, trial, search_space)

    def sample_independent(self, study, trial, name, distribution):
        return self._time(trial, self.inner.sample_independent, study, trial, name, distribution)

    def before_trial(self, study, trial):
        return self._time(trial, self.inner.before_trial, study, trial)

    def after_trial(self, study, trial, state, values):
        return self._time(trial, self.inner.after_trial, study, trial, state, values)


def best_so_far(study, trials):
    """The best value among the first `trials` trials, for each count of CHECKPOINTS."""
    values = [t.value if t.state == optuna.trial.TrialState.COMPLETE else -np.inf for t in study.trials]
    running = np.maximum.accumulate(values)
    return {n: float(running[n - 1]) for n in CHECKPOINTS if n <= trials}


def load_problems():
    """The OptunaHub benchmark package of NAS-Bench-Graph."""
    return optunahub.load_local_module("benchmarks/nas_bench_graph", registry_root=REGISTRY)


_problems = {}  # a worker's problems, by (dataset, data folder)
_samplers = {}  # a worker's samplers by name (`samplers`)


def start_worker():
    """Readies a worker process: Optuna quiet, the samplers made once."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    _samplers.update(samplers(say=lambda _: None))


def study_regrets(job):
    """{trials: valid regret} at each of CHECKPOINTS for one seeded study: job is (dataset, data folder, sampler
    name, seed)."""
    dataset, data_dir, name, seed = job
    if (dataset, data_dir) not in _problems:
        _problems[(dataset, data_dir)] = load_problems().Problem(dataset=dataset, data_dir=data_dir)
    problem = _problems[(dataset, data_dir)]
    study = optuna.create_study(directions=problem.directions, sampler=_samplers[name](seed))
    study.optimize(problem, n_trials=CHECKPOINTS[-1])
    return {n: problem.best_valid - best for n, best in best_so_far(study, CHECKPOINTS[-1]).items()}


def regret_table(datasets, seeds, data_dir, names, jobs):
    """{dataset: {sampler: {"seeds", "valid_regret_at": {"50": [mean, lo, hi], ...}}}}, the seeds of each run in
    `jobs` processes."""
    figures = {}
    # Spawned, not forked: a fork of a process whose BLAS threads have started may hang.
    with multiprocessing.get_context("spawn").Pool(jobs, initializer=start_worker) as workers:
        for dataset in datasets:
            figures[dataset] = {}
            for name in names:
                started = time.time()
                studies = workers.map(study_regrets, [(dataset, data_dir, name, seed) for seed in range(seeds)])
                regrets = {n: [study[n] for study in studies] for n in CHECKPOINTS}
                shown = {n: interval(regrets[n]) for n in CHECKPOINTS}
                figures[dataset][name] = {"seeds": seeds, "valid_regret_at": {str(n): shown[n] for n in CHECKPOINTS}}
                row = "  ".join(f"@{n} {m:.2f} [{lo:.2f}, {hi:.2f}]" for n, (m, lo, hi) in shown.items())
                print(f"{dataset:9} {name:26} {row}   ({time.time() - started:.0f} s)", flush=True)
    return figures


def overhead(problem_module, data_dir, made):
    """{sampler: {"100": ms, "500": ms}}: the sampler's own time per trial around those trial counts, the mean over
    OVERHEAD_SEEDS studies, the samplers taking turns so that a slower spell of the machine falls on all of them."""
    problem = problem_module.Problem(dataset="cora", data_dir=data_dir)
    spent = {name: {n: [] for n in OVERHEAD_AT} for name in made}
    for seed in range(OVERHEAD_SEEDS):
        for name, make in made.items():
            timed = Timed(make(seed))
            study = optuna.create_study(directions=problem.directions, sampler=timed)
            study.optimize(problem, n_trials=OVERHEAD_AT[-1])
            for n in OVERHEAD_AT:
                spent[name][n].append(1000 * float(np.mean([timed.spent[k] for k in range(n - WINDOW, n)])))
    figures = {name: {str(n): float(np.mean(times[n])) for n in OVERHEAD_AT} for name, times in spent.items()}
    for name, ms in figures.items():
        print(f"{name:26} " + "  ".join(f"{ms[str(n)]:.2f} ms/trial at {n}" for n in OVERHEAD_AT), flush=True)
    tpe = figures["TPESampler"]
    print(
        "LLMNASSampler / TPESampler: "
        + "  ".join(f"{figures['LLMNASSampler'][str(n)] / tpe[str(n)]:.2f} at {n}" for n in OVERHEAD_AT)
    )
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="cora,citeseer,pubmed,arxiv")
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--json")
    parser.add_argument("--skip-overhead", action="store_true")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    problem_module = load_problems()
    made = samplers()
    print(f"NAS-Bench-Graph as an Optuna objective, {args.seeds} seeds: mean valid regret (points) [95% interval]")
    result = {"datasets": regret_table(args.datasets.split(","), args.seeds, args.data, list(made), args.jobs)}
    if not args.skip_overhead:
        print("The sampler's own time per trial (objective and storage excluded), 500-trial studies on cora")
        result["overhead_ms_per_trial"] = overhead(problem_module, args.data, made)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
