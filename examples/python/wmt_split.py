"""The paper's WMT splits (Jawahar et al., 2024) in data/llmpp-wmt: for a task and split seed, the 10 demonstration
("train") or 20 test architectures with their BLEU trained from scratch (scratch_valid_bleu, the protocol's truth)."""

import csv
import json
import os

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "llmpp-wmt")


def split(part, task="wmt14ende", seed=123):
    """[{"architecture", "score"}] of the `part` ("train" or "test") of `task`'s split `seed`, in the file's order."""
    with open(os.path.join(DATA, "labeled.csv"), newline="") as f:
        rows = {r["arch_id"]: r for r in csv.DictReader(f) if r["task"] == task}
    with open(os.path.join(DATA, "splits.csv"), newline="") as f:
        ids = [
            r["arch_id"]
            for r in csv.DictReader(f)
            if r["task"] == task and r["split_seed"] == str(seed) and r["split"] == part
        ]
    return [
        {"architecture": json.loads(rows[a]["arch_json"]), "score": float(rows[a]["scratch_valid_bleu"])} for a in ids
    ]
