"""Random search and TPE on NAS-Bench-Graph's cora table; set NAS_BENCH_GRAPH_DATA to the folder of the tables."""

import optuna
import optunahub

nas_bench_graph = optunahub.load_module("benchmarks/nas_bench_graph")
problem = nas_bench_graph.Problem(dataset="cora")
for sampler in (optuna.samplers.RandomSampler(seed=0), optuna.samplers.TPESampler(seed=0)):
    study = optuna.create_study(directions=problem.directions, sampler=sampler)
    study.optimize(problem, n_trials=100)
    print(f"{type(sampler).__name__}: valid regret {problem.best_valid - study.best_value:.2f} points")
