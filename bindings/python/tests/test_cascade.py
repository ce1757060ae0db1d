"""Cascades, refits and LLM proposals from Python: the config keys reach the library, the history reports them, and
proposals come back accepted or rejected with reasons, ready to be a search's first population."""

import json

import llmnas
from llmnas._library import Status

GRAPH = llmnas.Space.builtin("nas-bench-graph")
SIZES = {"iterations": 4, "population": 16, "parents": 4, "mutations": 6, "crossovers": 6, "seed": 2}


def score(arch):
    """A deterministic score: the operations' positions in the choices, weighted by node."""
    ops = ["gat", "gcn", "gin", "cheb", "sage", "arma", "graph", "fc", "skip"]
    return sum((i + 1) * ops.index(op) for i, op in enumerate(arch["ops"])) + int(arch["link"][-1])


def test_a_host_screen_is_asked_before_the_expensive_estimator():
    config = dict(
        SIZES,
        estimators=[{"name": "proxy"}, {"name": "supernet"}],
        schedule=[
            {"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "proxy", "pool": 3, "keep_best": 4}}
        ],
    )
    search = llmnas.Search(GRAPH, config)
    asked = []
    for candidates, estimator in search:
        asked.append((estimator, len(candidates)))
        search.tell([float(score(a)) for a in candidates])
    assert [name for name, _ in asked] == ["proxy", "supernet"] * 4
    assert asked[0][1] == 48 and asked[1][1] == 4
    records = search.history["history"]
    assert all(r["cascade"]["screen"] == "proxy" and r["cascade"]["kept"] <= 4 for r in records)


def test_a_screen_told_spreads_sends_its_least_certain_on_as_well():
    config = dict(
        SIZES,
        estimators=[{"name": "proxy"}, {"name": "supernet"}],
        schedule=[
            {
                "estimator": "supernet",
                "fraction": [0, 1],
                "cascade": {"screen": "proxy", "pool": 3, "keep_best": 4, "keep_uncertain": 2},
            }
        ],
    )
    search = llmnas.Search(GRAPH, config)
    candidates, estimator = search.ask()
    assert estimator == "proxy" and len(candidates) == 48
    scores = [float(score(a)) for a in candidates]
    spreads = [0.1 * (i % 7) for i in range(len(candidates))]
    for bad, message in ((spreads[:3], "3 spreads for 48 scores"), ([-1.0] * 48, "spread 0 is -1")):
        try:
            search.tell(scores, spreads=bad)
        except llmnas.InvalidArgumentError as error:
            assert message in str(error)
        else:
            raise AssertionError(f"spreads {bad[:3]} were accepted")
    search.tell(scores, spreads=spreads)
    sent, estimator = search.ask()
    assert estimator == "supernet" and len(sent) == 6
    order = sorted(range(48), key=lambda i: (-scores[i], i))
    distinct = list(dict.fromkeys(json.dumps(candidates[i], sort_keys=True) for i in order))
    best = set(distinct[:4])
    assert best <= {json.dumps(a, sort_keys=True) for a in sent}
    for arch in sent:
        key = json.dumps(arch, sort_keys=True)
        if key not in best:
            widest = max(spreads[i] for i in order if json.dumps(candidates[i], sort_keys=True) not in best)
            assert spreads[[json.dumps(c, sort_keys=True) for c in candidates].index(key)] == widest
    search.tell([float(score(a)) for a in sent])
    record = search.history["history"][0]["cascade"]
    assert record["kept"] == 6 and record["uncertain"] == 2
    trials = search.trials
    assert sorted(t["spread"] for t in trials if t["estimator"] == "proxy") == sorted(spreads)
    assert all(t["spread"] is None for t in trials if t["estimator"] == "supernet")
    # run: a callable may return Scored(scores, spreads).
    rerun = llmnas.Search(GRAPH, config)
    rerun.run(
        {
            "proxy": lambda c: llmnas.Scored([float(score(a)) for a in c], [0.1 * (i % 7) for i in range(len(c))]),
            "supernet": lambda c: [float(score(a)) for a in c],
        }
    )
    assert rerun.history["history"][0] == search.history["history"][0]
    assert all(r["cascade"]["uncertain"] == 2 for r in rerun.history["history"])


def test_refits_are_deterministic_and_recorded():
    labels = [{"architecture": a, "score": float(score(a))} for a in GRAPH.sample(20, seed=5)]

    def run():
        config = dict(
            SIZES,
            estimators=[
                {
                    "name": "distilled",
                    "kind": "mlp",
                    "refit": {
                        "on": "supernet",
                        "every": 2,
                        "labels": labels,
                        "train": {"hidden": [8], "steps": 30, "learning_rate": 0.01},
                    },
                },
                {"name": "supernet"},
            ],
            schedule=[
                {"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "distilled", "keep_best": 5}}
            ],
        )
        search = llmnas.Search(GRAPH, config)
        search.run({"supernet": lambda candidates: [float(score(a)) for a in candidates]})
        return search.history

    first, second = run(), run()
    assert first == second
    assert [r["iteration"] for r in first["refits"]] == [0, 2]
    assert first["refits"][0]["scores"] == 0 and first["refits"][1]["scores"] > 0


def test_proposals_are_accepted_or_rejected_with_reasons_and_warm_start_a_search(server):
    good = {"link": "0-0-1-2", "ops": ["gcn", "sage", "gat", "fc"]}
    other = {"link": "0-1-2-3", "ops": ["gin", "gin", "arma", "skip"]}
    demo = {"link": "0-0-0-1", "ops": ["gcn", "gcn", "gcn", "gcn"]}
    answer = "\n".join(
        [
            json.dumps(good),
            json.dumps({"link": "9-9-9-9", "ops": ["gcn"] * 4}),
            json.dumps(demo),
            json.dumps(good),
            "{\"link\": oops}",
            json.dumps({"link": "0-0-0-0", "ops": ["skip"] * 4}),
            json.dumps(other),
        ]
    )
    server.script([{"match": "Propose", "answer": answer}])
    llm = llmnas.LLM(base_url=server.base_url, model="scripted", backoff_seconds=0.01)
    result = llm.propose(GRAPH, [(demo, 0.8)], count=2, rounds=1)
    assert result["architectures"] == [good, other]
    reasons = [r["reason"] for r in result["rejected"]]
    assert reasons[0].startswith("not an architecture of 'nas-bench-graph'") and "link" in reasons[0]
    assert reasons[1] == "it repeats demonstration 1"
    assert reasons[2] == "it repeats proposal 1"
    assert reasons[3].startswith("malformed JSON")
    assert 'may not all be "skip"' in reasons[4]
    assert len(reasons) == 5
    search = llmnas.Search(GRAPH, dict(SIZES, initial=result["architectures"]))
    candidates, _ = search.ask()
    # The search hands out each network's first encoding: other's chain gin, gin, arma is first written with a skip.
    assert candidates[:2] == [good, {"link": "0-0-1-3", "ops": ["gin", "skip", "gin", "arma"]}]


def test_budgets_need_a_cost_model(server):
    llm = llmnas.LLM(base_url=server.base_url, model="scripted")
    try:
        llm.propose(GRAPH, [({"link": "0-0-0-1", "ops": ["gcn"] * 4}, 0.8)], max_gflops=1.0)
    except llmnas.InvalidArgumentError as error:
        assert "no cost model" in str(error) and error.status == Status.INVALID_ARGUMENT
    else:
        raise AssertionError("a GFLOPs budget on a space without a cost model was accepted")
