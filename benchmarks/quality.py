"""`make quality`: how good LLM-PP is on the embedded model (Gemma 3 270M, a base model, on llama-server), mode by
mode, on the paper's protocol (3 tasks x 3 split seeds; 10 demonstrations and 20 test architectures each; the MAE
and Kendall tau-b of the test predictions against BLEU trained from scratch, mean +- std over the seeds), with what
each mode cost in requests, tokens and seconds. Modes: greedy (one answer per architecture), the median of 4 samples
at temperature 1 (with their spread; llama-server allows at most 4), the expectation of the answer's digit
distribution from one request's log-probabilities (with its spread), and the 5 nearest of the 10 demonstrations shown,
nearest last, instead of all
10 in one order. Each mode's row comes raw, calibrated (the leave-one-out line over the demonstrations) and combined
(the cost line with the LLM let in as far as leave-one-out shows it helps); the least-squares line on the parameter
count is the baseline to beat. Then the cross-validation a user would run before
paying (llmnas_llmpp_validate) on one split's 10 demonstrations. Each mode has its own response cache under
build/quality/, so a second run costs no request (it reports the answers it found there); the table is rewritten
to build/quality/quality.txt after each mode.

Usage: quality.py BASE_URL    (tools/local_llm.sh start prints it; `make quality` starts and stops the server)
"""

import csv
import json
import os
import sys
import time

import llmnas
from llmnas_support import local_llm

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DATA = os.path.join(ROOT, "data", "llmpp-wmt")
OUT = os.path.join(ROOT, "build", "quality")
MODES = [
    ("greedy", {}, {}),
    ("expectation", {"aggregate": "expectation"}, {}),
    ("median of 4 at T=1", {"n": 4, "temperature": 1.0}, {}),  # llama-server allows n up to its 4 slots
    ("nearest 5, last", {}, {"nearest_demonstrations": 5}),
]


def cell(task):
    def number(value, sign=""):
        return "n/a" if value is None else f"{value:{sign}.2f}"

    return (
        f"{number(task['mae_mean'])}±{number(task['mae_std'])}  "
        f"{number(task['tau_mean'], '+')}±{number(task['tau_std'])}"
        + (f" ({task['failures']} failed)" if task["failures"] else "")
    )


def main():
    url = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    base = local_llm.config(url)
    tasks = ["wmt14ende", "wmt14enfr", "wmt19ende"]
    lines = [
        "mode / predictor                     "
        + "".join(f"{t + ' MAE  tau':<26}" for t in tasks)
        + "spread  requests (cached)  prompt tok  compl tok  seconds"
    ]
    results = {}
    baseline = None
    for index, (name, extra, prompt) in enumerate(MODES):
        llm = llmnas.LLM(**base, **extra, cache_file=os.path.join(OUT, f"cache-{index}.llmnas"))
        started = time.monotonic()
        result = llm.eval_paper_protocol(DATA, options={"prompt": prompt, "calibrate": True})
        seconds = time.monotonic() - started
        usage = llm.usage
        results[name] = {"result": result, "usage": usage, "seconds": seconds}
        for row in result["rows"]:
            if row["predictor"] == "Params least squares":
                baseline = row
            if not row["predictor"].startswith("LLM-PP"):
                continue
            spread = sum(row["tasks"][t].get("spread", 0) for t in tasks) / len(tasks)
            kind = {"LLM-PP": "raw", "LLM-PP calibrated": "calibrated", "LLM-PP combined": "combined"}[row["predictor"]]
            label = f"{name}, {kind}"
            requests = f"{usage['requests']} ({usage['cache_hits']})"
            cost = (
                f"{requests:>17}  {usage['prompt_tokens']:>10}  {usage['completion_tokens']:>9}  {seconds:>7.0f}"
                if kind == "raw"
                else "  (the same requests)"
            )
            lines.append(
                f"{label:<37}" + "".join(f"{cell(row['tasks'][t]):<26}" for t in tasks) + f"{spread:>6.2f}  " + cost
            )
        llm.close()
        write(lines, results)
    lines.append(
        f"{'params least squares (baseline)':<37}" + "".join(f"{cell(baseline['tasks'][t]):<26}" for t in tasks)
    )

    hat = llmnas.Space.builtin("hat-wmt14ende")
    with open(os.path.join(DATA, "splits.csv")) as f:
        train = {r.split(",")[2] for r in f.read().split() if r.startswith("123,wmt14ende,") and r.endswith(",train")}
    with open(os.path.join(DATA, "labeled.csv"), newline="") as f:
        demos = [
            {"architecture": json.loads(r["arch_json"]), "score": float(r["scratch_valid_bleu"])}
            for r in csv.DictReader(f)
            if r["task"] == "wmt14ende" and r["arch_id"] in train
        ]
    llm = llmnas.LLM(**base, cache_file=os.path.join(OUT, "cache-0.llmnas"))
    validation = llm.validate(hat, demos)
    results["validation"] = validation
    lines.append("")
    lines.append(
        f"validation on wmt14ende/123's {len(demos)} demonstrations, leave-one-out ({validation['requests']} requests, "
        f"{validation['cache_hits']} from the cache): Kendall tau-b [95% bootstrap interval], MAE"
    )
    for p in validation["predictors"]:
        low, high = p["kendall_tau_interval"] or (float("nan"), float("nan"))
        lines.append(
            f"  {p['predictor']:<24} tau {p['kendall_tau']:+.2f} [{low:+.2f}, {high:+.2f}]  MAE {p['mae']:.2f}"
        )
    write(lines, results)
    print("\n".join(lines))


def write(lines, results):
    """The table and the figures so far, to build/quality/."""
    with open(os.path.join(OUT, "quality.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(OUT, "quality.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
