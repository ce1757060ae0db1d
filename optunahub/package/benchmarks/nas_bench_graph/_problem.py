"""NAS-Bench-Graph (Qin et al., NeurIPS 2022 Datasets and Benchmarks track) as an OptunaHub benchmark problem: the
link pattern and the four operations of a graph neural network as categorical parameters, its trained validation
accuracy (in percent) as the value to maximize, read from the benchmark's table of one data set."""

from __future__ import annotations

import csv
import os
from typing import Any, Dict, List, Optional, Tuple

import optuna
from optunahub.benchmarks import BaseProblem

#: The link patterns: entry i names the input of node i+1 (0 the graph's features, k the output of node k).
LINKS = ["0-0-0-0", "0-0-0-1", "0-0-1-1", "0-0-1-2", "0-0-1-3", "0-1-1-1", "0-1-1-2", "0-1-2-2", "0-1-2-3"]
#: The operations of a node.
OPS = ["gat", "gcn", "gin", "cheb", "sage", "arma", "graph", "fc", "skip"]


class Problem(BaseProblem):
    """One data set's table ("cora", "citeseer", "pubmed", "arxiv", or any complete NAS-Bench-Graph table named
    `<dataset>.csv` in `data_dir`, beside the benchmark's `arch_index.csv`). The parameters are `link` and `op0` to
    `op3`; an encoding of four skips has no network and is pruned. `evaluate` returns the validation accuracy in
    percent; `test_accuracy` the test accuracy a search is judged by; `best_valid` the table's best validation
    accuracy, so that regret is `best_valid - study.best_value`."""

    def __init__(self, dataset: str = "cora", data_dir: Optional[str] = None) -> None:
        data_dir = data_dir or os.environ.get("NAS_BENCH_GRAPH_DATA", os.path.join(os.path.dirname(__file__), "data"))
        with open(os.path.join(data_dir, "arch_index.csv"), newline="") as f:
            self._hash = {(row["link"], row["ops"]): int(row["arch_hash"]) for row in csv.DictReader(f)}
        self._rows: Dict[int, Tuple[float, float]] = {}
        with open(os.path.join(data_dir, f"{dataset}.csv"), newline="") as f:
            for row in csv.DictReader(f):
                self._rows[int(row["arch_hash"])] = (100 * float(row["valid_acc"]), 100 * float(row["test_acc"]))
        self.dataset = dataset
        self.best_valid = max(valid for valid, _ in self._rows.values())
        self.best_test = max(test for _, test in self._rows.values())

    @property
    def search_space(self) -> Dict[str, optuna.distributions.BaseDistribution]:
        space: Dict[str, optuna.distributions.BaseDistribution] = {
            "link": optuna.distributions.CategoricalDistribution(LINKS)
        }
        for node in range(4):
            space[f"op{node}"] = optuna.distributions.CategoricalDistribution(OPS)
        return space

    @property
    def directions(self) -> List[optuna.study.StudyDirection]:
        return [optuna.study.StudyDirection.MAXIMIZE]

    def _row(self, params: Dict[str, Any]) -> Tuple[float, float]:
        ops: List[str] = [params[f"op{node}"] for node in range(4)]
        if set(ops) == {"skip"}:
            raise optuna.TrialPruned("four skips make no network")
        return self._rows[self._hash[(params["link"], "|".join(ops))]]

    def evaluate(self, params: Dict[str, Any]) -> float:
        return self._row(params)[0]

    def test_accuracy(self, params: Dict[str, Any]) -> float:
        """The test accuracy (percent) of the architecture `params` encodes."""
        return self._row(params)[1]
