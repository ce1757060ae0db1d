"""docs/formats.md against the library: for every input document, the example (which holds every documented key) is
accepted, an undocumented key is refused with a message naming it, and each spelling removed in 1.0 is refused;
every output carries exactly the documented keys; every section the header points to exists."""

import ctypes
import json
import os
import re

import numpy as np
import pytest

import llmnas
from llmnas._library import LLMPtr, MLPPtr, ScreenPtr, SearchPtr, SpacePtr, lib, take_string

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
UNDOCUMENTED = "undocumented_key_for_the_test"


class Section:
    """One table of docs/formats.md: the document it belongs to, the path of its objects, its rows."""

    def __init__(self, title):
        parts = [p.strip() for p in title.split(" / ")]
        self.root, self.path = parts[0], parts[1:]
        self.columns, self.rows = [], {}

    @property
    def is_input(self):
        return "default" in self.columns

    @property
    def keys(self):
        return set(self.rows)

    @property
    def always(self):
        return {key for key, row in self.rows.items() if row.get("present") == "always"}


def _read_reference():
    with open(os.path.join(ROOT, "docs", "formats.md"), encoding="utf-8") as f:
        text = f.read()
    sections, examples, current, root = [], {}, None, None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = re.match(r"^(##|###) (.+)$", line)
        if heading:
            current = Section(heading.group(2))
            root = current.root if heading.group(1) == "##" else root
            sections.append(current)
        elif line.startswith("| key |"):
            current.columns = [c.strip() for c in line.strip("|").split("|")]
        elif line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            current.rows[cells[0].strip("`")] = dict(zip(current.columns, cells))
        elif line == "```json":
            end = lines.index("```", i)
            examples[root] = "\n".join(lines[i + 1 : end])
            i = end
        i += 1
    return [s for s in sections if s.rows], examples


SECTIONS, EXAMPLES = _read_reference()
INPUTS = [s for s in SECTIONS if s.is_input]
OUTPUTS = [s for s in SECTIONS if not s.is_input]

HAT_ARCH = (
    '{"encoder_embed_dim":512,"encoder_layer_num":6,"encoder_ffn_embed_dim":[1024,1024,2048,2048,2048,1024],'
    '"encoder_self_attention_heads":[4,4,4,8,4,4],"decoder_embed_dim":640,"decoder_layer_num":1,'
    '"decoder_ffn_embed_dim":[3072],"decoder_self_attention_heads":[8],"decoder_ende_attention_heads":[4],'
    '"decoder_arbitrary_ende_attn":[2]}'
)
GRAPH_ARCH = '{"link": "0-0-1-2", "ops": ["gcn", "gat", "skip", "sage"]}'


def _objects(document, path):
    """The objects at `path` in a parsed document (a list: arrays and maps give each element)."""
    found = [document]
    for segment in path:
        step = []
        for value in found:
            if segment == "[]":
                step += value
            elif segment.endswith("[]"):
                step += value.get(segment[:-2], [])
            elif segment.endswith("{}"):
                step += list(value.get(segment[:-2], {}).values())
            elif segment in value:
                step.append(value[segment])
        found = step
    return [value for value in found if isinstance(value, dict)]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Files the examples name: models for the search config, paths for caches, checkpoints and saved models."""
    folder = tmp_path_factory.mktemp("formats")
    hat = llmnas.Space.builtin("hat-wmt14ende")
    x = hat.features(hat.sample(16, seed=1))
    model = llmnas.MLP(hidden=[4], steps=2).fit(x, np.arange(16, dtype=np.float32))
    model.save(folder / "model.mlp")
    return {
        "MODEL_FILE": str(folder / "model.mlp"),
        "LATENCY_FILE": str(folder / "model.mlp"),
        "CHECKPOINT_FILE": str(folder / "search.ckpt"),
        "CACHE_FILE": str(folder / "cache.llmnas"),
        "SAVE_DIR": str(folder),
    }


def _example(root, files):
    text = EXAMPLES[root]
    for placeholder, path in files.items():
        text = text.replace(placeholder, path)
    return json.loads(text)


def _status(call):
    """(status, last error) of a raw C call."""
    status = call()
    return status, lib.llmnas_last_error().decode()


def _accept(root, document):
    """Feeds an input document to the function that reads it; (status, message)."""
    text = json.dumps(document).encode()
    graph = llmnas.Space.builtin("nas-bench-graph")
    hat = llmnas.Space.builtin("hat-wmt14ende")
    out = ctypes.c_void_p()

    def freeing(status, free=None, handle=None):
        if free and handle:
            free(handle)
        if out.value:
            take_string(out)
        return status

    if root == "search space":
        handle = SpacePtr()
        return _status(
            lambda: freeing(lib.llmnas_space_from_json(text, ctypes.byref(handle)), lib.llmnas_space_free, handle)
        )
    if root in ("demonstrations", "task", "prompt options"):
        task, demos, options = (
            text if root == "task" else None,
            text if root == "demonstrations" else b"[]",
            text if root == "prompt options" else None,
        )
        return _status(
            lambda: freeing(
                lib.llmnas_prompt_build(graph._handle, task, demos, GRAPH_ARCH.encode(), options, ctypes.byref(out))
            )
        )
    if root == "LLM client config":
        handle = LLMPtr()
        return _status(lambda: freeing(lib.llmnas_llm_create(text, ctypes.byref(handle)), lib.llmnas_llm_free, handle))
    if root == "MLP config":
        x = np.arange(32, dtype=np.float32)
        y = np.arange(16, dtype=np.float32)
        pointer = ctypes.POINTER(ctypes.c_float)
        handle = MLPPtr()
        return _status(
            lambda: freeing(
                lib.llmnas_mlp_train(
                    text,
                    x.ctypes.data_as(pointer),
                    y.ctypes.data_as(pointer),
                    16,
                    2,
                    llmnas._library.ProgressFn(),
                    None,
                    ctypes.byref(handle),
                ),
                lib.llmnas_mlp_free,
                handle,
            )
        )
    if root == "search config":
        handle = SearchPtr()
        return _status(
            lambda: freeing(
                lib.llmnas_search_create(hat._handle, text, ctypes.byref(handle)), lib.llmnas_search_free, handle
            )
        )
    if root == "screen config":
        handle = ScreenPtr()
        create = lib.llmnas_screen_create
        return _status(
            lambda: freeing(create(graph._handle, text, None, ctypes.byref(handle)), lib.llmnas_screen_free, handle)
        )
    if root == "proposal request":
        # Nothing answers on port 9: a request read without complaint fails only when it is sent.
        handle = LLMPtr()
        assert (
            lib.llmnas_llm_create(
                b'{"model": "m", "base_url": "http://127.0.0.1:9/v1", "retries": 0}', ctypes.byref(handle)
            )
            == 0
        )
        demos = json.dumps([{"architecture": json.loads(HAT_ARCH), "score": 25.0}]).encode()
        status, message = _status(
            lambda: freeing(lib.llmnas_llm_propose(handle, hat._handle, None, demos, text, ctypes.byref(out)))
        )
        lib.llmnas_llm_free(handle)
        return (0 if status == llmnas._library.Status.CONNECTION_FAILED else status), message
    if root in ("validation options", "choice options"):
        # Nothing answers on port 9: the options are read before anything is sent; every item then fails (a choice
        # then has the cost lines to choose from).
        handle = LLMPtr()
        assert (
            lib.llmnas_llm_create(
                b'{"model": "m", "base_url": "http://127.0.0.1:9/v1", "retries": 0}', ctypes.byref(handle)
            )
            == 0
        )
        demos = json.dumps(
            [{"architecture": a, "score": 25.0 + i} for i, a in enumerate(hat.sample(6, seed=2))]
        ).encode()
        function = lib.llmnas_llmpp_validate if root == "validation options" else lib.llmnas_llmpp_choose
        status, message = _status(
            lambda: freeing(
                function(handle, hat._handle, None, demos, text, llmnas._library.ProgressFn(), None, ctypes.byref(out))
            )
        )
        lib.llmnas_llm_free(handle)
        return status, message
    if root == "protocol options":
        data = os.path.join(ROOT, "data", "llmpp-wmt").encode()
        return _status(
            lambda: freeing(
                lib.llmnas_protocol_run(None, data, text, llmnas._library.ProgressFn(), None, ctypes.byref(out))
            )
        )
    raise AssertionError(f"the test knows no reader of the input '{root}'")


INPUT_ROOTS = sorted({s.root for s in INPUTS})


def test_the_reference_parses():
    assert len(INPUTS) >= 15 and len(OUTPUTS) >= 12
    assert set(INPUT_ROOTS) == set(EXAMPLES), "every input document has one example, and only inputs have one"


@pytest.mark.parametrize("root", INPUT_ROOTS)
def test_the_example_is_accepted_and_holds_every_documented_key(root, files):
    example = _example(root, files)
    status, message = _accept(root, example)
    assert status == 0, message
    for section in (s for s in INPUTS if s.root == root):
        present = set().union(*[set(o) for o in _objects(example, section.path)])
        assert present - set(section.rows) == set(), f"{root} {section.path}: keys the reference does not document"
        assert section.keys - present == set(), f"{root} {section.path}: documented keys the example lacks"


@pytest.mark.parametrize("section", INPUTS, ids=lambda s: " / ".join([s.root] + s.path))
def test_an_undocumented_key_is_refused_by_name(section, files):
    example = _example(section.root, files)
    target = _objects(example, section.path)[0]
    target[UNDOCUMENTED] = 1
    status, message = _accept(section.root, example)
    assert status != 0 and UNDOCUMENTED in message, message


# The spellings 1.0 removed (CHANGELOG.md): each refused with a message naming it.
REMOVED_SPELLINGS = [
    ("search space", ["constraints[]"], "type", "kind"),
    ("demonstrations", ["[]"], "arch", "architecture"),
]


@pytest.mark.parametrize("root, path, old, new", REMOVED_SPELLINGS, ids=lambda v: v if isinstance(v, str) else None)
def test_spellings_removed_in_1_0_are_refused_by_name(root, path, old, new, files):
    example = _example(root, files)
    target = next(o for o in _objects(example, path) if new in o)
    target[old] = target.pop(new)
    status, message = _accept(root, example)
    assert status != 0 and f"'{old}'" in message, message


@pytest.fixture(scope="module")
def outputs(server, tmp_path_factory):
    """One real instance of each output document."""
    hat = llmnas.Space.builtin("hat-wmt14ende")
    server.script([{"answer": "26.5"}])
    llm = llmnas.LLM(base_url=server.base_url, model="scripted", backoff_seconds=0.01)
    data = os.path.join(ROOT, "data", "llmpp-wmt")
    demos = [(json.loads(HAT_ARCH), 25.0)]
    x = hat.features(hat.sample(40, seed=2))
    validated = llmnas.MLP(hidden=[4], steps=20, validation_fraction=0.25, evaluate_every=5).fit(x, np.arange(40))
    labels = [{"architecture": a, "score": float(i)} for i, a in enumerate(hat.sample(4, seed=3))]
    search = llmnas.Search(
        hat,
        {
            "iterations": 2,
            "population": 8,
            "parents": 2,
            "mutations": 3,
            "crossovers": 3,
            "constraints": [{"kind": "params", "max": 1e9}],
            "estimators": [
                {
                    "name": "screen",
                    "kind": "mlp",
                    "refit": {"on": "host", "labels": labels, "train": {"hidden": [4], "steps": 5}},
                },
                {"name": "host"},
            ],
            "schedule": [
                {"estimator": "host", "fraction": [0, 1], "cascade": {"screen": "screen", "pool": 2, "keep_best": 3}}
            ],
        },
    )
    search.run({"host": lambda candidates: [float(i) for i in range(len(candidates))]})
    proposed = dict(json.loads(HAT_ARCH), encoder_embed_dim=640)
    server.script([{"match": "Propose", "answer": json.dumps(proposed) + "\n{not json}"}, {"answer": "26.5"}])
    proposals = llm.propose(hat, demos, count=2, rounds=1)
    server.script([{"answer": "26.5"}])
    validation = llm.validate(
        hat, [{"architecture": a, "score": 24.0 + i} for i, a in enumerate(hat.sample(5, seed=8))], bootstrap=20
    )
    five = [{"architecture": a, "score": 24.0 + i} for i, a in enumerate(hat.sample(5, seed=8))]
    choice = llm.choose(hat, five)
    llm.predict(hat, [five[0]["architecture"]], five, task={"calibrate": "affine"})
    affine = llm.usage["calibration"]
    llm.predict(hat, [five[0]["architecture"]], five, task={"calibrate": "combined"})
    combined_usage = llm.usage
    _, latency_report = llmnas.train_latency_predictor(
        os.path.join(ROOT, "data", "hat-latency", "wmt14ende_gpu_titanxp_all.csv"), {"hidden": [4], "steps": 5}
    )
    _, distill_report = llm.distill(
        hat, demos, os.path.join(data, "unlabeled_archs.jsonl"), 4, mlp_config={"hidden": [4], "steps": 5}
    )
    _, calibrated_report = llm.distill(
        hat,
        five,
        os.path.join(data, "unlabeled_archs.jsonl"),
        4,
        mlp_config={"hidden": [4], "steps": 5},
        task={"calibrate": "combined"},
    )
    graph = llmnas.Space.builtin("nas-bench-graph")
    screen = llmnas.Screen(graph, seed=1)
    protocol = llm.eval_paper_protocol(
        data,
        options={
            "calibrate": True,
            "choose": {"max_requests": 0},
            "distill": {"labels": 3, "tasks": ["wmt14ende"], "seeds": [123], "mlp": {"hidden": [4], "steps": 5}},
        },
    )
    return {
        "search space": [hat.to_json(), llmnas.Space.builtin("nas-bench-graph").to_json()],
        "prompt messages": [llmnas.build_prompt(hat, json.loads(HAT_ARCH), demos)],
        "usage": [llm.usage, combined_usage],
        "calibration": [affine, combined_usage["calibration"]],
        "choice": [choice],
        "estimate": [llm.estimate(hat, [json.loads(HAT_ARCH)], demos)],
        "metrics": [llmnas.metrics([1, 2, 3], [1, 3, 2]), llmnas.metrics([1, 1], [1, 2])],
        "stats": [hat.stats(json.loads(HAT_ARCH))],
        "MLP info": [validated.info, llmnas.MLP(hidden=[4], steps=2).fit(x, np.arange(40)).info],
        "latency report": [latency_report],
        "distillation report": [distill_report, calibrated_report],
        "search best": [search.best],
        "search history": [search.history],
        "search trials": [search._trials_document()],
        "proposals": [proposals],
        "validation": [validation],
        "protocol result": [protocol],
        "screen proposals": [screen.choose([(a, float(i)) for i, a in enumerate(graph.sample(3, seed=1))], count=2)],
        "screen pool": [screen.pool],
    }


@pytest.mark.parametrize(
    "section", OUTPUTS + [s for s in INPUTS if s.root == "search space"], ids=lambda s: " / ".join([s.root] + s.path)
)
def test_outputs_carry_exactly_the_documented_keys(section, outputs):
    documents = outputs[section.root]
    objects = [o for document in documents for o in _objects(document, section.path)]
    assert objects, f"no {section.root} {section.path} to check"
    for value in objects:
        assert set(value) - section.keys == set(), f"{section.root} {section.path}: undocumented output keys"
        assert section.always - set(value) == set(), f"{section.root} {section.path}: documented keys missing"


def test_every_section_the_header_points_to_exists():
    with open(os.path.join(ROOT, "include", "llmnas.h"), encoding="utf-8") as f:
        header = f.read()
    named = {" ".join(name.split()) for name in re.findall(r'formats\.md,?\s+"([^"]+)"', header.replace("\n *", " "))}
    roots = {s.root for s in SECTIONS} | {"architecture"}
    assert named, "the header points to the reference"
    assert named - roots == set()
