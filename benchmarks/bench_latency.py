"""The built-in latency predictors against scikit-learn's MLPRegressor of the same shape on the same split.

For each of HAT's 8 measured data sets: the 80/10/10 split llmnas draws (its xoshiro256** generator, replayed here in
Python), llmnas's shipped predictor and an MLPRegressor (10-400-400-400-400-1, Adam at 1e-5, batch 128, 5,000
updates, standardised inputs and targets) trained on the same 80%; RMSE and mean absolute percentage error on the
held-out test 10%.
"""

import glob
import os
import warnings

import numpy as np

import llmnas

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
MASK = (1 << 64) - 1


class SeededGenerator:
    """llmnas's generator (Sources/LLMNASCore/Support/SeededGenerator.swift): xoshiro256** seeded by SplitMix64."""

    def __init__(self, seed):
        self.state, mix = [], seed
        for _ in range(4):
            mix = (mix + 0x9E3779B97F4A7C15) & MASK
            z = mix
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.state.append(z ^ (z >> 31))

    def next(self):
        s = self.state
        rotate = lambda x, k: ((x << k) | (x >> (64 - k))) & MASK
        result = (rotate((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotate(s[3], 45)
        return result

    def index_below(self, bound):
        limit = MASK - MASK % bound
        while True:
            x = self.next()
            if x < limit:
                return x % bound


def llmnas_split(rows, seed=0):
    order = list(range(rows))
    generator = SeededGenerator(seed)
    for i in range(rows - 1, 0, -1):
        j = generator.index_below(i + 1)
        order[i], order[j] = order[j], order[i]
    train, valid = rows * 8 // 10, rows // 10
    return order[:train], order[train + valid :]


def main():
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    # Each built-in predictor "task-device" was trained on HAT's data/hat-latency/task_<gpu|cpu>_device_all.csv.
    measured = {
        os.path.basename(path): path for path in glob.glob(os.path.join(ROOT, "data", "hat-latency", "*_all.csv"))
    }
    files = {
        name: next(
            f
            for f in measured
            if f.startswith(name.split("-")[0] + "_") and f.endswith("_" + name.split("-")[1] + "_all.csv")
        )
        for name in llmnas.latency_predictor_names()
    }
    print("latency predictor       test RMSE ms: llmnas  scikit-learn | test MAPE %: llmnas  scikit-learn")
    for name in llmnas.latency_predictor_names():
        data = np.genfromtxt(os.path.join(ROOT, "data", "hat-latency", files[name]), delimiter=",", names=True)
        x = np.stack(
            [data[c] for c in data.dtype.names[: llmnas.Space.builtin("hat-wmt14ende").feature_count]], axis=1
        ).astype(np.float32)
        y = (data["latency_mean_encoder"] + data["latency_mean_decoder"]).astype(np.float32)
        train, test = llmnas_split(len(y))
        ours = llmnas.latency_predictor(name).predict(x[test])
        sx, sy = StandardScaler().fit(x[train]), StandardScaler().fit(y[train].reshape(-1, 1))
        epochs = round(5000 / int(np.ceil(len(train) / 128)))
        model = MLPRegressor(
            hidden_layer_sizes=(400,) * 4,
            learning_rate_init=1e-5,
            batch_size=128,
            max_iter=epochs,
            tol=0,
            n_iter_no_change=epochs + 1,
            alpha=0,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(sx.transform(x[train]), sy.transform(y[train].reshape(-1, 1)).ravel())
        theirs = sy.inverse_transform(model.predict(sx.transform(x[test])).reshape(-1, 1)).ravel()
        truth = y[test]
        rmse = lambda p: float(np.sqrt(np.mean((p - truth) ** 2)))
        mape = lambda p: float(100 * np.mean(np.abs(p - truth) / truth))
        print(f"{name:23s} {rmse(ours):20.2f} {rmse(theirs):13.2f} | {mape(ours):18.2f} {mape(theirs):13.2f}")


if __name__ == "__main__":
    main()
