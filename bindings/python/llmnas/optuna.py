"""An Optuna sampler driven by llmnas's whole-space screen, so that studies searching architectures (or any other
categorical, integer or stepped space) get a Gaussian process over the whole space and, optionally, an LLM's
judgement as its prior. Optuna is an optional extra (`pip install 'llmnas[optuna]'`).

    study = optuna.create_study(direction="maximize", sampler=llmnas.optuna.LLMNASSampler(seed=1))
    study.optimize(objective, n_trials=100)

Ray Tune takes it through `ray.tune.search.optuna.OptunaSearch(sampler=LLMNASSampler(...))`.
"""

from __future__ import annotations

import json
import math
import random
import threading
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from ._types import Arch
from .llm import LLM
from .mlp import MLP, latency_predictor
from .screen import Screen, told
from .space import Space

try:
    import optuna
    from optuna.distributions import BaseDistribution, CategoricalDistribution, FloatDistribution, IntDistribution
    from optuna.samplers import BaseSampler, RandomSampler
    from optuna.search_space import IntersectionSearchSpace
    from optuna.study import Study, StudyDirection
    from optuna.trial import FrozenTrial, TrialState
except ImportError as _missing:  # pragma: no cover - exercised only without the extra
    raise ImportError("llmnas.optuna needs Optuna: pip install 'llmnas[optuna]'") from _missing

#: A parameter with more values than this is left to the independent sampler.
MAX_CHOICES = 1000
#: The trial system attribute Optuna's samplers keep `constraints_func`'s values under (TPE and NSGA-II read it).
CONSTRAINTS_KEY = "constraints"
#: With an LLM: the first completed trials shown to it as demonstrations, how many architectures it labels, and the
#: pool they are drawn from (the paper's LLM-Distill-PP, as benchmarks/bench_search.py measures it).
LLM_DEMONSTRATIONS = 10
LLM_LABELS = 30
LLM_POOL = 200
#: How the prior MLP is distilled from the labels.
PRIOR_TRAIN = {"hidden": [64, 64], "steps": 500, "learning_rate": 1e-3}

_logger = optuna.logging.get_logger(__name__)


def _choices(distribution: BaseDistribution) -> Optional[List[Any]]:
    """The values a distribution can take, in order, or None when the sampler cannot model it (a float without a
    step, or more than MAX_CHOICES values)."""
    if isinstance(distribution, CategoricalDistribution):
        values = list(distribution.choices)
    elif isinstance(distribution, IntDistribution):
        step = 1 if distribution.log else distribution.step
        count = (distribution.high - distribution.low) // step + 1
        if count > MAX_CHOICES:
            return None
        values = [distribution.low + k * step for k in range(count)]
    elif isinstance(distribution, FloatDistribution) and distribution.step is not None:
        count = int(round((distribution.high - distribution.low) / distribution.step)) + 1
        if count > MAX_CHOICES:
            return None
        values = [min(distribution.low + k * distribution.step, distribution.high) for k in range(count)]
    else:
        return None
    return values if len(values) <= MAX_CHOICES else None


def _labels(values: List[Any]) -> List[Any]:
    """The choices of an llmnas hyperparameter standing for `values`: the numbers themselves when all are numbers, the
    strings when all are strings, else each value's repr (None, booleans and mixed kinds)."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values):
        if len({float(v) for v in values}) == len(values):
            return list(values)
    if all(isinstance(v, str) for v in values):
        return list(values)
    return [repr(v) for v in values]


def _key(label: Any) -> Tuple[str, Any]:
    """A choice as the library compares it: a number by its value (it writes 2.0 as 2), a string as itself."""
    return ("s", label) if isinstance(label, str) else ("n", float(label))


class _Encoding:
    """The llmnas space standing for an Optuna relative search space: one hyperparameter per parameter, in name
    order, whose choices stand for the parameter's values; and the two ways between trials' params and
    architectures."""

    def __init__(self, search_space: Mapping[str, BaseDistribution]) -> None:
        self.names = sorted(search_space)
        self.distributions = {name: search_space[name] for name in self.names}
        self.values = {name: _choices(search_space[name]) or [] for name in self.names}
        self.labels = {name: _labels(self.values[name]) for name in self.names}
        self._index = {name: {_key(label): i for i, label in enumerate(self.labels[name])} for name in self.names}
        self.key = json.dumps([[name, str(search_space[name])] for name in self.names])

    def space(self, task: str, meanings: Mapping[str, str], low: float, high: float, maximize: bool) -> Space:
        """The llmnas space, its metric the objective's value from `low` to `high`."""
        decimals = max(0, min(9, 2 - int(math.floor(math.log10(max(high - low, 1e-9))))))
        return Space.from_json(
            {
                "name": "optuna-study",
                "task": task,
                "metric": {
                    "name": "objective value",
                    "higher_is_better": maximize,
                    "min": low,
                    "max": high,
                    "decimals": decimals,
                },
                "hyperparameters": [
                    {
                        "name": name,
                        "meaning": meanings.get(name, f"the study's parameter '{name}'"),
                        "choices": self.labels[name],
                    }
                    for name in self.names
                ],
            }
        )

    def architecture(self, params: Mapping[str, Any]) -> Optional[Arch]:
        """The architecture of a trial's params, or None when one of the space's parameters is missing or holds a
        value outside its distribution."""
        arch: Arch = {}
        for name in self.names:
            if name not in params:
                return None
            distribution = self.distributions[name]
            value = params[name]
            if isinstance(distribution, CategoricalDistribution):
                if value not in distribution.choices:
                    return None
                index = distribution.choices.index(value)
            else:
                assert isinstance(distribution, (IntDistribution, FloatDistribution)) and distribution.step is not None
                step = 1 if isinstance(distribution, IntDistribution) and distribution.log else distribution.step
                index = int(round((value - distribution.low) / step))
                if not 0 <= index < len(self.values[name]):
                    return None
            arch[name] = self.labels[name][index]
        return arch

    def params(self, arch: Arch) -> Dict[str, Any]:
        """The params (external values) of an architecture of the space."""
        return {name: self.values[name][self._index[name][_key(arch[name])]] for name in self.names}


def _constraint_values(trial: FrozenTrial) -> Sequence[float]:
    """A trial's constraint values: those `constraints_func` stored, and those the objective set with Optuna 5's
    `trial.set_constraint` (FrozenTrial.constraints reads both)."""
    if hasattr(trial, "constraints"):
        return list(trial.constraints.values())
    return list(trial.system_attrs.get(CONSTRAINTS_KEY, ()))


def _refuse_multi_objective(study: Study) -> None:
    if len(study.directions) > 1:
        raise ValueError(
            "LLMNASSampler optimizes a single objective; for a multi-objective study use "
            "optuna.samplers.NSGAIISampler or optuna.samplers.TPESampler"
        )


class LLMNASSampler(BaseSampler):
    """An Optuna sampler that proposes each trial with llmnas's whole-space Gaussian-process screen.

    It derives an llmnas space from the study's relative search space (the parameters every completed trial has,
    as Optuna's multivariate samplers do): categorical parameters, integers, and floats with a `step`, each of at
    most MAX_CHOICES values. The completed trials are its scores (maximized or minimized as the study says); it
    proposes the best architecture of the space (all of it when it has at most 100,000 combinations, else a seeded
    sample of 100,000) that no trial holds yet, running or waiting trials included, so workers sharing a storage do
    not propose the same one. It keeps nothing outside the study but caches of what follows from it, so any number
    of processes on one storage cooperate. The first trial, and every parameter it cannot model (a float without a
    step, an integer or float of more than MAX_CHOICES values, a parameter outside the relative space), are drawn by
    `independent_sampler` (default: `optuna.samplers.RandomSampler` with the same seed).

    Args:
        seed: Makes the sampler deterministic for a given sequence of trials (default: drawn at random).
        independent_sampler: The sampler of what the screen does not model (above).
        constraints_func: Optuna's convention (as TPESampler and NSGAIISampler take it): a function of a finished
            trial returning a sequence of floats, feasible when all are at most 0; stored under the trial's
            "constraints" system attribute. An infeasible trial's value (by these or by constraints the objective
            set with `trial.set_constraint`) counts as worse than every value seen.
        llm: An `llmnas.LLM`. Once LLM_DEMONSTRATIONS trials have completed, LLM-PP shown them as demonstrations
            labels LLM_LABELS architectures of a pool of LLM_POOL, an MLP is distilled from the labels
            (LLM-Distill-PP) and becomes the Gaussian process's prior mean, which the scores overrule as they
            accumulate. The client's budget, cache and ledger (`llm.usage`) apply.
        task: What the study's objective measures, one paragraph: the prompt's task description.
        meanings: {parameter: what it controls}, shown to the LLM (default: the parameter's name).
        exploration: Posterior standard deviations added to the mean (0: the best mean).
    """

    def __init__(
        self,
        *,
        seed: Optional[int] = None,
        independent_sampler: Optional[BaseSampler] = None,
        constraints_func: Optional[Callable[[FrozenTrial], Sequence[float]]] = None,
        llm: Optional[LLM] = None,
        task: str = "an Optuna study's objective",
        meanings: Optional[Mapping[str, str]] = None,
        exploration: float = 1.0,
    ) -> None:
        self._seed = seed if seed is not None else random.SystemRandom().randrange(2**63)
        self._independent = independent_sampler or RandomSampler(seed=seed)
        self._constraints_func = constraints_func
        self._llm = llm
        self._task = task
        self._meanings = dict(meanings or {})
        self._exploration = exploration
        self._intersection = IntersectionSearchSpace(include_pruned=True)
        self._reset_caches()

    def _reset_caches(self) -> None:
        # Screens (their pools), priors and completed trials read, by what they follow from: caches, never state.
        self._screens: Dict[Tuple[str, bool, str], Screen] = {}
        self._priors: Dict[str, Optional[MLP]] = {}
        self._completed: Dict[Tuple[str, int], Dict[int, Optional[Tuple[Arch, bytes, float, bool]]]] = {}
        self._warned: set = set()
        self._lock = threading.Lock()

    def __getstate__(self) -> Dict[str, Any]:
        # Ray Tune pickles its searcher: the caches hold library handles and a lock, and are rebuilt.
        state = dict(self.__dict__)
        for key in ("_screens", "_priors", "_completed", "_warned", "_lock"):
            state.pop(key)
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset_caches()

    def reseed_rng(self) -> None:
        self._independent.reseed_rng()

    def infer_relative_search_space(self, study: Study, trial: FrozenTrial) -> Dict[str, BaseDistribution]:
        _refuse_multi_objective(study)
        return {
            name: distribution
            for name, distribution in self._intersection.calculate(study).items()
            if not distribution.single() and _choices(distribution) is not None
        }

    def sample_relative(
        self, study: Study, trial: FrozenTrial, search_space: Dict[str, BaseDistribution]
    ) -> Dict[str, Any]:
        if not search_space:
            return {}
        encoding = _Encoding(search_space)
        maximize = study.direction == StudyDirection.MAXIMIZE
        scored = self._scored(study, encoding, maximize)
        pending, ahead = self._pending(study, trial, encoding)
        with self._lock:
            screen = self._screen(encoding, maximize, scored)
            proposals = screen.choose(b"[" + b",".join(item for _, _, item in scored) + b"]", ahead + 1, pending)
        return encoding.params(proposals[-1]["architecture"]) if len(proposals) > ahead else {}

    def sample_independent(
        self, study: Study, trial: FrozenTrial, param_name: str, param_distribution: BaseDistribution
    ) -> Any:
        if _choices(param_distribution) is None and param_name not in self._warned:
            self._warned.add(param_name)
            _logger.warning(
                f"LLMNASSampler cannot model parameter '{param_name}' ({param_distribution}): "
                f"{type(self._independent).__name__} samples it"
            )
        return self._independent.sample_independent(study, trial, param_name, param_distribution)

    def before_trial(self, study: Study, trial: FrozenTrial) -> None:
        _refuse_multi_objective(study)
        self._independent.before_trial(study, trial)

    def after_trial(
        self, study: Study, trial: FrozenTrial, state: TrialState, values: Optional[Sequence[float]]
    ) -> None:
        if self._constraints_func is not None and state in (TrialState.COMPLETE, TrialState.PRUNED):
            constraints = tuple(float(c) for c in self._constraints_func(trial))
            if any(math.isnan(c) for c in constraints):
                raise ValueError(f"constraints_func returned NaN for trial {trial.number}: {constraints}")
            study._storage.set_trial_system_attr(trial._trial_id, CONSTRAINTS_KEY, constraints)
        self._independent.after_trial(study, trial, state, values)

    def _scored(self, study: Study, encoding: _Encoding, maximize: bool) -> List[Tuple[Arch, float, bytes]]:
        """The completed trials inside the encoding, in number order, as (architecture, value, the pair as
        `Screen.choose` is told it); an infeasible one's value is set below (above, minimizing) every value seen."""
        trials = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        # A completed trial no longer changes: each is read once per encoding and storage.
        known = self._completed.setdefault((encoding.key, id(study._storage)), {})
        rows = []
        for t in sorted(trials, key=lambda t: t.number):
            if t._trial_id not in known:
                arch = encoding.architecture(t.params)
                value = t.value
                if arch is not None and value is not None and math.isfinite(value):
                    feasible = all(c <= 0 for c in _constraint_values(t))
                    known[t._trial_id] = (arch, told(arch, value), value, feasible)
                else:
                    known[t._trial_id] = None
            row = known[t._trial_id]
            if row is not None:
                rows.append(row)
        if all(feasible for _, _, _, feasible in rows):
            return [(arch, value, item) for arch, item, value, _ in rows]
        sign = 1.0 if maximize else -1.0
        goodness = [sign * value for _, _, value, _ in rows]
        worst, best = min(goodness), max(goodness)
        penalty = sign * (worst - 0.1 * (best - worst) - 1e-9)
        return [
            (arch, value, item) if feasible else (arch, penalty, told(arch, penalty))
            for arch, item, value, feasible in rows
        ]

    def _pending(self, study: Study, trial: FrozenTrial, encoding: _Encoding) -> Tuple[List[Arch], int]:
        """The architectures not to propose: those of the other trials running or waiting (an enqueued trial's fixed
        params), and of the trials pruned or failed, which have no value to learn from. And how many running trials
        of smaller number hold no params yet: another worker is choosing for each, from the same scores, so this
        trial takes the proposal after theirs."""
        pending = []
        ahead = 0
        states = (TrialState.RUNNING, TrialState.WAITING, TrialState.PRUNED, TrialState.FAIL)
        for other in study.get_trials(deepcopy=False, states=states):
            if other.number == trial.number:
                continue
            params = dict(other.system_attrs.get("fixed_params", {}), **other.params)
            arch = encoding.architecture(params)
            if arch is not None:
                pending.append(arch)
            elif other.state == TrialState.RUNNING and not params and other.number < trial.number:
                ahead += 1
        return pending, ahead

    def _screen(self, encoding: _Encoding, maximize: bool, scored: List[Tuple[Arch, float, bytes]]) -> Screen:
        """The screen of the encoding, with the LLM's prior once there are demonstrations enough."""
        prior, prior_key = self._prior(encoding, maximize, scored)
        key = (encoding.key, maximize, prior_key)
        if key not in self._screens:
            space = encoding.space(self._task, self._meanings, -1.0, 1.0, maximize)
            self._screens[key] = Screen(
                space, seed=self._seed, higher_is_better=maximize, exploration=self._exploration, prior=prior
            )
        return self._screens[key]

    def _prior(
        self, encoding: _Encoding, maximize: bool, scored: List[Tuple[Arch, float, bytes]]
    ) -> Tuple[Optional[MLP], str]:
        """The MLP distilled from LLM-PP labels given the first LLM_DEMONSTRATIONS scores, and what it follows from
        ("" for no prior: no LLM, or too few scores yet)."""
        if self._llm is None or len(scored) < LLM_DEMONSTRATIONS:
            return None, ""
        demos = [(arch, value) for arch, value, _ in scored[:LLM_DEMONSTRATIONS]]
        key = json.dumps([encoding.key, maximize, demos], sort_keys=True)
        if key not in self._priors:
            values = [v for _, v in demos]
            margin = (max(values) - min(values)) or 1.0
            space = encoding.space(self._task, self._meanings, min(values) - margin, max(values) + margin, maximize)
            pool = space.sample(LLM_POOL, seed=self._seed)
            model, _ = self._llm.distill(
                space, demos, pool, LLM_LABELS, seed=self._seed, task={"task": self._task}, mlp_config=PRIOR_TRAIN
            )
            self._priors[key] = model
        return self._priors[key], key


def latency_constraint(
    predictor: str, max_ms: float, architecture: Callable[[Mapping[str, Any]], Arch], space: Space
) -> Callable[[FrozenTrial], Tuple[float]]:
    """A `constraints_func` (Optuna's convention) holding a HAT architecture's predicted latency to `max_ms`: the
    built-in latency predictor `predictor` (`llmnas.latency_predictor_names()`) reads the features in `space` of
    `architecture(trial.params)`; the trial is feasible when its latency is at most `max_ms`."""
    model = latency_predictor(predictor)

    def constraints(trial: FrozenTrial) -> Tuple[float]:
        milliseconds = float(model.predict(space.features([architecture(trial.params)]))[0])
        return (milliseconds - max_ms,)

    return constraints
