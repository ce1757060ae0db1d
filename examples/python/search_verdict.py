"""search_verdict.py: what a search's answer means, before anyone trains it.

A search's best architecture is only as good as the estimator that chose it. This script measures the estimator (an
MLP file, e.g. the distilled LLM-PP predictor of the demo) on architectures whose score is known: the 20 test
architectures of a paper split (data/llmpp-wmt, BLEU trained from scratch), reporting its MAE and Kendall tau-b
there, how widely its predictions spread against the truth's, and its error once its offset is removed (the standard
deviation of prediction minus truth: what a difference between two predictions can be trusted to). Then, for each
checkpointed search it is given, it tells how many of the candidates the search scored are predicted within that
error of the winner: when most are, the estimator cannot tell the winner from them, and the answer is set by a flat
predictor, not by a difference it resolves. Searches under several latency limits that all end at the same predicted
score say the same thing. The estimator's scores are taken as higher-is-better (BLEU).

Usage: python search_verdict.py MODEL_PATH CHECKPOINT [CHECKPOINT ...] [--task wmt14ende] [--seed 123]
"""

import argparse

import numpy as np

import llmnas
from wmt_split import split

# The share of scored candidates within the estimator's error of the winner above which the answer is called flat.
FLAT_SHARE = 0.5


def quality(model, space, task, seed):
    """{count, mae, tau, spread (std of the predictions), truth_spread, error (std of prediction minus truth)} on the
    split's test architectures."""
    test = split("test", task, seed)
    truth = np.array([t["score"] for t in test])
    predicted = model.predict(space.features([t["architecture"] for t in test]))
    return {
        "count": len(test),
        "mae": float(np.mean(np.abs(predicted - truth))),
        "tau": llmnas.kendall_tau(predicted, truth),
        "spread": float(predicted.std()),
        "truth_spread": float(truth.std()),
        "error": float((predicted - truth).std()),
    }


def verdict(path, error):
    """One search's line: its winner, and the share of its scored candidates within `error` of the winner's score."""
    search = llmnas.Search.resume(path)
    best = search.best
    scores = np.array([t["score"] for t in search.trials if t["estimator"] == best["estimator"]])
    close = float(np.mean(scores >= best["best_score"] - error))
    limits = ", ".join(f"{name} {value:.1f}" for name, value in best["constraints"].items())
    line = (
        f"{path}: best {best['best_score']:.2f} ({limits}); {close:.0%} of the {len(scores)} candidates it scored are "
        f"predicted within the estimator's error ({error:.2f}) of it"
    )
    if close > FLAT_SHARE:
        line += ": the answer is set by a flat predictor, not by a difference it resolves"
    return line, round(best["best_score"], 2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("checkpoints", nargs="+")
    parser.add_argument("--task", default="wmt14ende")
    parser.add_argument("--seed", type=int, default=123)
    args = parser.parse_args()
    space = llmnas.Space.builtin(f"hat-{args.task}")
    model = llmnas.MLP.load(args.model)
    q = quality(model, space, args.task, args.seed)
    print(
        f"the estimator on {args.task}/{args.seed}'s {q['count']} test architectures (BLEU from scratch): "
        f"MAE {q['mae']:.2f}, Kendall tau-b {q['tau']:+.2f}; its predictions spread {q['spread']:.2f} BLEU (std) "
        f"where the truth spreads {q['truth_spread']:.2f}; its error without its offset (std of prediction minus "
        "truth) "
        f"{q['error']:.2f}"
    )
    if abs(q["tau"]) < 0.2 or q["spread"] < q["truth_spread"] / 4:
        print(
            "  it ranks these architectures little better than chance, or squeezes their differences: a search it "
            "scores shows the library's machinery, not a better architecture"
        )
    bests = []
    for path in args.checkpoints:
        line, best = verdict(path, q["error"])
        bests.append(best)
        print("  " + line)
    if len(bests) > 1 and len(set(bests)) == 1:
        print(
            f"  every search ends at the same predicted score {bests[0]:.2f} whatever its limit: the estimator sees "
            "nothing to gain in what a looser limit admits"
        )


if __name__ == "__main__":
    main()
