"""ray_hsnas.py: HS-NAS on NAS-Bench-Graph with the expensive estimator on Ray actors.

The first 70% of the iterations are scored by an MLP distilled from 150 labels; the rest by the estimator, here the
table's validation accuracy looked up by actors that each load the table once (as a supernet would load its weights).
The same search runs once in this process and once on Ray; both give the same result for the same seed.

One machine:   python examples/python/ray_hsnas.py                 (starts a local Ray instance)
A cluster:     on the head node `ray start --head --port=6379`; on every other node
               `ray start --address=HEAD_IP:6379`; then on the driver `RAY_ADDRESS=HEAD_IP:6379 python ray_hsnas.py`
               (ray.init() joins the cluster RAY_ADDRESS names; data/ must be readable on every node).
"""

import argparse
import time

import ray

import llmnas
import llmnas.ray

from llmnas_support.nasbench_graph import NASBenchGraph


class TableEstimator:
    """The expensive estimator's stand-in: validation accuracy from NAS-Bench-Graph, optionally slowed down to a
    given cost per architecture (a supernet evaluation takes seconds)."""

    def __init__(self, dataset, seconds_per_arch):
        self.table = NASBenchGraph(dataset)
        self.seconds = seconds_per_arch

    def __call__(self, candidates):
        time.sleep(self.seconds * len(candidates))
        return self.table.valid(candidates)


def make_search(space, seed, checkpoint=None):
    config = {
        "seed": seed,
        "estimators": [{"name": "distilled", "kind": "mlp"}, {"name": "valid_acc"}],
        "schedule": [
            {"estimator": "distilled", "fraction": [0, 0.7]},
            {"estimator": "valid_acc", "fraction": [0.7, 1]},
        ],
    }
    if checkpoint:
        config["checkpoint"] = checkpoint
    return llmnas.Search(space, config)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="cora")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--actors", type=int, default=2)
    parser.add_argument("--seconds-per-arch", type=float, default=0.002)
    args = parser.parse_args()

    space = llmnas.Space.builtin("nas-bench-graph")
    table = NASBenchGraph(args.dataset)
    pool = space.sample(150, seed=1000 + args.seed)
    model = llmnas.MLP(hidden=[400, 400, 400, 400], steps=1000, learning_rate=1e-4, seed=args.seed)
    model.fit(space.features(pool), table.valid(pool))

    start = time.perf_counter()
    local = make_search(space, args.seed).bind_mlp("distilled", model)
    estimator = TableEstimator(args.dataset, args.seconds_per_arch)
    best_local = local.run({"valid_acc": estimator})
    local_seconds = time.perf_counter() - start

    ray.init(num_cpus=args.actors, include_dashboard=False, log_to_driver=False)
    start = time.perf_counter()
    distributed = make_search(space, args.seed).bind_mlp("distilled", model)
    factory = lambda dataset=args.dataset, s=args.seconds_per_arch: TableEstimator(dataset, s)
    best_ray = llmnas.ray.run_search(distributed, {"valid_acc": factory}, actors=args.actors)
    ray_seconds = time.perf_counter() - start
    ray.shutdown()

    calls = distributed.history["estimator_calls"]["valid_acc"]
    same = best_ray["architecture"] == best_local["architecture"] and distributed.history == local.history
    print(
        f"HS-NAS on NAS-Bench-Graph ({args.dataset}, seed {args.seed}): {calls} estimator calls at "
        f"{args.seconds_per_arch * 1000:.0f} ms each"
    )
    print(
        f"  single process: {local_seconds:.1f} s | Ray, {args.actors} actors: {ray_seconds:.1f} s | "
        f"same result: {same}"
    )
    print(
        f"  best: {best_ray['architecture']} valid_acc {best_ray['best_score']:.4f}, "
        f"test regret {table.regret(best_ray['architecture']):.2f} points"
    )


if __name__ == "__main__":
    main()
