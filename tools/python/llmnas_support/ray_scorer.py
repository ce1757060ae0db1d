"""The host estimator of the Ray tests (bindings/python/tests/test_ray.py): a module Ray's workers can import by
name, so an actor can be built from it in any process of the cluster."""

import json
import os
import time


def logged(path):
    """How many whole lines (ended by a newline) the file at `path` holds: 0 when it does not exist yet."""
    if not os.path.exists(path):
        return 0
    with open(path) as f:
        return f.read().count("\n")


def score(arch):
    return arch["ops"].count("gcn") + 0.37 * arch["ops"].count("gin") + (0.5 if arch["link"] == "0-1-2-3" else 0.0)


class Scorer:
    """A host estimator built inside each actor; with `die_once`, the first actor to score a batch kills its own
    process (once across all actors: a marker file says it happened). With `hang_from`, a call that finds that many
    architectures in the `log` already sleeps (ten minutes at most) instead of scoring, so that a driver killed then
    has a batch in progress for certain."""

    def __init__(self, die_once=None, log=None, fail_on=None, delay=0.0, hang_from=None):
        if hang_from is not None and log is None:
            raise ValueError("hang_from counts the architectures in the log: give the log too")
        self.die_once, self.log, self.fail_on, self.delay = die_once, log, fail_on, delay
        self.hang_from = hang_from

    def __call__(self, candidates):
        if self.die_once and not os.path.exists(self.die_once):
            open(self.die_once, "w").close()
            os._exit(1)
        if self.fail_on and any(a["link"] == self.fail_on for a in candidates):
            raise RuntimeError("this estimator cannot score link " + self.fail_on)
        if self.hang_from is not None and logged(self.log) >= self.hang_from:
            time.sleep(600)
        time.sleep(self.delay * len(candidates))
        if self.log:
            with open(self.log, "a") as f:
                f.writelines(json.dumps(a, sort_keys=True) + "\n" for a in candidates)
        return [score(a) for a in candidates]


class Dying:
    """A host estimator whose actor process dies at every batch."""

    def __call__(self, candidates):
        os._exit(1)
