"""The non-LLM searchers a NAS researcher measures a new method against, on a complete NAS-Bench-Graph table, each
counting expensive calls as distinct architectures of the table (isomorphic encodings share one trained network: a
repeat is answered from the results already held, as any search keeps them):

- random search, its expected valid regret after k calls computed exactly (sampling without replacement);
- regularized evolution (Real et al. 2019): population 20, tournament of 5, a child changes its parent's link pattern
  or one operation, the oldest member dies;
- local search (White et al. 2021): the best of 10 random architectures, then the first better neighbour (link
  pattern or one operation changed) in a random order until none is better, then a restart;
- BANANAS-lite (after White et al. 2021): 20 random architectures, then each round an ExtraTrees forest of 64 trees
  on one-hot features of the link pattern and the four operations scores every architecture not yet queried and the
  best 10 are queried.

Each run returns the distinct architectures it queried (their rows in `Table`), in order.
"""

import numpy as np
from scipy.special import gammaln

RE_POPULATION, RE_SAMPLE = 20, 5
LS_START = 10
BANANAS_START, BANANAS_BATCH, BANANAS_TREES = 20, 10, 64


class Table:
    """One data set's table by encoding: the 59,040 encodings (link pattern, four operations) of llmnas's
    `nas-bench-graph` space, the distinct architecture each encodes, and its valid and test accuracy (points)."""

    def __init__(self, bench):
        self.bench = bench
        links = sorted({link for link, _ in bench._hash})
        ops = sorted({op for _, joined in bench._hash for op in joined.split("|")})
        self.links, self.ops = links, ops
        self.encodings = [(link, tuple(joined.split("|"))) for link, joined in sorted(bench._hash)]
        self.encodings = [e for e in self.encodings if set(e[1]) != {"skip"}]
        self.position = {e: i for i, e in enumerate(self.encodings)}
        hashes = bench.hashes()
        row = {h: i for i, h in enumerate(hashes)}
        self.row_of = np.array([row[bench._hash[(link, "|".join(o))]] for link, o in self.encodings])
        self.valid = np.array([100 * bench._rows[h][0] for h in hashes])
        self.test = np.array([100 * bench._rows[h][1] for h in hashes])
        onehot = np.zeros((len(self.encodings), len(links) + 4 * len(ops)))
        for i, (link, o) in enumerate(self.encodings):
            onehot[i, links.index(link)] = 1
            for p, op in enumerate(o):
                onehot[i, len(links) + p * len(ops) + ops.index(op)] = 1
        self.onehot = onehot

    def neighbours(self, encoding):
        """Every encoding one move away: another link pattern, or another operation at one node."""
        link, ops = encoding
        out = [(other, ops) for other in self.links if other != link]
        for p in range(4):
            out += [(link, ops[:p] + (op,) + ops[p + 1 :]) for op in self.ops if op != ops[p]]
        return [e for e in out if e in self.position]


class Queries:
    """The distinct architectures a run has queried, in order, and their valid accuracies."""

    def __init__(self, table, budget):
        self.table, self.budget = table, budget
        self.rows, self.seen = [], set()

    def ask(self, encoding_index):
        """The valid accuracy of an encoding; a new architecture costs a call."""
        row = int(self.table.row_of[encoding_index])
        if row not in self.seen:
            self.seen.add(row)
            self.rows.append(row)
        return self.table.valid[row]

    @property
    def done(self):
        return len(self.rows) >= self.budget

    def queried(self):
        return self.rows[: self.budget]


def random_expected_regret(valid, calls):
    """The exact expected valid regret (points) of random search after `calls` distinct architectures: the best of a
    uniform sample without replacement from `valid`."""
    ordered = np.sort(valid)[::-1]
    n = len(ordered)
    rank = np.arange(1, n + 1)
    possible = n - rank >= calls - 1
    logp = np.full(n, -np.inf)
    logp[possible] = log_choose(n - rank[possible], calls - 1) - log_choose(n, calls)
    return float(np.sum((ordered[0] - ordered) * np.exp(logp)))


def random_expected_test_regret(valid, test, best_test, calls):
    """The exact expected test regret (points) of the architecture random search finds best by valid accuracy."""
    order = np.argsort(-valid, kind="stable")
    n = len(order)
    rank = np.arange(1, n + 1)
    possible = n - rank >= calls - 1
    logp = np.full(n, -np.inf)
    logp[possible] = log_choose(n - rank[possible], calls - 1) - log_choose(n, calls)
    return float(np.sum((best_test - test[order]) * np.exp(logp)))


def random_median_calls(valid, threshold):
    """The median number of random calls until one reaches `threshold` valid accuracy (exact)."""
    n, good = len(valid), int(np.sum(valid >= threshold))
    calls = np.arange(1, n - good + 1)
    # P(no good one in k calls) = C(n - good, k) / C(n, k); all n - good misses leave none after one more call.
    miss = np.exp(log_choose(n - good, calls) - log_choose(n, calls))
    return int(calls[np.argmax(miss <= 0.5)]) if (miss <= 0.5).any() else n - good + 1


def log_choose(n, k):
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def regularized_evolution(table, seed, budget):
    rng = np.random.default_rng(seed)
    queries = Queries(table, budget)
    population = []
    while len(population) < RE_POPULATION:
        e = int(rng.integers(len(table.encodings)))
        population.append((e, queries.ask(e)))
    while not queries.done:
        contestants = [population[i] for i in rng.choice(len(population), RE_SAMPLE, replace=False)]
        parent = max(contestants, key=lambda m: m[1])[0]
        child = table.position[mutate(table, table.encodings[parent], rng)]
        population.append((child, queries.ask(child)))
        population.pop(0)
    return queries.queried()


def mutate(table, encoding, rng):
    """A random neighbour: the link pattern with the chance of one gene in five, else one operation."""
    while True:
        link, ops = encoding
        if rng.random() < 0.2:
            link = table.links[rng.integers(len(table.links))]
        else:
            p = int(rng.integers(4))
            ops = ops[:p] + (table.ops[rng.integers(len(table.ops))],) + ops[p + 1 :]
        if (link, ops) != encoding and (link, ops) in table.position:
            return link, ops


def local_search(table, seed, budget):
    rng = np.random.default_rng(seed)
    queries = Queries(table, budget)
    while not queries.done:
        start = [int(e) for e in rng.integers(len(table.encodings), size=LS_START)]
        current = max(start, key=queries.ask)
        improved = True
        while improved and not queries.done:
            improved = False
            options = table.neighbours(table.encodings[current])
            for i in rng.permutation(len(options)):
                candidate = table.position[options[i]]
                if queries.ask(candidate) > queries.ask(current):
                    current, improved = candidate, True
                    break
                if queries.done:
                    break
    return queries.queried()


def bananas_lite(table, seed, budget):
    from sklearn.ensemble import ExtraTreesRegressor

    rng = np.random.default_rng(seed)
    queries = Queries(table, budget)
    asked = np.zeros(len(table.valid), dtype=bool)
    labelled = []
    for e in rng.permutation(len(table.encodings)):
        if not asked[table.row_of[e]]:
            queries.ask(int(e))
            asked[table.row_of[e]] = True
            labelled.append(int(e))
        if len(labelled) == BANANAS_START:
            break
    while not queries.done:
        forest = ExtraTreesRegressor(n_estimators=BANANAS_TREES, random_state=int(rng.integers(2**31)), n_jobs=2)
        forest.fit(table.onehot[labelled], table.valid[table.row_of[labelled]])
        predicted = forest.predict(table.onehot)
        predicted[asked[table.row_of]] = -np.inf
        chosen = 0
        for e in np.argsort(-predicted, kind="stable"):
            if chosen == BANANAS_BATCH or queries.done:
                break
            if asked[table.row_of[e]]:
                continue
            queries.ask(int(e))
            asked[table.row_of[e]] = True
            labelled.append(int(e))
            chosen += 1
    return queries.queried()
