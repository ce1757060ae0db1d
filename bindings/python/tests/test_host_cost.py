"""A host cost: the user's own function counts parameters and FLOPs for every place that uses a cost."""

import json

import pytest

import llmnas

MLP_SPACE = {
    "name": "mlp-head",
    "task": "a classifier head on frozen features",
    "metric": {"name": "accuracy", "min": 0, "max": 100},
    "hyperparameters": [
        {"name": "depth", "meaning": "hidden layers", "choices": [1, 2, 3]},
        {"name": "units", "meaning": "units of each hidden layer", "choices": [64, 128, 256], "layers": "depth"},
        {"name": "dropout", "meaning": "dropout", "choices": [0, 0.1, 0.3]},
    ],
    "cost_model": {"kind": "host", "name": "head_cost"},
}


def head_cost(arch):
    """Parameters and FLOPs of a dense head on 512 features with 10 classes, counted by the host."""
    widths = [512] + arch["units"] + [10]
    params = sum(a * b + b for a, b in zip(widths, widths[1:]))
    return params, 2 * params


def score(arch):
    return sum(arch["units"]) / 10 - 10 * arch["dropout"]


def test_an_unbound_host_cost_says_how_to_bind_it_and_a_wrong_name_is_refused():
    space = llmnas.Space.from_json(MLP_SPACE)
    arch = {"depth": 1, "units": [64], "dropout": 0.1}
    with pytest.raises(llmnas.InvalidArgumentError, match="host function 'head_cost', which is not bound.*with_cost"):
        space.stats(arch)
    with pytest.raises(llmnas.NotFoundError, match="no host cost 'other': its host cost is 'head_cost'"):
        space.with_cost("other", head_cost)
    with pytest.raises(llmnas.NotFoundError, match="no host cost 'head_cost'"):
        llmnas.Space.builtin("nas-bench-graph").with_cost("head_cost", head_cost)
    assert space.to_json()["cost_model"] == {"kind": "host", "name": "head_cost"}


def test_a_bound_cost_gives_stats_constraints_and_the_prompts_gflops_line():
    space = llmnas.Space.from_json(MLP_SPACE).with_cost("head_cost", head_cost)
    arch = {"depth": 2, "units": [256, 64], "dropout": 0}
    params, flops = head_cost(arch)
    stats = space.stats(arch)
    assert (stats["params"], stats["flops"], stats["gflops"]) == (params, flops, flops / 1e9)
    as_dict = llmnas.Space.from_json(MLP_SPACE).with_cost("head_cost", lambda a: {"params": 7, "flops": 9})
    assert as_dict.stats(arch)["params"] == 7
    messages = llmnas.build_prompt(space, arch, [(arch, 80.0)])
    assert f"GFLOPs: {flops / 1e9:.1f}" in messages[-1]["content"]
    limit = 60_000
    search = llmnas.Search(
        space,
        {"seed": 2, "iterations": 4, "population": 12, "parents": 4, "constraints": [{"kind": "params", "max": limit}]},
    )
    search.run({"host": lambda archs: [score(a) for a in archs]})
    trials = search.trials
    assert trials and all(t["params"] <= limit and t["params"] == head_cost(t["architecture"])[0] for t in trials)


def test_what_the_cost_raises_reaches_the_caller_as_itself_and_bad_counts_are_refused():
    class Unmeasurable(Exception):
        pass

    def failing(arch):
        raise Unmeasurable(f"cannot count {arch['depth']} layers")

    arch = {"depth": 1, "units": [64], "dropout": 0.1}
    space = llmnas.Space.from_json(MLP_SPACE)
    with pytest.raises(Unmeasurable, match="cannot count 1 layers"):
        space.with_cost("head_cost", failing).stats(arch)
    search = llmnas.Search(space.with_cost("head_cost", failing), {"constraints": [{"kind": "flops", "max": 1e9}]})
    with pytest.raises(Unmeasurable):
        search.ask()
    for bad in [(-1, 5), (float("nan"), 5), (5, float("inf")), (1e19, 5)]:
        with pytest.raises(llmnas.InvalidArgumentError, match="host cost 'head_cost' gave (params|flops)"):
            space.with_cost("head_cost", lambda a, bad=bad: bad).stats(arch)
    assert space.with_cost("head_cost", head_cost).stats(arch)["params"] == head_cost(arch)[0]


def untimed(search):
    """The trials without their times, which differ between two runs."""
    return json.dumps([{k: v for k, v in t.items() if k not in ("started", "completed")} for t in search.trials])


def test_a_resumed_search_needs_its_cost_again_and_then_ends_as_one_that_never_stopped(tmp_path):
    space = llmnas.Space.from_json(MLP_SPACE).with_cost("head_cost", head_cost)
    config = {
        "seed": 4,
        "iterations": 6,
        "population": 12,
        "parents": 4,
        "mutations": 4,
        "crossovers": 4,
        "constraints": [{"kind": "params", "max": 120_000}],
    }
    reference = llmnas.Search(space, config)
    reference.run({"host": lambda archs: [score(a) for a in archs]})
    path = tmp_path / "head.ckpt"
    first = llmnas.Search(space, dict(config, checkpoint=str(path)))
    for _ in range(2):
        candidates, _ = first.ask()
        first.tell([score(a) for a in candidates])
    del first
    resumed = llmnas.Search.resume(path)
    with pytest.raises(llmnas.InvalidArgumentError, match="'head_cost', which is not bound"):
        resumed.ask()
    with pytest.raises(llmnas.NotFoundError):
        resumed.bind_cost("other", head_cost)
    resumed.bind_cost("head_cost", head_cost)
    best = resumed.run({"host": lambda archs: [score(a) for a in archs]})
    assert best == reference.best
    assert untimed(resumed) == untimed(reference)


def test_validation_and_proposals_use_the_host_cost(server):
    space = llmnas.Space.from_json(MLP_SPACE).with_cost("head_cost", head_cost)
    server.script()
    llm = llmnas.LLM(base_url=server.base_url, model="scripted", backoff_seconds=0.01)
    demos = [(a, 50 + i) for i, a in enumerate(space.sample(6, seed=4))]
    validation = llm.validate(space, demos, bootstrap=50)
    assert {"params least squares", "GFLOPs least squares"} <= {p["predictor"] for p in validation["predictors"]}
    small = {"depth": 1, "units": [64], "dropout": 0}
    large = {"depth": 3, "units": [256, 256, 256], "dropout": 0}
    server.script([{"match": "Propose", "answer": json.dumps(small) + "\n" + json.dumps(large)}])
    result = llm.propose(space, demos[:2], count=2, rounds=1, max_params=100_000)
    assert result["architectures"] == [small]
    assert "parameters exceed max_params" in result["rejected"][0]["reason"]


FEATURED = dict({k: v for k, v in MLP_SPACE.items() if k != "cost_model"}, featurizer={"name": "widths", "count": 4})


def widths(arch):
    """The host's features: the hidden widths padded to three layers, then the dropout."""
    return arch["units"] + [0] * (3 - arch["depth"]) + [arch["dropout"]]


def test_a_host_featurizer_feeds_features_an_mlp_estimator_and_a_resumed_search(tmp_path):
    space = llmnas.Space.from_json(FEATURED)
    arch = {"depth": 2, "units": [256, 64], "dropout": 0.1}
    with pytest.raises(llmnas.InvalidArgumentError, match="'widths', which is not bound.*with_featurizer"):
        space.features([arch])
    with pytest.raises(llmnas.NotFoundError, match="no featurizer 'other': its featurizer is 'widths'"):
        space.with_featurizer("other", widths)
    featured = space.with_featurizer("widths", widths)
    assert featured.feature_count == 4 and featured.feature_names == [f"widths[{i}]" for i in range(4)]
    assert featured.features([arch]).tolist() == [[256, 64, 0, pytest.approx(0.1)]]
    with pytest.raises(ValueError, match="returned 3 features; the space's featurizer has 4"):
        space.with_featurizer("widths", lambda a: [1, 2, 3]).features([arch])
    pool = featured.sample(200, seed=1)
    model = llmnas.MLP(hidden=[32], steps=300).fit(featured.features(pool), [score(a) for a in pool])
    config = {
        "seed": 1,
        "iterations": 4,
        "population": 10,
        "parents": 3,
        "estimators": [{"name": "m", "kind": "mlp"}],
        "checkpoint": str(tmp_path / "f.ckpt"),
    }
    first = llmnas.Search(featured, config).bind_mlp("m", model)
    first.run({})
    resumed = llmnas.Search.resume(tmp_path / "f.ckpt")
    assert resumed.finished and resumed.best == first.best
    again = llmnas.Search(space, dict(config, checkpoint=str(tmp_path / "g.ckpt"))).bind_mlp("m", model)
    with pytest.raises(llmnas.InvalidArgumentError, match="'widths', which is not bound"):
        again.ask()
    again.bind_featurizer("widths", widths).run({})
    assert again.best == first.best
