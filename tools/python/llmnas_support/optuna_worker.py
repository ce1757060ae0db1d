"""The processes of the Optuna tests (bindings/python/tests/test_optuna.py): a worker of a study on a shared
storage, and the objective of the Ray Tune run, in a module Ray's workers import by name.

    python -m llmnas_support.optuna_worker STORAGE_URL STUDY SEED TRIALS LOG [HANG_AT]

The worker logs "started N" when its trial N starts and "done N" when it ends, each line flushed to disk; with
HANG_AT it sleeps without end in its HANG_AT-th trial, after logging "hanging N", to be killed."""

import os
import sys
import time

LINKS = ["0-0-0-0", "0-0-1-2", "0-1-1-1", "0-1-2-3"]
OPS = ["gcn", "gin", "gat", "fc", "skip"]


def value(link, ops):
    """A smooth score of a small graph-network space: gcn counts, gin half, the chain adds a bonus."""
    return ops.count("gcn") + 0.5 * ops.count("gin") + (0.7 if link == "0-1-2-3" else 0.0)


def tune_objective(config):
    """Ray Tune's trainable: the score of the configuration it was given."""
    return {"value": value(config["link"], [config[f"op{i}"] for i in range(3)])}


def main():
    import optuna

    import llmnas.optuna

    url, name, seed, trials, log = sys.argv[1:6]
    hang_at = int(sys.argv[6]) if len(sys.argv) > 6 else None
    storage = optuna.storages.RDBStorage(url, heartbeat_interval=1, grace_period=2)
    study = optuna.load_study(study_name=name, storage=storage, sampler=llmnas.optuna.LLMNASSampler(seed=int(seed)))
    count = [0]

    def write(line):
        with open(log, "a") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())

    def objective(trial):
        count[0] += 1
        write(f"started {trial.number}")
        link = trial.suggest_categorical("link", LINKS)
        ops = [trial.suggest_categorical(f"op{i}", OPS) for i in range(3)]
        if count[0] == hang_at:
            write(f"hanging {trial.number}")
            time.sleep(3600)
        time.sleep(0.2)
        write(f"done {trial.number}")
        return value(link, ops)

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study.optimize(objective, n_trials=int(trials))


if __name__ == "__main__":
    main()
