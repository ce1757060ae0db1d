"""Ray runs the expensive parts of HS-NAS across a cluster: the host's estimator on a pool of actors, and LLM-PP
labelling fanned out over actors that share one response cache. Ray is an optional extra (`pip install
llmnas[ray]`); connect to a cluster with `ray.init(address=...)` or RAY_ADDRESS before calling these.

    search = llmnas.Search(space, config)                       # with "checkpoint" to make the driver restartable
    best = llmnas.ray.run_search(search, {"supernet": SupernetFactory("weights.pt")}, actors=4,
                                 resources={"num_gpus": 1})
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from ._types import Arch, JSONObject, Progress
from .errors import IncompleteError, InvalidArgumentError
from .llm import LLM

if TYPE_CHECKING:
    from .search import Search
    from .space import Space

try:
    import ray
except ImportError as _missing:  # pragma: no cover - exercised only without the extra
    raise ImportError("llmnas.ray needs Ray: pip install 'llmnas[ray]'") from _missing


class BatchFailed(IncompleteError):
    """Some candidates of a batch could not be scored because their actors died, even after Ray's restarts
    (LLMNAS_INCOMPLETE): `failures` lists (architecture, reason) pairs; the scores of the others are kept for the next
    attempt. An estimator that raised gives back its own exception instead, with the same `failures`."""

    def __init__(self, failures: List[Tuple[Arch, str]]) -> None:
        self.failures = failures
        super().__init__(
            f"{len(failures)} architectures could not be scored; the first: "
            f"{json.dumps(failures[0][0])}: {failures[0][1]}"
        )


@ray.remote
class _EstimatorActor:
    """Holds one host estimator, built once by its factory (a supernet loads its weights here), and scores batches."""

    def __init__(self, factory: Callable[[], Callable[[List[Arch]], Sequence[float]]]) -> None:
        self.estimator = factory()

    def score(self, candidates: List[Arch]) -> List[float]:
        return [float(s) for s in self.estimator(candidates)]


def _key(estimator: str, arch: Arch) -> str:
    """An architecture's key for one estimator's scores."""
    return estimator + " " + json.dumps(arch, sort_keys=True, separators=(",", ":"))


class _PartialScores:
    """Scores of the current batch that have arrived, kept in a JSON Lines file beside the checkpoint so that a
    restarted driver re-submits only the candidates that had none. Emptied once the batch is told."""

    def __init__(self, path: Optional[str]) -> None:
        self.path = path
        self.scores: Dict[str, float] = {}
        if path and os.path.exists(path):
            with open(path) as f:
                for line in f:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        break  # a line cut by a crash: what follows it was never written whole
                    self.scores[record["key"]] = record["score"]

    def add(self, estimator: str, archs: List[Arch], scores: Sequence[float]) -> None:
        for arch, score in zip(archs, scores):
            self.scores[_key(estimator, arch)] = score
        if self.path:
            with open(self.path, "a") as f:
                for arch, score in zip(archs, scores):
                    f.write(json.dumps({"key": _key(estimator, arch), "score": score}) + "\n")
                f.flush()
                os.fsync(f.fileno())

    def clear(self) -> None:
        self.scores = {}
        if self.path and os.path.exists(self.path):
            os.remove(self.path)


def run_search(
    search: Search,
    estimators: Mapping[str, Callable[[], Callable[[List[Arch]], Sequence[float]]]],
    actors: int = 2,
    resources: Optional[Dict[str, Any]] = None,
    max_retries: int = 3,
    chunk_size: Optional[int] = None,
    progress: Progress = None,
) -> JSONObject:
    """Runs `search` (an llmnas.Search) to its end with its host estimators on Ray actors and returns the best
    architecture's record.

    estimators: {name: factory}, one per host estimator of the config; `factory()` runs inside each actor and returns
    a callable scoring a list of architectures (dicts). Each estimator gets a pool of `actors` actors with Ray
    `resources` (e.g. {"num_gpus": 1}); each batch is split into chunks (`chunk_size`, by default even shares)
    scored in parallel and told back in the order asked. Ray restarts a dead actor and retries its chunk up to
    `max_retries` times; a chunk that still fails raises BatchFailed naming the architectures. With a "checkpoint"
    in the search's config, scores of a batch in progress are kept beside it, so a driver killed and started again
    (Search.resume) re-submits only the candidates that had none. `progress` as Search.run.
    """
    options = dict(resources or {})
    # Ray adds .options and .remote to the classes it decorates; a type checker does not see them.
    pools = {
        name: [
            _EstimatorActor.options(max_restarts=max_retries, max_task_retries=max_retries, **options).remote(factory)  # type: ignore[attr-defined]
            for _ in range(actors)
        ]
        for name, factory in estimators.items()
    }
    checkpoint = search.checkpoint_path
    partial = _PartialScores(checkpoint + ".partial.jsonl" if checkpoint else None)

    first = True

    def score(estimator: str, candidates: List[Arch]) -> List[float]:
        nonlocal first
        if not first:
            partial.clear()  # the previous batch has been told: its scores are in the checkpoint now
        first = False
        _score_batch(estimator, candidates, pools[estimator], partial, chunk_size)
        return [partial.scores[_key(estimator, arch)] for arch in candidates]

    def serving(name: str) -> Callable[[List[Arch]], List[float]]:
        return lambda candidates: score(name, candidates)

    best = search.run({name: serving(name) for name in pools}, progress)
    partial.clear()
    return best


def _score_batch(
    estimator: str, candidates: List[Arch], pool: List[Any], partial: _PartialScores, chunk_size: Optional[int]
) -> None:
    """Scores the candidates that have no score yet on the actor pool, recording each chunk as it arrives."""
    todo = [arch for arch in candidates if _key(estimator, arch) not in partial.scores]
    if not todo:
        return
    size = chunk_size or max(1, -(-len(todo) // len(pool)))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    pending = {pool[i % len(pool)].score.remote(chunk): chunk for i, chunk in enumerate(chunks)}
    failures, first = [], None
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        chunk = pending.pop(done[0])
        try:
            scores = ray.get(done[0])
            if len(scores) != len(chunk) or not np.all(np.isfinite(scores)):
                raise ValueError(
                    f"the estimator returned {len(scores)} scores for {len(chunk)} architectures, "
                    "or a score that is not finite"
                )
            partial.add(estimator, chunk, scores)
        except Exception as exc:  # an actor that died past its restarts, or an estimator that raised
            failures += [(arch, f"{type(exc).__name__}: {exc}") for arch in chunk]
            first = first or exc
    if isinstance(first, ray.exceptions.RayTaskError):
        # The estimator raised: its exception reaches the caller as itself (Ray's error is an instance of the
        # estimator's own exception type and carries the remote traceback), after every chunk of the batch has come
        # back and the scores that did are kept. It also lists what could not be scored.
        setattr(first, "failures", failures)  # noqa: B010 - Ray's error class declares no such attribute
        raise first
    if failures:
        # Actors died past their restarts: no exception of the estimator's to give back.
        raise BatchFailed(failures) from first


@ray.remote
class _LabellerActor:
    """One LLM client (own connections, shared cache file) labelling its share of the architectures."""

    def __init__(self, llm_options: Dict[str, Any]) -> None:
        self.llm = LLM(**llm_options)

    def ready(self) -> bool:
        return True

    def label(
        self, space_json: JSONObject, archs: List[Arch], demos: Any, task: Any
    ) -> Tuple[List[float], List[int], JSONObject]:
        from .space import Space

        space = Space.from_json(space_json)
        scores, _, _, _, statuses, _ = self.llm.predict_items(space, archs, demos, task=task)  # statuses say it all
        return [float(s) for s in scores], [int(s) for s in statuses], self.llm.usage


def label_llmpp(
    space: Space,
    archs: List[Arch],
    demos: Any,
    llm_options: Dict[str, Any],
    actors: int = 2,
    max_in_flight: int = 8,
    task: Any = None,
) -> Tuple[np.ndarray, np.ndarray, Dict[str, Any]]:
    """LLM-PP labels for `archs` fanned out over `actors` Ray actors, each with its own client built from
    `llm_options` (llmnas.LLM keyword arguments; give a "cache_file" on storage every actor sees, so that no
    architecture is ever paid twice, in this run or the next). At most `max_in_flight` requests are in flight over
    all actors together. Equal architectures are labelled once. Returns (scores, statuses, usage): NumPy arrays in
    the order of `archs` (NaN and a status for failed items) and the actors' ledgers added into one."""
    if max_in_flight < actors:
        raise InvalidArgumentError(f"max_in_flight ({max_in_flight}) must allow one request per actor ({actors})")
    unique, seen = [], set()
    for arch in archs:
        if _key("llmpp", arch) not in seen:
            seen.add(_key("llmpp", arch))
            unique.append(arch)
    shares = [max_in_flight // actors + (1 if i < max_in_flight % actors else 0) for i in range(actors)]
    # (Ray adds .remote to the class, as above.)
    pool = [_LabellerActor.remote(dict(llm_options, max_concurrency=share)) for share in shares]  # type: ignore[attr-defined]
    ray.get([actor.ready.remote() for actor in pool])  # every actor has read the cache before any writes to it
    space_json = space.to_json()
    parts = [unique[i::actors] for i in range(actors)]
    results = ray.get([actor.label.remote(space_json, part, demos, task) for actor, part in zip(pool, parts) if part])
    scores: Dict[str, float] = {}
    statuses: Dict[str, int] = {}
    usage: Dict[str, Any] = {}
    for part, (part_scores, part_statuses, ledger) in zip([p for p in parts if p], results):
        for arch, score, status in zip(part, part_scores, part_statuses):
            scores[_key("llmpp", arch)], statuses[_key("llmpp", arch)] = score, status
        for name, value in ledger.items():
            if isinstance(value, dict):  # failures_by_status: counts by status name
                merged = usage.setdefault(name, {})
                for status, count in value.items():
                    merged[status] = merged.get(status, 0) + count
            else:
                usage[name] = usage.get(name, 0) + value
    for actor in pool:
        ray.kill(actor)
    return (
        np.array([scores[_key("llmpp", a)] for a in archs]),
        np.array([statuses[_key("llmpp", a)] for a in archs], dtype=np.intc),
        usage,
    )
