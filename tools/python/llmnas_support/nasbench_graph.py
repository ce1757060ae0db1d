"""NAS-Bench-Graph (Qin et al., NeurIPS 2022 Datasets and Benchmarks) as a tabular estimator for llmnas searches.

Every point of llmnas's `nas-bench-graph` space (a link pattern and four operations) maps through arch_index.csv to
the row of a dataset's table that holds its trained result. `valid_acc` is what a search may see (the expensive
estimator, whose calls are counted); `test_acc` is what the search is judged by.
"""

import csv
import os

from . import ROOT

DATA = os.path.join(ROOT, "data", "nas-bench-graph")


class NASBenchGraph:
    """The table of one dataset ("cora", "citeseer", "pubmed", "arxiv")."""

    def __init__(self, dataset="cora", data_dir=DATA):
        with open(os.path.join(data_dir, "arch_index.csv"), newline="") as f:
            self._hash = {(row["link"], row["ops"]): int(row["arch_hash"]) for row in csv.DictReader(f)}
        self._arch = {}
        for (link, ops), arch_hash in self._hash.items():
            if set(ops.split("|")) != {"skip"}:
                self._arch.setdefault(arch_hash, {"link": link, "ops": ops.split("|")})
        self._rows = {}
        with open(os.path.join(data_dir, f"{dataset}.csv"), newline="") as f:
            for row in csv.DictReader(f):
                self._rows[int(row["arch_hash"])] = (
                    float(row["valid_acc"]),
                    float(row["test_acc"]),
                    float(row["latency"]),
                    float(row["params"]),
                )
        self.dataset = dataset
        self.calls = 0
        self.best_test = max(r[1] for r in self._rows.values())

    def hashes(self):
        """The distinct architectures of the table (isomorphic encodings share one)."""
        return sorted(h for h in self._arch if h in self._rows)

    def arch_of(self, arch_hash):
        """One encoding of the architecture `arch_hash`, as {"link": ..., "ops": [...]}."""
        return self._arch[arch_hash]

    def row(self, arch):
        """(valid_acc, test_acc, latency, params) of an architecture given as {"link": ..., "ops": [...]}."""
        return self._rows[self._hash[(arch["link"], "|".join(arch["ops"]))]]

    def valid(self, archs):
        """The expensive estimator: validation accuracy of each architecture, one counted call each."""
        self.calls += len(archs)
        return [self.row(a)[0] for a in archs]

    def test(self, arch):
        """The judge: test accuracy (not counted)."""
        return self.row(arch)[1]

    def regret(self, arch):
        """Test-accuracy regret against the table's best, in percentage points."""
        return 100 * (self.best_test - self.test(arch))
