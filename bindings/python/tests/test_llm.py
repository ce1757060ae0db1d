"""LLM-PP through the Python binding, over real HTTP to the scripted loopback server."""

import json
import os

import numpy as np
import pytest

import llmnas

A00 = json.loads(
    '{"encoder_embed_dim":512,"encoder_layer_num":6,"encoder_ffn_embed_dim":[1024,1024,2048,2048,2048,1024],'
    '"encoder_self_attention_heads":[4,4,4,8,4,4],"decoder_embed_dim":640,"decoder_layer_num":1,'
    '"decoder_ffn_embed_dim":[3072],"decoder_self_attention_heads":[8],"decoder_ende_attention_heads":[4],'
    '"decoder_arbitrary_ende_attn":[2]}'
)


@pytest.fixture(scope="module")
def hat():
    return llmnas.Space.builtin("hat-wmt14ende")


def client(server, **options):
    return llmnas.LLM(base_url=server.base_url, model="scripted", backoff_seconds=0.01, **options)


def test_predict_scores_and_per_item_statuses(server, hat):
    server.script([{"match": "decoder_layer_num: 2", "answer": "no idea"}, {"answer": "BLEU: 26.1 points"}])
    archs = [
        A00,
        dict(
            A00,
            decoder_layer_num=2,
            decoder_ffn_embed_dim=[3072, 3072],
            decoder_self_attention_heads=[8, 8],
            decoder_ende_attention_heads=[4, 4],
            decoder_arbitrary_ende_attn=[2, 2],
        ),
    ]
    llm = client(server)
    with pytest.warns(llmnas.PartialFailureWarning, match="1 of 2 architectures failed; the first: the answer holds"):
        scores, statuses = llm.predict(hat, archs, demos=[(A00, 24.3)])
    assert scores[0] == 26.1 and np.isnan(scores[1])
    assert list(statuses) == [0, llmnas.BadAnswerError.status]
    with pytest.raises(llmnas.IncompleteError, match="1 of 2 architectures failed"):
        llm.predict(hat, archs, demos=[(A00, 24.3)], raise_on_failure=True)
    usage = llm.usage
    assert usage["requests"] == 4 and usage["cache_hits"] == 0
    assert usage["failures"] == 2 and usage["failures_by_status"] == {"BAD_ANSWER": 2}  # one per call


def test_the_cache_makes_a_rerun_free_and_never_holds_the_key(server, hat, tmp_path, monkeypatch):
    server.script()
    monkeypatch.setenv("LLMNAS_TEST_KEY", "sk-live-DO-NOT-LEAK-42")
    cache = tmp_path / "cache.llmnas"
    archs = hat.sample(6, seed=3)
    first = client(server, cache_file=str(cache), api_key_env="LLMNAS_TEST_KEY")
    scores, _ = first.predict(hat, archs, demos=[(A00, 24.3)])
    assert all(entry["headers"]["Authorization"] == "Bearer sk-live-DO-NOT-LEAK-42" for entry in server.log())
    first.close()
    second = client(server, cache_file=str(cache), api_key_env="LLMNAS_TEST_KEY")
    again, _ = second.predict(hat, archs, demos=[(A00, 24.3)])
    np.testing.assert_array_equal(scores, again)
    assert second.usage["requests"] == 0 and second.usage["cache_hits"] == 6
    assert len(server.log()) == 6
    assert b"DO-NOT-LEAK" not in cache.read_bytes()


def test_validation_shows_whether_llmpp_beats_the_cost_baselines_and_calibration_then_costs_nothing(
    server, hat, tmp_path
):
    server.script()
    archs = hat.sample(8, seed=12)
    demos = [{"architecture": a, "score": 20 + 0.1 * i} for i, a in enumerate(archs)]
    llm = client(server, cache_file=str(tmp_path / "cache"))
    stages = []
    result = llm.validate(hat, demos, bootstrap=100, progress=lambda stage, done, total, value: stages.append(stage))
    assert result["scheme"] == "leave-one-out" and result["compared"] == 8 and result["requests"] == 8
    assert set(stages) == {"validation"}
    names = [p["predictor"] for p in result["predictors"]]
    assert names == ["LLM-PP", "LLM-PP calibrated", "params least squares", "GFLOPs least squares", "combined"]
    assert 0 <= result["predictors"][4]["llm_share"] <= 1
    raw = result["predictors"][0]
    gflops = [round(hat.stats(a)["gflops"], 1) for a in archs]
    assert raw["predictions"] == [round(20 + 2 * g, 2) for g in gflops], "the scripted server's answers"
    assert raw["kendall_tau"] == llmnas.metrics(raw["predictions"], [d["score"] for d in demos])["kendall_tau"]
    low, high = raw["kendall_tau_interval"]
    assert -1 <= low <= high <= 1
    assert llm.validate(hat, demos, bootstrap=100)["predictors"] == result["predictors"], "deterministic, and free"
    assert llm.usage["requests"] == 8
    scores, _ = llm.predict(hat, archs[:1], demos, task={"calibrate": True})
    assert llm.usage["requests"] == 9, "calibration's leave-one-out answers were the validation's"
    folded = llm.validate(hat, demos, folds=4, bootstrap=0)
    assert folded["scheme"] == "4 folds" and "kendall_tau_interval" in folded["predictors"][0]
    assert folded["predictors"][0]["kendall_tau_interval"] is None


def test_the_combined_calibration_and_the_choice_within_a_budget(server, hat, tmp_path):
    server.script([{"answer": "25.00"}])
    archs = hat.sample(9, seed=4)
    demos = [{"architecture": a, "score": 20 + hat.stats(a)["params"] / 1e7} for a in archs[:8]]
    llm = client(server, cache_file=str(tmp_path / "cache"))
    scores, _ = llm.predict(hat, archs[8:], demos, task={"calibrate": "combined"})
    calibration = llm.usage["calibration"]
    assert calibration["kind"] == "combined" and calibration["llm_share"] == 0, "one number carries nothing"
    assert calibration["weights"]["llm"] == 0 and calibration["weights"]["params"] > 0
    assert abs(scores[0] - (20 + hat.stats(archs[8])["params"] / 1e7)) < 0.05, "the cost line, which is exact here"
    with pytest.raises(llmnas.InvalidArgumentError, match="calibrate"):
        llm.predict(hat, archs[8:], demos, task={"calibrate": "quadratic"})
    server.script([{"answer": "25.00"}])
    choice = llm.choose(hat, demos, max_requests=8)
    # Every demonstration shown: the calibration's answers, from the cache; the nearest 4: 8 requests, which fit.
    assert choice["cache_hits"] == 8 and choice["requests"] == 8 == len(server.log()) and choice["skipped"] == []
    server.script([{"answer": "25.00"}])
    skipped = llm.choose(hat, demos, max_requests=0, prompt_modes=[{"nearest_demonstrations": 3}])["skipped"]
    reason = "its validation needs 8 requests and 0 are left in the budget"
    assert skipped == [{"prompt": {"nearest_demonstrations": 3}, "reason": reason}]
    assert server.log() == []
    assert choice["chosen"]["predictor"] in {"params least squares", "combined"}, "the score is the params line"
    assert choice["chosen"]["mae"] == min(c["mae"] for c in choice["candidates"])
    assert "cross-validated MAE" in choice["summary"]


def test_samples_give_each_item_its_spread(server, hat):
    server.script([{"answers": ["24", "26", "30"]}])
    llm = client(server, n=3)
    scores, stddevs, lows, highs, statuses = llm.predict_spread(hat, [A00], demos=[(A00, 24.3)])
    assert list(scores) == [26] and list(lows) == [24] and list(highs) == [30] and list(statuses) == [0]
    assert stddevs[0] == pytest.approx(np.std([24, 26, 30]))
    one = client(server)
    server.script([{"answer": "25.5"}])
    scores, stddevs, lows, highs, _ = one.predict_spread(hat, [A00], demos=[(A00, 24.3)])
    assert (scores[0], stddevs[0], lows[0], highs[0]) == (25.5, 0, 25.5, 25.5)
    expecting = client(server, aggregate="expectation")
    server.script([{"answer": "26"}])  # the server's digits: d at 0.6, d + 1 at 0.25, d - 1 at 0.15
    scores, stddevs, lows, highs, _ = expecting.predict_spread(hat, [A00], demos=[(A00, 24.3)])
    tens, units = (0.6 * 2 + 0.25 * 3 + 0.15 * 1), (0.6 * 6 + 0.25 * 7 + 0.15 * 5)
    assert scores[0] == pytest.approx(10 * tens + units) and (lows[0], highs[0]) == (15, 37)
    spread = sum(p * (d - tens) ** 2 for d, p in [(2, 0.6), (3, 0.25), (1, 0.15)])
    assert stddevs[0] == pytest.approx(
        (100 * spread + sum(p * (d - units) ** 2 for d, p in [(6, 0.6), (7, 0.25), (5, 0.15)])) ** 0.5
    )
    assert json.loads(server.log()[0]["body"])["top_logprobs"] == 10


def test_progress_reports_and_cancels(server, hat):
    server.script()
    seen = []
    scores, _ = client(server).predict(hat, hat.sample(3, seed=1), demos=[], progress=lambda *a: seen.append(a))
    assert [s[1] for s in seen] == [0, 1, 2, 3] and all(s[0] == "llmpp" and s[2] == 3 for s in seen)
    with pytest.raises(llmnas.CancelledError):
        client(server, max_concurrency=1).predict(
            hat, hat.sample(4, seed=2), demos=[], progress=lambda stage, done, total, value: done >= 1
        )


def test_bad_configs_and_inputs(server, hat):
    with pytest.raises(llmnas.InvalidArgumentError, match="'model' is required"):
        llmnas.LLM(base_url=server.base_url)
    llm = client(server)
    with pytest.raises(llmnas.InvalidArchitectureError, match="demonstration 0"):
        llm.predict(hat, [A00], demos=[({"encoder_embed_dim": 1}, 3.0)])
    with pytest.raises(llmnas.MalformedJSONError):
        llm.predict(hat, "[", demos=[])


def test_build_prompt(hat):
    messages = llmnas.build_prompt(
        hat, A00, [(A00, 24.3)], task={"dataset": "WMT'14 English-German"}, options={"study_demonstrations": False}
    )
    assert [m["role"] for m in messages] == ["system", "user"]
    user = messages[1]["content"]
    assert "Dataset: WMT'14 English-German. Metric: BLEU" in user
    assert "Study the demonstrations" not in user
    assert user.endswith("GFLOPs: 2.7\nBLEU:")


def test_metrics_agree_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(0)
    for n in (5, 50, 500):
        x = rng.integers(0, 6, n).astype(float)
        y = x + rng.integers(0, 4, n)
        m = llmnas.metrics(x, y)
        assert m["kendall_tau"] == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-12)
        assert m["spearman"] == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)
        assert m["pearson"] == pytest.approx(stats.pearsonr(x, y).statistic, abs=1e-12)
        assert m["mae"] == pytest.approx(np.abs(x - y).mean())
        assert llmnas.kendall_tau(x, y) == m["kendall_tau"]
    with pytest.raises(llmnas.InvalidArgumentError):
        llmnas.metrics([1, 2], [1])
    with pytest.raises(llmnas.InvalidArgumentError, match="at least 2"):
        llmnas.kendall_tau([1.0], [2.0])


def test_paper_protocol_baselines_and_llmpp(server, data_dir):
    baselines = llmnas.eval_paper_protocol(data_dir)
    assert [r["predictor"] for r in baselines["rows"]][0] == "HAT supernet"
    server.script()
    result = client(server, max_concurrency=8).eval_paper_protocol(data_dir, options={"calibrate": False})
    assert [r["predictor"] for r in result["rows"]][0] == "LLM-PP"
    cell = result["rows"][0]["tasks"]["wmt14ende"]
    assert len(cell["mae"]) == 3 and cell["failures"] == 0
    assert "LLM-PP" in result["text"]
    with pytest.raises(llmnas.IOError):
        llmnas.eval_paper_protocol(os.path.join(data_dir, "missing"))


def test_distill_through_python(server, hat, data_dir, tmp_path):
    server.script()
    llm = client(server, max_concurrency=8)
    model, report = llm.distill(
        hat,
        [(A00, 24.3)],
        os.path.join(data_dir, "unlabeled_archs.jsonl"),
        labels=30,
        seed=1,
        mlp_config={"hidden": [16], "steps": 50},
    )
    assert report["labels"] == 30 and report["label_requests"] == 30
    assert model.predict(hat.features(hat.sample(4, seed=2))).shape == (4,)
    with pytest.raises(llmnas.InvalidArgumentError, match="pool holds 8500"):
        llm.distill(hat, [], os.path.join(data_dir, "unlabeled_archs.jsonl"), labels=9000)
    pool = hat.sample(40, seed=3)  # a list does what the same list in a JSON Lines file does
    listed, listed_report = llm.distill(hat, [(A00, 24.3)], pool, labels=30, seed=1, mlp_config={"steps": 50})
    path = tmp_path / "pool.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in pool))
    filed, _ = llm.distill(hat, [(A00, 24.3)], path, labels=30, seed=1, mlp_config={"steps": 50})
    x = hat.features(hat.sample(8, seed=4))
    assert listed_report["labels"] == 30 and np.array_equal(listed.predict(x), filed.predict(x))


def test_a_wrong_type_names_the_type_and_value_given():
    with pytest.raises(
        llmnas.InvalidArgumentError, match=r"'max_concurrency' must be an integer in \[1, 1024\], not a string \"4\""
    ):
        llmnas.LLM(model="m", max_concurrency="4")
    with pytest.raises(
        llmnas.InvalidArgumentError, match=r"'temperature' must be a number in \[0, 2\], not a number 7"
    ):
        llmnas.LLM(model="m", temperature=7)
