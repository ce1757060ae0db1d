"""LLMNASSampler against TPE on NAS-Bench-Graph's cora table (the benchmark package beside this one)."""

import optuna
import optunahub

problem = optunahub.load_module("benchmarks/nas_bench_graph").Problem(dataset="cora")
LLMNASSampler = optunahub.load_module("samplers/llmnas").LLMNASSampler
for sampler in (LLMNASSampler(seed=0), optuna.samplers.TPESampler(seed=0)):
    study = optuna.create_study(directions=problem.directions, sampler=sampler)
    study.optimize(problem, n_trials=100)
    print(f"{type(sampler).__name__}: valid regret {problem.best_valid - study.best_value:.2f} points")
