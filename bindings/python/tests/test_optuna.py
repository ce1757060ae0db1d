"""llmnas.optuna.LLMNASSampler with the real Optuna: the kinds of parameters, both directions, the independent
sampler, determinism, warm starts, constraints, an LLM prior against the scripted server, two worker processes on
one SQLite storage with one killed mid-trial, and Ray Tune's OptunaSearch on a local Ray cluster."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import llmnas
from llmnas.screen import told
from llmnas_support import ROOT
from llmnas_support.optuna_worker import LINKS, OPS, tune_objective, value

optuna = pytest.importorskip("optuna")
import llmnas.optuna  # noqa: E402
from llmnas.optuna import LLMNASSampler  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)
WIDTHS = [32, 64, 128, 256, 512]


def mixed(trial):
    """Categorical, integer and stepped-float parameters; the best is layers 5, width 256, gelu, dropout 0.2."""
    layers = trial.suggest_int("layers", 1, 8)
    width = trial.suggest_categorical("width", WIDTHS)
    activation = trial.suggest_categorical("activation", ["relu", "gelu", "swish", None])
    dropout = trial.suggest_float("dropout", 0.0, 0.5, step=0.1)
    return -((layers - 5) ** 2) - abs(WIDTHS.index(width) - 3) - (activation != "gelu") - 10 * abs(dropout - 0.2)


def params_of(study):
    return [t.params for t in study.trials]


def test_categorical_integer_and_stepped_float_parameters_reach_the_optimum():
    study = optuna.create_study(direction="maximize", sampler=LLMNASSampler(seed=1))
    study.optimize(mixed, n_trials=40)
    assert study.best_value == pytest.approx(0.0), "40 trials of 960 combinations find the best"
    keys = [json.dumps(p, sort_keys=True) for p in params_of(study)]
    assert len(set(keys)) == len(keys), "no combination is proposed twice"
    assert {round(p["dropout"], 6) for p in params_of(study)} <= {0.0, 0.1, 0.2, 0.3, 0.4, 0.5}


def test_the_screen_proposes_from_the_whole_space_and_refuses_a_bad_count():
    screen = llmnas.Screen(llmnas.Space.builtin("nas-bench-graph"), seed=1)
    assert screen.pool == {"size": 26206, "enumerated": True}
    first = screen.choose([], count=3)
    scored = [(p["architecture"], 0.5) for p in first[:2]]
    proposals = screen.choose(scored, count=4, exclude=[first[2]["architecture"]])
    held = [p["architecture"] for p in first]
    assert len(proposals) == 4 and not any(p["architecture"] in held for p in proposals)
    with pytest.raises(llmnas.InvalidArgumentError, match="count"):
        screen.choose(scored, count=0)


def test_scores_told_as_text_a_score_at_a_time_propose_as_the_pairs_do():
    space = llmnas.Space.builtin("nas-bench-graph")
    pairs = [(arch, float(i % 7) / 3) for i, arch in enumerate(space.sample(60, seed=4))]
    by_pairs, by_text = llmnas.Screen(space, seed=2), llmnas.Screen(space, seed=2)
    items = [told(json.dumps(arch), score) for arch, score in pairs]
    for n in (1, 20, 21, 40, 60, 35):  # growing, then cut short: read from where the texts part
        expected = by_pairs.choose(pairs[:n], count=3)
        assert by_text.choose(b"[" + b",".join(items[:n]) + b"]", count=3) == expected
    with pytest.raises(llmnas.MalformedJSONError):
        by_text.choose(b"[" + b",".join(items[:5]) + b",]")
    with pytest.raises(llmnas.MalformedJSONError):
        by_text.choose([(pairs[0][0], float("nan"))])


def test_minimizing_the_negated_objective_proposes_the_same_trials():
    high = optuna.create_study(direction="maximize", sampler=LLMNASSampler(seed=2))
    high.optimize(mixed, n_trials=15)
    low = optuna.create_study(direction="minimize", sampler=LLMNASSampler(seed=2))
    low.optimize(lambda t: -mixed(t), n_trials=15)
    assert params_of(high) == params_of(low)


def test_a_seed_makes_the_study_deterministic_and_another_seed_differs():
    runs = []
    for seed in (3, 3, 4):
        study = optuna.create_study(direction="maximize", sampler=LLMNASSampler(seed=seed))
        study.optimize(mixed, n_trials=12)
        runs.append(params_of(study))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


class Counting(optuna.samplers.RandomSampler):
    """A random sampler that counts the parameters it was asked for."""

    def __init__(self, seed):
        super().__init__(seed=seed)
        self.asked = []

    def sample_independent(self, study, trial, name, distribution):
        self.asked.append((trial.number, name))
        return super().sample_independent(study, trial, name, distribution)


def test_a_parameter_it_cannot_model_goes_to_the_independent_sampler():
    counting = Counting(seed=5)
    study = optuna.create_study(direction="maximize", sampler=LLMNASSampler(seed=5, independent_sampler=counting))

    def objective(trial):
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)  # continuous: not modelled
        return mixed(trial) - abs(lr - 0.01)

    study.optimize(objective, n_trials=8)
    after_first = {name for number, name in counting.asked if number > 0}
    assert after_first == {"lr"}, "after the first trial only the continuous parameter is sampled independently"
    first = {name for number, name in counting.asked if number == 0}
    assert first == {"lr", "layers", "width", "activation", "dropout"}, "the first trial is independent throughout"


def test_enqueued_trials_warm_start_the_study_and_are_not_proposed_again():
    study = optuna.create_study(direction="maximize", sampler=LLMNASSampler(seed=6))
    good = [
        {"layers": 5, "width": 256, "activation": "gelu", "dropout": 0.3},
        {"layers": 4, "width": 256, "activation": "gelu", "dropout": 0.2},
    ]
    for params in good:
        study.enqueue_trial(params)
    study.optimize(mixed, n_trials=10)
    assert params_of(study)[:2] == good
    later = [json.dumps(p, sort_keys=True) for p in params_of(study)[2:]]
    assert not {json.dumps(p, sort_keys=True) for p in good} & set(later)
    assert study.best_value == pytest.approx(0.0), "from the warm start the next trials find the best at once"


def test_constraints_func_is_recorded_and_steers_the_search_to_feasible_trials():
    def constraints(trial):
        return (trial.params["width"] - 128,)  # feasible: width at most 128

    sampler = LLMNASSampler(seed=7, constraints_func=constraints)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    study.optimize(mixed, n_trials=30)
    assert all(t.system_attrs["constraints"] == (t.params["width"] - 128,) for t in study.trials)
    feasible = [t for t in study.trials[10:] if t.params["width"] <= 128]
    assert len(feasible) >= 16, f"the infeasible region is avoided: {len(feasible)} of 20 feasible"


def test_a_multi_objective_study_is_refused_naming_the_alternatives():
    study = optuna.create_study(directions=["maximize", "minimize"], sampler=LLMNASSampler(seed=0))
    with pytest.raises(ValueError, match="NSGAIISampler"):
        study.optimize(lambda t: (mixed(t), 0.0), n_trials=1)


def test_trials_chosen_at_the_same_time_take_different_proposals():
    study = optuna.create_study(direction="maximize", sampler=LLMNASSampler(seed=8))
    study.optimize(mixed, n_trials=6)
    first, second = study.ask(), study.ask()  # both running, neither has params yet
    for trial in (second, first):  # the later one chooses first
        mixed(trial)
    assert first.params != second.params


def test_an_llm_prior_from_the_scripted_server_guides_the_trials_after_the_demonstrations(server):
    # The scripted LLM rates the chain (link 0-1-2-3) high; the warm start never shows it.
    server.script([{"match": "link: 0-1-2-3", "answer": "3.5"}, {"answer": "1.0"}])
    before = len(server.log())
    llm = llmnas.LLM(base_url=server.base_url, model="scripted", backoff_seconds=0.01)
    sampler = LLMNASSampler(seed=9, llm=llm, task="node classification; the value is a graph network's score")
    study = optuna.create_study(direction="maximize", sampler=sampler)
    for i in range(llmnas.optuna.LLM_DEMONSTRATIONS):
        study.enqueue_trial({"link": LINKS[i % 3], "op0": OPS[i % 5], "op1": OPS[(i + 1) % 5], "op2": "fc"})

    def objective(trial):
        link = trial.suggest_categorical("link", LINKS)
        return value(link, [trial.suggest_categorical(f"op{i}", OPS) for i in range(3)])

    study.optimize(objective, n_trials=llmnas.optuna.LLM_DEMONSTRATIONS + 1)
    labelled = len(server.log()) - before
    assert 20 <= labelled <= llmnas.optuna.LLM_LABELS, "LLM-PP labelled the pool (a label asked twice is cached)"
    assert study.trials[-1].params["link"] == "0-1-2-3", "the prior proposes the link the LLM rates highest"
    study.optimize(objective, n_trials=3)
    assert len(server.log()) - before == labelled, "the prior is distilled once"


def test_two_workers_on_one_sqlite_storage_one_killed_mid_trial_lose_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    storage = optuna.storages.RDBStorage(url, heartbeat_interval=1, grace_period=2)
    optuna.create_study(study_name="shared", storage=storage, direction="maximize")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    logs = [str(tmp_path / "a.log"), str(tmp_path / "b.log")]
    worker = [sys.executable, "-m", "llmnas_support.optuna_worker", url, "shared"]
    a = subprocess.Popen(worker + ["1", "20", logs[0], "3"], env=env)
    b = subprocess.Popen(worker + ["2", "25", logs[1]], env=env)
    deadline = time.time() + 120
    while not (os.path.exists(logs[0]) and "hanging" in open(logs[0]).read()):
        assert time.time() < deadline and a.poll() is None, "worker a reaches its third trial"
        time.sleep(0.05)
    a.send_signal(signal.SIGKILL)
    a.wait()
    assert b.wait(timeout=300) == 0
    started = {}
    for who, log in zip("ab", logs):
        for line in open(log):
            event, number = line.split()
            if event == "started":
                assert int(number) not in started, "no trial number was handed out twice"
                started[int(number)] = who
    hanging = int(open(logs[0]).read().split("hanging ")[1].split()[0])
    trials = optuna.load_study(study_name="shared", storage=url).get_trials(deepcopy=False)
    assert sorted(t.number for t in trials) == sorted(started), "every trial a worker started is held, once"
    states = {t.number: t.state for t in trials}
    assert states.pop(hanging) == optuna.trial.TrialState.FAIL, "the heartbeat failed the killed worker's trial"
    assert set(states.values()) == {optuna.trial.TrialState.COMPLETE}
    assert sum(1 for who in started.values() if who == "b") == 25, "the surviving worker ran all its trials"


def test_ray_tune_runs_the_sampler_through_optuna_search():
    ray = pytest.importorskip("ray")
    from ray import tune
    from ray.tune.search.optuna import OptunaSearch

    space = {"link": optuna.distributions.CategoricalDistribution(LINKS)}
    space.update({f"op{i}": optuna.distributions.CategoricalDistribution(OPS) for i in range(3)})
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        search = OptunaSearch(space=space, sampler=LLMNASSampler(seed=10), metric="value", mode="max")
        tuner = tune.Tuner(
            tune_objective,
            tune_config=tune.TuneConfig(search_alg=search, num_samples=16, max_concurrent_trials=2),
            run_config=tune.RunConfig(verbose=0),
        )
        results = tuner.fit()
    finally:
        ray.shutdown()
    assert len(results) == 16 and not results.errors
    configs = [json.dumps(r.config, sort_keys=True) for r in results]
    assert len(set(configs)) == 16, "no configuration is tried twice"
    best = results.get_best_result(metric="value", mode="max").metrics["value"]
    assert best >= 3.7, f"16 trials of 500 find three gcn operations with the chain or close to it: {best}"


def test_the_optunahub_packages_load_and_the_sampler_solves_the_benchmark_problem():
    optunahub = pytest.importorskip("optunahub")
    registry = os.path.join(ROOT, "optunahub", "package")
    hub_sampler = optunahub.load_local_module("samplers/llmnas", registry_root=registry)
    benchmark = optunahub.load_local_module("benchmarks/nas_bench_graph", registry_root=registry)
    problem = benchmark.Problem(dataset="citeseer", data_dir=os.path.join(ROOT, "data", "nas-bench-graph"))
    assert hub_sampler.LLMNASSampler is LLMNASSampler
    assert list(problem.search_space) == ["link", "op0", "op1", "op2", "op3"]
    study = optuna.create_study(directions=problem.directions, sampler=hub_sampler.LLMNASSampler(seed=0))
    study.optimize(problem, n_trials=60)
    random = optuna.create_study(directions=problem.directions, sampler=optuna.samplers.RandomSampler(seed=0))
    random.optimize(problem, n_trials=60)
    assert problem.best_valid - study.best_value < problem.best_valid - random.best_value
    best = study.best_trial.params
    assert 0 < problem.test_accuracy(best) <= problem.best_test
    for name in ("samplers/llmnas", "benchmarks/nas_bench_graph"):
        readme = open(os.path.join(registry, name, "README.md")).read()
        front = readme.split("---")[1]
        for key in ("author:", "title:", "description:", "tags:", "optuna_versions:", "license:"):
            assert key in front, f"{name}'s README front matter names {key}"
        for file in ("__init__.py", "example.py", "LICENSE", "requirements.txt"):
            assert os.path.exists(os.path.join(registry, name, file))
