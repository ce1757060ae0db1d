"""MLP regressors and the built-in latency predictors through the Python binding."""

import os

import numpy as np
import pytest

import llmnas

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def dataset(rows, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(rows, 3)).astype(np.float32)
    y = (2 * x[:, 0] - x[:, 1] + x[:, 0] * x[:, 2]).astype(np.float32)
    return x, y


FAST = dict(hidden=[32, 32], learning_rate=0.003, steps=1500, batch_size=64)


def test_fit_predict_like_scikit_learn():
    x, y = dataset(2000, 0)
    model = llmnas.MLP(FAST).fit(x, y)
    tx, ty = dataset(300, 1)
    rmse = float(np.sqrt(np.mean((model.predict(tx) - ty) ** 2)))
    assert rmse < 0.1
    assert model.predict(tx[0]).shape == (1,)
    assert model.info["sizes"] == [3, 32, 32, 1]


def test_same_seed_same_model_and_files_round_trip(tmp_path):
    x, y = dataset(300, 2)
    a = llmnas.MLP(FAST, steps=100).fit(x, y)
    b = llmnas.MLP(FAST, steps=100).fit(x, y)
    np.testing.assert_array_equal(a.predict(x), b.predict(x))
    a.save(tmp_path / "a.mlp")
    c = llmnas.MLP.load(tmp_path / "a.mlp")
    np.testing.assert_array_equal(a.predict(x), c.predict(x))
    (tmp_path / "bad.mlp").write_bytes((tmp_path / "a.mlp").read_bytes()[:-10])
    with pytest.raises(llmnas.CorruptFileError):
        llmnas.MLP.load(tmp_path / "bad.mlp")
    with pytest.raises(llmnas.IOError):
        llmnas.MLP.load(tmp_path / "missing.mlp")


def test_bad_input():
    x, y = dataset(50, 3)
    bad = x.copy()
    bad[4, 1] = np.inf
    with pytest.raises(llmnas.InvalidArgumentError, match="row 4, column 1"):
        llmnas.MLP(FAST).fit(bad, y)
    model = llmnas.MLP(FAST, steps=10).fit(x, y)
    with pytest.raises(llmnas.InvalidArgumentError, match="X has 5 features, but MLP is expecting 3"):
        model.predict(np.zeros((2, 5)))
    with pytest.raises(llmnas.InvalidArgumentError, match="NaN or infinity"):
        model.predict(np.full((1, 3), np.nan))
    assert model.predict(np.zeros((0, 3))).shape == (0,)
    with pytest.raises(llmnas.InvalidArgumentError, match="not fitted"):
        llmnas.MLP().predict(x)
    with pytest.raises(llmnas.InvalidArgumentError, match="unknown key"):
        llmnas.MLP(colour=1).fit(x, y)
    with pytest.raises(llmnas.CancelledError):
        llmnas.MLP(FAST, evaluate_every=10).fit(x, y, progress=lambda stage, step, steps, loss: step >= 20)


def test_builtin_latency_predictors_match_their_measurements():
    names = llmnas.latency_predictor_names()
    assert names[0] == "wmt14ende-titanxp" and len(names) == 8
    space = llmnas.Space.builtin("hat-wmt14ende")
    predictor = llmnas.latency_predictor("wmt14ende-titanxp")
    data = np.genfromtxt(
        os.path.join(ROOT, "data", "hat-latency", "wmt14ende_gpu_titanxp_all.csv"), delimiter=",", names=True
    )
    features = np.stack([data[c] for c in data.dtype.names[:10]], axis=1)
    measured = data["latency_mean_encoder"] + data["latency_mean_decoder"]
    relative = np.abs(predictor.predict(features) - measured) / measured
    assert relative.mean() < 0.12
    # Features of a HAT architecture feed the predictor directly.
    latency = predictor.predict(space.features(space.sample(5, seed=1)))
    assert ((latency > 20) & (latency < 400)).all()
    with pytest.raises(llmnas.NotFoundError, match="wmt14ende-titanxp"):
        llmnas.latency_predictor("wmt14ende-v100")


def test_train_a_latency_predictor_from_a_csv():
    model, report = llmnas.train_latency_predictor(
        os.path.join(ROOT, "data", "hat-latency", "wmt14enfr_gpu_titanxp_all.csv"),
        {"hidden": [64, 64], "learning_rate": 0.001, "steps": 500},
    )
    assert report["train_rows"] == 1600 and report["test_rows"] == 200 and report["validation_rows"] == 200
    assert report["test_mape_percent"] < 20
    with pytest.raises(llmnas.CorruptFileError, match="no column .encoder_embed_dim."):
        llmnas.train_latency_predictor(os.path.join(ROOT, "data", "llmpp-wmt", "splits.csv"))
