"""A user's own search space through the Python binding: numeric choices end to end."""

import json
import os

import numpy as np
import pandas as pd
import pytest

import llmnas

CNN = {
    "name": "cnn",
    "task": "an image classifier on CIFAR-10",
    "metric": {"name": "accuracy", "min": 0, "max": 100},
    "hyperparameters": [
        {"name": "depth", "meaning": "convolution blocks", "choices": [2, 3, 4]},
        {"name": "width", "meaning": "channels of each block", "choices": [16, 32, 64], "layers": "depth"},
        {"name": "dropout", "meaning": "dropout before the classifier", "choices": [0, 0.1, 0.25]},
        {"name": "ratio", "meaning": "expansion ratio", "choices": [1, 1.5, 2]},
        {"name": "lr", "meaning": "learning rate", "choices": [1e-3, 3e-4]},
    ],
}


def toy_accuracy(arch):
    """A deterministic score that needs the numeric choices read back exactly."""
    return sum(arch["width"]) / 10 + {0: 0.0, 0.1: 2.0, 0.25: 1.0}[arch["dropout"]] + arch["ratio"] + 1e3 * arch["lr"]


def test_numeric_choices_sample_validate_and_show_as_written():
    space = llmnas.Space.from_json(CNN)
    assert space.to_json()["hyperparameters"][4]["choices"] == [0.001, 0.0003]
    archs = space.sample(40, seed=3)
    assert {a["dropout"] for a in archs} == {0, 0.1, 0.25}
    assert {a["ratio"] for a in archs} <= {1, 1.5, 2}
    space.validate({"depth": 2, "width": [16, 32], "dropout": 0.1, "ratio": 1.5, "lr": 3e-4})
    try:
        space.validate({"depth": 2, "width": [16, 32], "dropout": 0.15, "ratio": 1.5, "lr": 3e-4})
        raise AssertionError("0.15 accepted")
    except llmnas.InvalidArchitectureError as error:
        assert "[0, 0.1, 0.25]" in str(error)
    names = space.feature_names
    features = space.features([{"depth": 2, "width": [16, 32], "dropout": 0.1, "ratio": 1.5, "lr": 3e-4}])[0]
    assert features[names.index("dropout")] == np.float32(0.1)
    assert features[names.index("ratio")] == 1.5


def test_a_search_over_numeric_choices_checkpoints_and_resumes_to_the_same_result(tmp_path):
    space = llmnas.Space.from_json(CNN)
    config = {"seed": 5, "iterations": 6, "population": 12, "parents": 4, "mutations": 4, "crossovers": 4}
    estimator = {"host": lambda archs: [toy_accuracy(a) for a in archs]}
    reference = llmnas.Search(space, config)
    reference.run(estimator)
    path = tmp_path / "cnn.ckpt"
    first = llmnas.Search(space, dict(config, checkpoint=str(path)))
    for _ in range(3):
        candidates, _ = first.ask()
        first.tell([toy_accuracy(a) for a in candidates])
    del first
    resumed = llmnas.Search.resume(path)
    resumed.run(estimator)
    assert resumed.history["history"] == reference.history["history"]
    assert json.dumps(resumed.best["architecture"]) == json.dumps(reference.best["architecture"])


def test_a_budget_of_expensive_calls_ends_the_search():
    space = llmnas.Space.from_json(CNN)
    calls = []

    def accuracy(archs):
        calls.extend(archs)
        return [toy_accuracy(a) for a in archs]

    search = llmnas.Search(space, {"seed": 1, "population": 20, "parents": 5}, max_expensive_calls=50)
    best = search.run({"host": accuracy})
    assert len(calls) == 50 and search.finished
    assert best["best_score"] == max(toy_accuracy(a) for a in calls)
    assert search.history["estimator_calls"]["host"] == 50


def test_the_trials_table_flattens_per_layer_values_as_optuna_does():
    space = llmnas.Space.from_json(CNN)
    search = llmnas.Search(space, {"seed": 2, "population": 10, "parents": 3, "iterations": 2}, max_expensive_calls=15)
    search.run({"host": lambda archs: [toy_accuracy(a) for a in archs]})
    frame = search.trials_dataframe()
    assert [c for c in frame.columns if c.startswith("params_")] == [
        "params_depth",
        "params_width_0",
        "params_width_1",
        "params_width_2",
        "params_width_3",
        "params_dropout",
        "params_ratio",
        "params_lr",
    ]
    for _, row in frame.iterrows():
        widths = [row[f"params_width_{i}"] for i in range(4)]
        assert [w for w in widths if pd.notna(w)] == row["architecture"]["width"]  # missing past the layers
        assert len(row["architecture"]["width"]) == row["params_depth"]
    assert list(frame.columns[:2]) == ["number", "value"]
    assert {"datetime_start", "datetime_complete", "duration", "state"} <= set(frame.columns)
    assert "started" not in frame.columns and (frame["state"] == "COMPLETE").all()
    assert (frame["datetime_start"] <= frame["datetime_complete"]).all()
    assert (frame["duration"] >= pd.Timedelta(0)).all()
    assert str(frame["datetime_start"].dt.tz) == "UTC"


REFERENCE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data", "cnn-cost", "reference_counts.json")

CNN_WITH_COST = {
    "name": "cifar-cnn",
    "task": "image classification on CIFAR-10",
    "metric": {"name": "accuracy", "min": 0, "max": 100},
    "hyperparameters": [
        {"name": "stem_width", "meaning": "channels of the stem", "choices": [8, 16, 24, 32, 64]},
        {"name": "depth", "meaning": "convolution layers after the stem", "choices": [1, 2, 3, 4, 5, 6]},
        {"name": "width", "meaning": "channels", "choices": [8, 16, 32, 48, 64, 96, 128, 192, 256], "layers": "depth"},
        {"name": "kernel", "meaning": "kernel size", "choices": [1, 3, 5, 7], "layers": "depth"},
        {"name": "downsample", "meaning": "1 halves the resolution", "choices": [0, 1], "layers": "depth"},
        {"name": "activation", "meaning": "activation", "choices": ["relu", "gelu", "silu"]},
    ],
    "cost_model": {"kind": "cnn", "input_channels": 3, "image_size": 32, "classes": 10},
}


def test_the_cnn_cost_model_counts_the_parameters_a_framework_counts():
    space = llmnas.Space.from_json(CNN_WITH_COST)
    with open(REFERENCE, encoding="utf-8") as f:
        reference = json.load(f)
    assert reference["input_channels"] == 3 and reference["classes"] == 10 and len(reference["architectures"]) == 5
    for row in reference["architectures"]:
        arch = dict(row["architecture"], activation="relu")
        assert space.stats(arch)["params"] == row["params"], arch
    # FLOPs by hand for the smallest: a 3x3 stem 3->16 and a 3x3 16->16 at 32x32, and a 16->10 classifier.
    smallest = dict(reference["architectures"][0]["architecture"], activation="relu")
    assert space.stats(smallest)["flops"] == 2 * (32 * 32 * 9 * 3 * 16 + 32 * 32 * 9 * 16 * 16 + 16 * 10)


def test_a_user_space_with_a_cost_model_gets_params_constraints_and_cost_lines(server):
    space = llmnas.Space.from_json(CNN_WITH_COST)
    assert llmnas.Space.from_json(space.to_json()).to_json() == space.to_json()
    limit = 100_000
    config = {
        "seed": 3,
        "population": 16,
        "parents": 4,
        "iterations": 3,
        "constraints": [{"kind": "params", "max": limit}],
    }
    search = llmnas.Search(space, config, max_expensive_calls=40)
    search.run({"host": lambda archs: [sum(a["width"]) / 10 for a in archs]})
    assert all(t["params"] <= limit and t["constraints"]["params"] == t["params"] for t in search.trials)
    server.script()
    demos = [(a, 50 + i) for i, a in enumerate(space.sample(6, seed=4))]
    validation = llmnas.LLM(base_url=server.base_url, model="scripted").validate(space, demos, bootstrap=50)
    assert {"params least squares", "GFLOPs least squares"} <= {p["predictor"] for p in validation["predictors"]}


def test_a_space_that_lacks_what_the_cnn_cost_model_reads_is_refused_naming_it():
    broken = json.loads(json.dumps(CNN_WITH_COST))
    broken["hyperparameters"][3].pop("layers")
    with pytest.raises(llmnas.InvalidSpaceError, match="'kernel' per layer"):
        llmnas.Space.from_json(broken)
    broken["hyperparameters"] = broken["hyperparameters"][:2]
    with pytest.raises(llmnas.InvalidSpaceError, match="needs the hyperparameter 'width'"):
        llmnas.Space.from_json(broken)


def test_the_cnn_cost_model_refuses_impossible_choices_and_never_overflows():
    zero = json.loads(json.dumps(CNN_WITH_COST))
    zero["hyperparameters"][3]["choices"] = [0, 3]
    with pytest.raises(llmnas.InvalidSpaceError, match="integer choices from 1 to 255 for 'kernel'"):
        llmnas.Space.from_json(zero)
    huge = json.loads(json.dumps(CNN_WITH_COST))
    huge["hyperparameters"][2]["choices"] = [1_000_000]
    huge["hyperparameters"][3]["choices"] = [255]
    huge["cost_model"]["image_size"] = 16384
    space = llmnas.Space.from_json(huge)
    arch = dict(space.sample(1, seed=1)[0], depth=6, width=[1_000_000] * 6, kernel=[255] * 6, downsample=[0] * 6)
    stats = space.stats(arch)
    assert stats["flops"] == 9_000_000_000_000_000_000 and stats["params"] > 1e17  # saturated, not a crash
