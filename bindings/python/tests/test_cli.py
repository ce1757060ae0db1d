"""The `llmnas` command line: every command through the installed console script, JSON Lines in and out, an exit
code per status."""

import json
import os
import subprocess
import sys


import llmnas
from llmnas.cli import STATUS_EXIT_BASE

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SCRIPT = os.path.join(os.path.dirname(sys.executable), "llmnas")


def run(*args, stdin=""):
    return subprocess.run([SCRIPT, *args], input=stdin, capture_output=True, text=True, cwd=ROOT)


def lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_command_has_help():
    for command in ["spaces", "sample", "features", "stats", "predict", "distill", "search", "eval", "report"]:
        result = run(command, "--help")
        assert result.returncode == 0 and "exit codes" in result.stdout, command
    assert run("no-such-command").returncode == 2


def test_spaces_sample_and_features():
    assert "hat-wmt14ende" in lines(run("spaces").stdout)
    sampled = run("sample", "nas-bench-graph", "--count", "3", "--seed", "1")
    assert lines(sampled.stdout) == llmnas.Space.builtin("nas-bench-graph").sample(3, seed=1)
    features = lines(run("features", "nas-bench-graph", stdin=sampled.stdout).stdout)
    assert len(features) == 3 and all(len(row) == 45 for row in features)


def test_a_library_error_has_its_status_as_exit_code():
    result = run("features", "nas-bench-graph", stdin='{"link": "0-0-1-2"}\n')
    assert result.returncode == STATUS_EXIT_BASE - llmnas.InvalidArchitectureError.status
    assert "missing hyperparameter 'ops'" in result.stderr
    assert run("sample", "no-such-space").returncode == STATUS_EXIT_BASE - llmnas.NotFoundError.status


def test_every_command_takes_a_space_file_or_stdin(tmp_path):
    own = {
        "name": "mlp",
        "task": "a tabular regressor",
        "metric": {"name": "R2", "min": -1, "max": 1},
        "hyperparameters": [
            {"name": "depth", "meaning": "hidden layers", "choices": [1, 2, 3]},
            {"name": "width", "meaning": "units per layer", "choices": [32, 64], "layers": "depth"},
            {"name": "dropout", "meaning": "dropout", "choices": [0, 0.1, 0.2]},
        ],
    }
    path = tmp_path / "mlp.json"
    path.write_text(json.dumps(own))
    sampled = run("sample", str(path), "--count", "4", "--seed", "2")
    assert sampled.returncode == 0 and lines(sampled.stdout) == llmnas.Space.from_json(own).sample(4, seed=2)
    assert lines(run("sample", "-", "--count", "4", "--seed", "2", stdin=json.dumps(own)).stdout) == lines(
        sampled.stdout
    )
    archs = tmp_path / "archs.jsonl"
    archs.write_text(sampled.stdout)
    features = lines(run("features", "-", str(archs), stdin=json.dumps(own)).stdout)
    assert features == llmnas.Space.from_json(own).features(lines(sampled.stdout)).tolist()
    both = run("features", "-", stdin=json.dumps(own))
    assert both.returncode == 1 and "need a file" in both.stderr
    missing = run("sample", str(tmp_path / "none.json"))
    assert missing.returncode == 1 and "none.json" in missing.stderr
    widest = (
        f"{sys.executable} -c \"import json, sys; print(json.dumps([sum(a['width']) for a in json.load(sys.stdin)]))\""
    )
    config = json.dumps({"iterations": 6, "population": 8, "parents": 3, "mutations": 3, "crossovers": 2})
    search = run("search", str(path), "--config", config, "--estimator", f"host={widest}")
    assert search.returncode == 0, search.stderr
    assert json.loads(search.stdout)["best_score"] == 192  # three layers of 64


def test_predict_and_distill_against_the_scripted_server(server, tmp_path):
    server.script([{"match": "ops: [gat", "answer": "no number"}, {"answer": "0.815"}])
    llm = json.dumps({"base_url": server.base_url, "model": "scripted", "backoff_seconds": 0.01})
    archs = [
        {"link": "0-0-1-2", "ops": ["gcn", "gcn", "skip", "sage"]},
        {"link": "0-0-1-2", "ops": ["gat", "gcn", "skip", "sage"]},
    ]
    result = run(
        "predict", "nas-bench-graph", "--llm", llm, "--demos", "[]", stdin="".join(json.dumps(a) + "\n" for a in archs)
    )
    assert lines(result.stdout) == [
        {"architecture": archs[0], "score": 0.815, "status": "OK"},
        {
            "architecture": archs[1],
            "score": None,
            "status": "BAD_ANSWER",
            "message": "the answer holds no number: no number",
        },
    ]
    assert "1 of 2 architectures failed" in result.stderr
    assert result.returncode == STATUS_EXIT_BASE - llmnas.IncompleteError.status
    assert '"requests": 2' in result.stderr
    pool = tmp_path / "pool.jsonl"
    pool.write_text(
        "".join(
            json.dumps(a) + "\n"
            for a in llmnas.Space.builtin("nas-bench-graph").sample(20, seed=3)
            if "gat" not in a["ops"]
        )
    )
    model = tmp_path / "distilled.mlp"
    result = run(
        "distill",
        "nas-bench-graph",
        "--llm",
        llm,
        "--demos",
        "[]",
        "--pool",
        str(pool),
        "--labels",
        "4",
        "--mlp",
        '{"hidden": [4], "steps": 5}',
        "-o",
        str(model),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["labels"] == 4 and llmnas.MLP.load(model).n_features_in_ == 45


def test_search_with_a_command_as_estimator_resumes_and_reports(tmp_path):
    scorer = tmp_path / "score.py"
    scorer.write_text("import json, sys\nprint(json.dumps([a['ops'].count('gcn') for a in json.load(sys.stdin)]))\n")
    config = json.dumps({"iterations": 3, "population": 8, "parents": 2, "mutations": 3, "crossovers": 3, "seed": 1})
    checkpoint, report = tmp_path / "s.ckpt", tmp_path / "s.html"
    result = run(
        "search",
        "nas-bench-graph",
        "--config",
        config,
        "--estimator",
        f"host={sys.executable} {scorer}",
        "--resume",
        str(checkpoint),
        "--report",
        str(report),
    )
    assert result.returncode == 0, result.stderr
    best = json.loads(result.stdout)
    assert best["finished"] and best["best_score"] == best["architecture"]["ops"].count("gcn")
    assert report.read_text().startswith("<!DOCTYPE html>") and checkpoint.exists()
    assert "search: 3/3" in result.stderr
    csv = tmp_path / "s.csv"
    assert run("report", str(checkpoint), "-o", str(csv), "--format", "csv").returncode == 0
    assert len(csv.read_text().splitlines()) == 4
    failing = run("search", "nas-bench-graph", "--config", config, "--estimator", "host=exit 3")
    assert failing.returncode == 1 and "exited 3" in failing.stderr


HEAD = {
    "name": "head",
    "task": "a classifier head",
    "metric": {"name": "accuracy", "min": 0, "max": 100},
    "hyperparameters": [
        {"name": "depth", "meaning": "hidden layers", "choices": [1, 2, 3]},
        {"name": "units", "meaning": "units per layer", "choices": [64, 128, 256], "layers": "depth"},
    ],
    "cost_model": {"kind": "host", "name": "head_cost"},
}

# A cost command serving one architecture per line, as a user would write it; it counts its calls in a file.
COST = """import json, sys
calls = 0
for line in sys.stdin:
    arch = json.loads(line)
    widths = [512] + arch["units"] + [10]
    params = sum(a * b + b for a, b in zip(widths, widths[1:]))
    calls += 1
    open(sys.argv[1], "w").write(str(calls))
    print(params, 2 * params, flush=True)
"""


def test_a_cost_command_serves_stats_and_a_constrained_search_that_resumes(tmp_path):
    space_file, cost, calls = tmp_path / "head.json", tmp_path / "cost.py", tmp_path / "calls"
    space_file.write_text(json.dumps(HEAD))
    cost.write_text(COST)
    command = f"head_cost={sys.executable} {cost} {calls}"
    archs = '{"depth": 1, "units": [64]}\n{"depth": 2, "units": [256, 128]}\n'
    stats = run("stats", str(space_file), "--cost", command, stdin=archs)
    assert stats.returncode == 0, stats.stderr
    assert [s["params"] for s in lines(stats.stdout)] == [512 * 64 + 64 + 650, 512 * 256 + 256 + 256 * 128 + 128 + 1290]
    assert calls.read_text() == "2", "one process served both architectures"
    unbound = run("stats", str(space_file), stdin=archs)
    assert unbound.returncode == STATUS_EXIT_BASE - llmnas.InvalidArgumentError.status
    assert "'head_cost', which is not bound" in unbound.stderr
    broken = run("stats", str(space_file), "--cost", "head_cost=echo nonsense", stdin=archs)
    assert broken.returncode != 0 and "answered 'nonsense'" in broken.stderr
    scorer = tmp_path / "score.py"
    scorer.write_text("import json, sys\nprint(json.dumps([sum(a['units']) for a in json.load(sys.stdin)]))\n")
    config = json.dumps(
        {
            "iterations": 3,
            "population": 8,
            "parents": 2,
            "seed": 1,
            "mutations": 3,
            "crossovers": 3,
            "constraints": [{"kind": "params", "max": 100_000}],
        }
    )
    checkpoint = tmp_path / "head.ckpt"
    search = [
        "search",
        str(space_file),
        "--config",
        config,
        "--estimator",
        f"host={sys.executable} {scorer}",
        "--resume",
        str(checkpoint),
        "--cost",
        command,
    ]
    result = run(*search)
    assert result.returncode == 0, result.stderr
    best = json.loads(result.stdout)
    assert best["stats"]["params"] <= 100_000 and best["constraints"]["params"] == best["stats"]["params"]
    again = run(*search)
    assert again.returncode == 0 and json.loads(again.stdout) == best
    without = run(*search[:-2])
    assert without.returncode == 0, "a finished search needs no cost to report its best"
    limit = tmp_path / "limit.py"
    limit.write_text(
        "import json, sys\nfor line in sys.stdin:\n    print(sum(json.loads(line)['units']), flush=True)\n"
    )
    hosted = json.dumps(
        {
            "iterations": 2,
            "population": 6,
            "parents": 2,
            "seed": 3,
            "mutations": 2,
            "crossovers": 2,
            "constraints": [{"kind": "host", "name": "units", "max": 300}],
        }
    )
    result = run(
        "search",
        str(space_file),
        "--config",
        hosted,
        "--estimator",
        f"host={sys.executable} {scorer}",
        "--constraint",
        f"units={sys.executable} {limit}",
    )
    assert result.returncode == 0, result.stderr
    best = json.loads(result.stdout)
    assert sum(best["architecture"]["units"]) == best["constraints"]["units"] <= 300


def test_a_featurizer_command_serves_the_features(tmp_path):
    space_file, featurizer = tmp_path / "head.json", tmp_path / "featurize.py"
    own = {k: v for k, v in HEAD.items() if k != "cost_model"}
    space_file.write_text(json.dumps(dict(own, featurizer={"name": "padded", "count": 3})))
    featurizer.write_text(
        "import json, sys\nfor line in sys.stdin:\n    u = json.loads(line)['units']\n"
        "    print(*(u + [0] * (3 - len(u))), flush=True)\n"
    )
    archs = '{"depth": 1, "units": [64]}\n{"depth": 2, "units": [256, 128]}\n'
    result = run("features", str(space_file), "--featurizer", f"padded={sys.executable} {featurizer}", stdin=archs)
    assert result.returncode == 0, result.stderr
    assert lines(result.stdout) == [[64, 0, 0], [256, 128, 0]]
    unbound = run("features", str(space_file), stdin=archs)
    assert unbound.returncode == STATUS_EXIT_BASE - llmnas.InvalidArgumentError.status
    assert "'padded', which is not bound" in unbound.stderr and "--featurizer NAME=COMMAND" in unbound.stderr


def test_predict_chooses_within_a_budget_and_calibrates(server, tmp_path):
    server.script()
    hat = llmnas.Space.builtin("hat-wmt14ende")
    archs = hat.sample(7, seed=5)
    demos = json.dumps([{"architecture": a, "score": 20 + hat.stats(a)["gflops"]} for a in archs[:6]])
    llm = json.dumps({"base_url": server.base_url, "model": "scripted", "backoff_seconds": 0.01})
    stdin = json.dumps(archs[6]) + "\n"
    result = run("predict", "hat-wmt14ende", "--llm", llm, "--demos", demos, "--choose", "6", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "llmnas predict: chose " in result.stderr and "cross-validated MAE" in result.stderr
    assert len(server.log()) <= 6 + 1, "the choice's 6 requests at most, and the prediction's one"
    assert lines(result.stdout)[0]["status"] == "OK"
    result = run("predict", "hat-wmt14ende", "--llm", llm, "--demos", demos, "--calibrate", "combined", stdin=stdin)
    assert result.returncode == 0 and '"kind": "combined"' in result.stderr, result.stderr


def test_eval_prints_the_protocols_table():
    result = run("eval", os.path.join(ROOT, "data", "llmpp-wmt"))
    assert result.returncode == 0 and "HAT supernet" in result.stdout and "Params least squares" in result.stdout
