"""own_space.py: llmnas on a search space of your own, step by step (docs/own-space.md explains each step).

A small image classifier's space (stem width, depth, per-layer width, kernel and downsampling, activation, dropout)
with the built-in "cnn" cost model; LLM-PP on a few "trained" architectures; the validation that says how much to
trust it; a distilled predictor; a search under a parameter limit with a Python estimator, stopped, resumed from its
checkpoint and compared with an uninterrupted run; the trials table.

`train` below stands in for training an architecture and measuring its accuracy: replace it with yours. The LLM client
config comes from LLMNAS_LLM_CONFIG (JSON, as llmnas.LLM takes it), or LLMNAS_MODEL and OPENAI_BASE_URL.

Usage: python own_space.py
"""

import json
import os
import tempfile

import llmnas

SPACE = {
    "name": "cifar-cnn",
    "task": "image classification on CIFAR-10",
    "metric": {"name": "accuracy", "min": 0, "max": 100, "decimals": 1},
    "hyperparameters": [
        {"name": "stem_width", "meaning": "channels of the 3x3 stem convolution", "choices": [16, 24, 32]},
        {"name": "depth", "meaning": "convolution layers after the stem", "choices": [2, 3, 4, 5, 6]},
        {"name": "width", "meaning": "channels of each layer", "choices": [16, 32, 64, 128], "layers": "depth"},
        {"name": "kernel", "meaning": "kernel size of each layer", "choices": [3, 5, 7], "layers": "depth"},
        {"name": "downsample", "meaning": "1 if the layer halves the resolution", "choices": [0, 1], "layers": "depth"},
        {"name": "activation", "meaning": "activation after each layer", "choices": ["relu", "gelu", "silu"]},
        {"name": "dropout", "meaning": "dropout before the classifier", "choices": [0, 0.1, 0.25]},
    ],
    "cost_model": {"kind": "cnn", "input_channels": 3, "image_size": 32, "classes": 10},
}
PARAMS_LIMIT = 250_000


def train(arch):
    """A stand-in for training `arch` and measuring its validation accuracy (deterministic, for the walkthrough)."""
    capacity = sum(w * k for w, k in zip(arch["width"], arch["kernel"])) / 100
    resolution = 2.0 * min(sum(arch["downsample"]), 3)
    regularised = {0: 0.0, 0.1: 1.5, 0.25: 0.8}[arch["dropout"]]
    return round(min(95.0, 60 + 4 * capacity**0.5 + resolution + regularised), 2)


def client():
    """The LLM client the environment names."""
    if "LLMNAS_LLM_CONFIG" in os.environ:
        return llmnas.LLM(json.loads(os.environ["LLMNAS_LLM_CONFIG"]))
    return llmnas.LLM(model=os.environ["LLMNAS_MODEL"], base_url=os.environ.get("OPENAI_BASE_URL"))


def search(space, checkpoint, tells=None):
    """A search for the most accurate architecture within PARAMS_LIMIT parameters and 120 trainings; with `tells`,
    stopped after that many batches (as a crash would stop it)."""
    config = {
        "seed": 7,
        "population": 24,
        "parents": 6,
        "mutations": 12,
        "crossovers": 12,
        "iterations": 10,
        "constraints": [{"kind": "params", "max": PARAMS_LIMIT}],
        "checkpoint": checkpoint,
    }
    run = llmnas.Search(space, config, max_expensive_calls=120)
    for _ in range(tells if tells is not None else 1_000):
        candidates, _ = run.ask()
        if run.finished:
            break
        run.tell([train(arch) for arch in candidates])
    return run


def main():
    space = llmnas.Space.from_json(SPACE)
    print(f"1. the space: {space}, {space.feature_count} features")
    example = space.sample(1, seed=1)[0]
    stats = space.stats(example)
    print(f"   its cost model: {stats['params']} parameters, {stats['gflops']:.3f} GFLOPs for {json.dumps(example)}")

    trained = space.sample(12, seed=2)
    demos = [(arch, train(arch)) for arch in trained]
    llm = client()
    print(f"2. {len(demos)} trained architectures as demonstrations; how good is LLM-PP on them?")
    validation = llm.validate(space, demos, bootstrap=200)
    for row in validation["predictors"]:
        print(f"   {row['predictor']:22} MAE {row['mae']:.2f}  Kendall tau {row['kendall_tau']:+.2f}")

    fresh = space.sample(4, seed=3)
    scores, _ = llm.predict(space, fresh, demos)
    print("3. LLM-PP on 4 new architectures: " + ", ".join(f"{s:.1f}" for s in scores))

    model, report = llm.distill(space, demos, space.sample(200, seed=4), labels=60, seed=1, mlp_config={"steps": 300})
    print(
        f"4. distilled from {report['labels']} LLM-PP labels; a prediction now costs "
        f"{report['seconds_per_prediction'] * 1e6:.1f} microseconds"
    )
    print(f"   its predictions for the 4: {', '.join(f'{p:.1f}' for p in model.predict(space.features(fresh)))}")

    with tempfile.TemporaryDirectory() as folder:
        whole = search(space, os.path.join(folder, "whole.ckpt"))
        stopped = os.path.join(folder, "stopped.ckpt")
        search(space, stopped, tells=3)
        resumed = llmnas.Search.resume(stopped)
        resumed.run({"host": lambda archs: [train(arch) for arch in archs]})
        best = resumed.best
        print(
            f"5. search within {PARAMS_LIMIT} parameters: {resumed.history['estimator_calls']['host']} trainings, "
            f"best accuracy {best['best_score']} with {best['constraints']['params']:.0f} parameters"
        )
        print(f"   resumed after 3 batches: same result as an uninterrupted run: {resumed.best == whole.best}")
        try:
            frame = resumed.trials_dataframe()
            print("6. the trials table (Optuna's columns first):")
            print(frame[["number", "value", "params_depth", "params_width_0", "params_dropout", "params"]].head())
        except ImportError:
            print(f"6. {len(resumed.trials)} trials (pip install pandas for the table)")


if __name__ == "__main__":
    main()
