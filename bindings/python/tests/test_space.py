"""Tests of the Python binding against the real library and the bundled data."""

import csv
import json
import os
import threading

import numpy as np
import pytest

import llmnas

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data", "llmpp-wmt")
# HAT's feature columns in its data, as the library names the features of HAT's spaces.
HAT_COLUMNS = llmnas.Space.builtin("hat-wmt14ende").feature_names
SPACE_OF_TASK = {"wmt14ende": "hat-wmt14ende", "wmt14enfr": "hat-wmt14enfr", "wmt19ende": "hat-wmt19ende"}


@pytest.fixture(scope="module")
def labeled():
    with open(os.path.join(DATA, "labeled.csv"), newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def hat():
    return llmnas.Space.builtin("hat-wmt14ende")


def test_versions_agree():
    assert llmnas.abi_version() == llmnas.ABI_VERSION
    assert llmnas.version().count(".") == 2


def test_builtin_names():
    assert llmnas.Space.builtin_names() == [
        "hat-wmt14ende",
        "hat-wmt14enfr",
        "hat-wmt19ende",
        "hat-iwslt14deen",
        "nas-bench-graph",
    ]


def test_features_equal_the_data_columns(labeled, hat):
    archs = [row["arch_json"] for row in labeled]
    features = hat.features(archs)
    assert features.shape == (90, 10) and features.dtype == np.float32
    expected = np.array([[float(row[c]) for c in HAT_COLUMNS] for row in labeled], dtype=np.float32)
    np.testing.assert_array_equal(features, expected)


def test_stats_equal_the_data(labeled):
    spaces = {task: llmnas.Space.builtin(name) for task, name in SPACE_OF_TASK.items()}
    for row in labeled:
        stats = spaces[row["task"]].stats(row["arch_json"])
        assert stats["params"] == int(row["params_no_emb"])
        assert stats["flops"] == int(row["total_flops"])
        assert stats["gflops"] == pytest.approx(int(row["total_flops"]) / 1e9)


def test_sample_is_a_list_of_dicts_fixed_by_seed(hat):
    a = hat.sample(20, seed=3)
    assert a == hat.sample(20, seed=3)
    assert a != hat.sample(20, seed=4)
    assert all(isinstance(x, dict) and len(x["decoder_ffn_embed_dim"]) == x["decoder_layer_num"] for x in a)
    assert hat.sample(0) == []
    with pytest.raises(llmnas.InvalidArgumentError):
        hat.sample(-1)
    with pytest.raises(llmnas.InvalidArgumentError, match="1000000"):
        hat.sample(2_000_000)


def test_mutate_and_crossover_accept_dicts_and_text(hat):
    a, b = hat.sample(2, seed=1)
    assert hat.mutate(a, probability=0.0, seed=9) == a
    child = hat.mutate(json.dumps(a), probability=1.0, seed=9)
    hat.validate(child)
    mixed = hat.crossover(a, b, seed=2)
    for key in ("encoder_embed_dim", "decoder_embed_dim", "decoder_layer_num"):
        assert mixed[key] in (a[key], b[key])


@pytest.mark.parametrize(
    "arch, error, words",
    [
        ({"encoder_embed_dim": 768}, llmnas.InvalidArchitectureError, "'encoder_embed_dim' = 768"),
        ('{"encoder_embed_dim": ', llmnas.MalformedJSONError, "byte"),
        ([1, 2], llmnas.InvalidArchitectureError, "must be a JSON object"),
        ({}, llmnas.InvalidArchitectureError, "missing hyperparameter 'encoder_embed_dim'"),
    ],
)
def test_bad_architectures_raise_with_the_message(hat, arch, error, words):
    with pytest.raises(error, match=words) as info:
        hat.validate(arch)
    assert isinstance(info.value, llmnas.Error)
    assert info.value.status == error.status


def test_wrong_layer_count_and_extra_keys(hat):
    arch = hat.sample(1, seed=5)[0]
    arch["decoder_layer_num"] = 6 if arch["decoder_layer_num"] != 6 else 1
    with pytest.raises(llmnas.InvalidArchitectureError, match="decoder_layer_num is"):
        hat.validate(arch)
    extra = dict(hat.sample(1, seed=5)[0], dropout=0.1)
    with pytest.raises(llmnas.InvalidArchitectureError, match="unknown hyperparameter 'dropout'"):
        hat.features([extra])


def test_batch_error_names_the_element(hat):
    archs = hat.sample(3, seed=1)
    archs[2]["encoder_layer_num"] = 5
    with pytest.raises(llmnas.InvalidArchitectureError, match="architecture 2:"):
        hat.features(archs)


def test_unknown_space_and_bad_definitions():
    with pytest.raises(llmnas.NotFoundError, match="hat-wmt14ende"):
        llmnas.Space.builtin("hat-wmt16")
    with pytest.raises(llmnas.InvalidSpaceError, match="missing key 'name'"):
        llmnas.Space.from_json({})
    with pytest.raises(llmnas.MalformedJSONError):
        llmnas.Space.from_json("{")


def test_nas_bench_graph_space():
    graph = llmnas.Space.builtin("nas-bench-graph")
    assert graph.feature_count == 45
    arch = {"link": "0-0-1-2", "ops": ["gcn", "gat", "skip", "sage"]}
    graph.validate(arch)
    assert graph.features([arch]).sum() == 5
    with pytest.raises(llmnas.InvalidArchitectureError, match="may not all be"):
        graph.validate({"link": "0-0-1-2", "ops": ["skip"] * 4})
    with pytest.raises(llmnas.UnsupportedError):
        graph.stats(arch)
    assert all(x["ops"] != ["skip"] * 4 for x in graph.sample(2000, seed=1))


def test_custom_space_round_trip():
    definition = llmnas.Space.builtin("hat-iwslt14deen").to_json()
    definition["name"] = "my-hat"
    space = llmnas.Space.from_json(definition)
    assert space.name == "my-hat"
    assert space.to_json() == definition


def test_one_space_shared_by_threads(hat):
    results = {}

    def work(i):
        results[i] = hat.features(hat.sample(50, seed=i)).shape

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: (50, 10) for i in range(8)}


def test_null_pointers_are_errors_not_crashes():
    from llmnas._library import lib

    assert lib.llmnas_space_builtin(None, None) == llmnas.InvalidArgumentError.status
    assert b"is NULL" in lib.llmnas_last_error()
    assert lib.llmnas_arch_validate(None, None) == llmnas.InvalidArgumentError.status
    assert lib.llmnas_arch_features(None, None, None, 0, None) == llmnas.InvalidArgumentError.status


def test_a_missing_library_is_a_clear_import_error(tmp_path):
    import subprocess
    import sys

    env = dict(os.environ, LLMNAS_LIBRARY=str(tmp_path / "libllmnas.so"))
    result = subprocess.run([sys.executable, "-c", "import llmnas"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "libllmnas.so could not be loaded" in result.stderr and "LLMNAS_LIBRARY" in result.stderr


def test_the_library_is_found_in_the_package_folder(tmp_path):
    import shutil
    import subprocess
    import sys

    package = tmp_path / "llmnas"
    shutil.copytree(os.path.dirname(llmnas.__file__), package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(llmnas._library.lib._name, package / "libllmnas.so")
    for stale in package.glob("libllmnas.so.*"):
        stale.unlink()
    env = {k: v for k, v in os.environ.items() if k != "LLMNAS_LIBRARY"}
    env["PYTHONPATH"] = str(tmp_path)
    code = "import llmnas; print(llmnas._library.lib._name)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(package / "libllmnas.so")


def test_feature_names_name_every_column():
    graph = llmnas.Space.builtin("nas-bench-graph")
    assert len(graph.feature_names) == graph.feature_count == graph.features(graph.sample(1)).shape[1]
    assert "ops[0]=gcn" in graph.feature_names and graph.feature_names[0].startswith("link=")
    assert len(HAT_COLUMNS) == 10 and HAT_COLUMNS[2] == "encoder_ffn_embed_dim_avg"
