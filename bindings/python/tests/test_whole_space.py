"""Whole-space screens from Python: LLM-PP labels distilled into the Gaussian process's prior (against the scripted
server), and the NAS-Bench-Graph search benchmark's JSON figures, the LLM's worth among them, on tables it was never
tuned on."""

import json
import os
import shutil
import subprocess
import sys

import llmnas
from llmnas_support import ROOT

GRAPH = llmnas.Space.builtin("nas-bench-graph")


def whole_space(prior):
    gp = {"name": "gp", "kind": "gp", "on": "valid"}
    estimators = [{"name": "valid"}, gp]
    if prior:
        gp["prior"] = "prior"
        estimators.append({"name": "prior", "kind": "mlp"})
    return {
        "seed": 4,
        "population": 5,
        "parents": 1,
        "mutations": 0,
        "crossovers": 0,
        "iterations": 3,
        "estimators": estimators,
        "schedule": [
            {"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": "space", "keep_best": 5}}
        ],
    }


def test_llmpp_labels_distilled_into_the_prior_choose_the_first_batch(server):
    # The scripted LLM rates the chain (link 0-1-2-3) high and everything else low.
    server.script(
        [
            {"match": "to judge:\\nlink: 0-1-2-3", "answer": "0.9000"},
            {"answer": "0.5000"},
        ]
    )
    llm = llmnas.LLM(base_url=server.base_url, model="scripted", backoff_seconds=0.01)
    demos = [({"link": "0-0-0-0", "ops": ["gcn", "gcn", "gcn", "gcn"]}, 0.61)]
    pool = GRAPH.sample(120, seed=7)
    model, report = llm.distill(
        GRAPH, demos, pool, labels=90, seed=1, mlp_config={"hidden": [32], "steps": 400, "learning_rate": 0.003}
    )
    assert report["labels"] == 90 and len(server.log()) == 90, "every label is an LLM-PP request to the server"
    search = llmnas.Search(GRAPH, whole_space(prior=True)).bind_mlp("prior", model)
    first, estimator = search.ask()
    assert estimator == "valid" and len(first) == 5
    assert all(a["link"] == "0-1-2-3" for a in first), "with no score yet, the LLM's favourites go first"
    search.tell([0.5] * 5)
    assert len(server.log()) == 90, "the search itself sends the LLM nothing"
    without, _ = llmnas.Search(GRAPH, whole_space(prior=False)).ask()
    assert sum(a["link"] == "0-1-2-3" for a in without) < 5, "without the prior the first batch is drawn at random"


def test_the_benchmark_writes_the_figures_in_the_issue_layout_for_any_table(tmp_path, server):
    server.script([{"match": "to judge:\\nlink: 0-1-2-3", "answer": "0.9000"}, {"answer": "0.5000"}])
    data = tmp_path / "tables"
    data.mkdir()
    source = os.path.join(ROOT, "data", "nas-bench-graph")
    shutil.copy(os.path.join(source, "arch_index.csv"), data)
    shutil.copy(os.path.join(source, "citeseer.csv"), data / "mine.csv")
    shutil.copy(os.path.join(source, "cora.csv"), data / "related.csv")
    out = tmp_path / "figures.json"
    subprocess.run(
        [
            sys.executable,
            os.path.join(ROOT, "benchmarks", "bench_search.py"),
            "--datasets",
            "mine",
            "--seeds",
            "2",
            "--llm-seeds",
            "2",
            "--skip-speed",
            "--data",
            str(data),
            "--out",
            str(tmp_path),
            "--json",
            str(out),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")},
            "LLMNAS_MODEL": "scripted",
            "OPENAI_BASE_URL": server.base_url,
        },
    )
    figures = json.loads(out.read_text())
    assert figures["blas"] == {"OPENBLAS_NUM_THREADS": "2", "OPENBLAS_CORETYPE": "Haswell" if _avx2() else None}, (
        "unset, OpenBLAS's threads and kernels are pinned so that the MLP methods' figures reproduce"
    )
    mine = figures["datasets"]["mine"]
    assert 1.0 < mine["anchor_valid_regret"] < 1.2, "citeseer's table under another name: 1.09 points"
    methods = mine["methods"]
    assert {"random", "regularized evolution", "local search", "BANANAS-lite", "whole-space GP"} <= set(methods)
    assert methods["whole-space GP + transfer"]["transfer"] is True, "transfer draws on the other table present"
    assert methods["whole-space GP + LLM-PP"]["llm"] == "scripted", "the LLM method names its model"
    for name, method in methods.items():
        assert (method["llm"] is None) == (name != "whole-space GP + LLM-PP")
        assert (method["transfer"] is True) == (name == "whole-space GP + transfer")
        assert set(method["valid_regret_at"]) == {"25", "50", "100", "200", "500"}
        for mean, lo, hi in method["valid_regret_at"].values():
            assert lo <= mean <= hi and mean >= 0
        assert method["calls_to_anchor_median"] is None or isinstance(method["calls_to_anchor_median"], int)
        assert len(method["test_regret_at_500"]) == 3
        assert method["seeds"] == (None if name == "random" else 2)
    assert methods["random"]["calls_to_anchor_median"] > 400, "random search needs about 500 calls by definition"
    worth = mine["llm_worth"]
    assert worth["seeds"] == 2 and worth["llm"] == "scripted"
    for calls, (mean, lo, hi) in worth["valid_regret_difference_at"].items():
        # Both methods ran seeds 0 and 1, so the paired mean difference is the difference of the means.
        with_llm, without = (
            methods[m]["valid_regret_at"][calls][0] for m in ("whole-space GP + LLM-PP", "whole-space GP")
        )
        assert abs(mean - (with_llm - without)) < 1e-9 and lo <= mean <= hi
    assert (tmp_path / "nasbench_graph_regret.svg").read_text().count("<polygon") > 0, "intervals shaded"


def test_bench_refuses_more_llm_seeds_than_seeds():
    bench = os.path.join(ROOT, "benchmarks", "bench_search.py")
    done = subprocess.run(
        [sys.executable, bench, "--seeds", "2", "--llm-seeds", "3"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and "each LLM seed is paired with the same seed without the LLM" in done.stderr


def test_the_benchmark_keeps_the_openblas_settings_the_environment_gives(monkeypatch):
    monkeypatch.syspath_prepend(os.path.join(ROOT, "benchmarks"))
    import bench_search

    restarts = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: restarts.append(env))
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Sandybridge")
    bench_search.pin_blas()
    assert restarts == [], "both set: the bench runs as it was started"
    monkeypatch.delenv("OPENBLAS_CORETYPE")
    bench_search.pin_blas()
    if _avx2():
        assert len(restarts) == 1 and restarts[0]["OPENBLAS_CORETYPE"] == "Haswell"
        assert restarts[0]["OPENBLAS_NUM_THREADS"] == "1", "the thread count the user set is kept"
    else:
        assert restarts == [], "without AVX2 the kernels are OpenBLAS's choice"


def _avx2():
    """Whether this machine's CPU has AVX2, on which the bench pins OpenBLAS's Haswell kernels."""
    with open("/proc/cpuinfo", encoding="utf-8") as cpu:
        return " avx2" in cpu.read()
