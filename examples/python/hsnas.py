"""hsnas.py: HS-NAS from Python, the twin of examples/hsnas.c (same searches, same output).

Searches hat-wmt14ende under 100, 150 and 200 ms of predicted TITAN Xp latency, scoring with a distilled BLEU
predictor (an MLP file, e.g. the one examples/distill.c saves), and prints each search's best architecture.

Where a host plugs in its own supernet: pass --supernet FILE.py, a Python file defining
`score(candidates) -> list of floats` (e.g. each candidate's validation loss from a weight-sharing supernet; lower is
better unless the file sets HIGHER_IS_BETTER = True). The distilled predictor then scores the first half of the
iterations and the supernet the second half (the schedule of Jawahar et al., 2024), through `Search.run`.

Usage: python hsnas.py [MODEL_PATH [OUT_DIR [ITERATIONS]]] [--supernet FILE.py]
"""

import argparse
import importlib.util
import json

import llmnas


def config(model, limit_ms, iterations, checkpoint, supernet):
    estimators = [{"name": "distilled-bleu", "kind": "mlp", "model": model}]
    schedule = None
    if supernet is not None:
        estimators.append({"name": "supernet", "higher_is_better": getattr(supernet, "HIGHER_IS_BETTER", False)})
        schedule = [
            {"estimator": "distilled-bleu", "fraction": [0, 0.5]},
            {"estimator": "supernet", "fraction": [0.5, 1]},
        ]
    result = {
        "seed": 1,
        "iterations": iterations,
        "estimators": estimators,
        "constraints": [{"kind": "latency", "predictor": "wmt14ende-titanxp", "max": limit_ms}],
        "checkpoint": checkpoint,
    }
    if schedule:
        result["schedule"] = schedule
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?", default="build/distilled.mlp")
    parser.add_argument("out_dir", nargs="?", default="build")
    parser.add_argument("iterations", nargs="?", type=int, default=30)
    parser.add_argument("--supernet", help="a Python file defining score(candidates) -> list of floats")
    args = parser.parse_args()
    supernet = None
    if args.supernet:
        spec = importlib.util.spec_from_file_location("supernet", args.supernet)
        supernet = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(supernet)

    space = llmnas.Space.builtin("hat-wmt14ende")
    for limit in (100, 150, 200):
        checkpoint, report = f"{args.out_dir}/hsnas-{limit}ms.ckpt", f"{args.out_dir}/hsnas-{limit}ms.html"
        search = llmnas.Search(space, config(args.model, limit, args.iterations, checkpoint, supernet))
        best = search.run({"supernet": supernet.score} if supernet else {})
        search.write_report(report, "html")
        print(f"latency <= {limit} ms:")
        print(
            f"  {'predicted BLEU' if best['estimator'] == 'distilled-bleu' else best['estimator']:32s} "
            f"{best['best_score']:.2f}"
        )
        print(f"  {'TITAN Xp latency (ms)':32s} {best['constraints']['latency_ms']:.1f}")
        print(f"  {'parameters (without embeddings)':32s} {best['stats']['params']:.0f}")
        print(f"  {'GFLOPs':32s} {best['stats']['gflops']:.2f}")
        print(f"  architecture {json_text(best['architecture'])}")
        print(f"  report {report}, checkpoint {checkpoint}")


def json_text(value):
    """Compact JSON, as the library writes it."""
    return json.dumps(value, separators=(",", ":"))


if __name__ == "__main__":
    main()
