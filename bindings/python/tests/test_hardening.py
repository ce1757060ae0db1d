"""Hardening end to end over real HTTP: failed requests during LLM-PP scoring, a process killed while labelling, the
API key kept out of every file and message, TLS verification, and the resource bounds."""

import csv
import json
import math
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import llmnas

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
KEY = "sk-llmnas-RECOGNISABLE-7f3a9c2e51"


@pytest.fixture(scope="module")
def hat():
    return llmnas.Space.builtin("hat-wmt14ende")


def demonstrations(count=10):
    """The first wmt14ende architectures of the labelled data with their BLEU trained from scratch."""
    with open(os.path.join(ROOT, "data", "llmpp-wmt", "labeled.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["task"] == "wmt14ende"][:count]
    return [{"architecture": json.loads(r["arch_json"]), "score": float(r["scratch_valid_bleu"])} for r in rows]


def llmpp_search(space, llm, checkpoint, iterations=3):
    config = {
        "seed": 4,
        "iterations": iterations,
        "population": 16,
        "parents": 4,
        "mutations": 6,
        "crossovers": 6,
        "estimators": [{"name": "llmpp", "kind": "llm", "demonstrations": demonstrations()}],
        "checkpoint": str(checkpoint),
    }
    return llmnas.Search(space, config).bind_llm("llmpp", llm)


def test_a_search_scored_by_llmpp_survives_30_percent_failed_requests(server, hat, tmp_path):
    server.script([{"status": 500, "probability": 0.3}], seed=11)
    llm = llmnas.LLM(
        base_url=server.base_url,
        model="scripted",
        retries=10,
        backoff_seconds=0.001,
        backoff_max_seconds=0.005,
        max_concurrency=4,
        cache_file=str(tmp_path / "cache"),
    )
    search = llmpp_search(hat, llm, tmp_path / "search.ckpt")
    candidates, _ = search.ask()
    assert candidates == [] and search.finished
    history = search.history
    calls = history["estimator_calls"]["llmpp"]
    for record in history["history"]:  # the scores are the scripted server's answers
        gflops = hat.stats(record["architecture"])["gflops"]
        assert abs(record["best_score"] - (20 + 2 * gflops)) < 0.11
    usage, log = llm.usage, server.log()
    assert usage["failures"] == 0
    assert usage["requests"] == len(log), "every HTTP attempt is in the ledger"
    assert usage["requests"] - usage["retries"] == calls, "one first attempt per architecture scored"
    assert 0.15 < usage["retries"] / usage["requests"] < 0.45, usage


LABELLER = r"""
import json, sys
import llmnas
space = llmnas.Space.builtin("hat-wmt14ende")
llm = llmnas.LLM(base_url=sys.argv[1], model="scripted", max_concurrency=2, cache_file=sys.argv[2])
demos = json.loads(sys.argv[3])
model, report = llm.distill(space, demos, sys.argv[4], labels=60, seed=5, mlp_config={"hidden": [8], "steps": 10})
print(json.dumps({"report": report, "usage": llm.usage}), flush=True)
"""


def test_killing_the_labelling_loses_no_answer_and_pays_none_twice(server, tmp_path):
    server.script(delay=0.03)
    pool = os.path.join(ROOT, "data", "llmpp-wmt", "unlabeled_archs.jsonl")
    args = [
        sys.executable,
        "-c",
        LABELLER,
        server.base_url,
        str(tmp_path / "cache"),
        json.dumps(demonstrations()),
        pool,
    ]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while len(server.log()) < 25 and time.time() < deadline:
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    before = [r["body"] for r in server.log()]
    assert 25 <= len(before) < 60, "the kill landed mid-labelling"
    rerun = subprocess.run(args, capture_output=True, text=True, check=True)
    result = json.loads(rerun.stdout.strip().splitlines()[-1])
    assert result["report"]["labels"] == 60
    bodies = [r["body"] for r in server.log()]
    repeated = len(bodies) - len(set(bodies))
    assert repeated <= 2, f"{repeated} prompts were paid twice; at most the 2 in flight at the kill may be"
    assert result["usage"]["cache_hits"] >= len(before) - 2
    assert len(set(bodies)) == 60


def test_the_api_key_is_in_no_file_and_no_message(server, hat, tmp_path, monkeypatch):
    monkeypatch.setenv("LLMNAS_HARDENING_KEY", KEY)
    server.script([{"match": "decoder_layer_num: 5", "status": 401, "body": '{"error": "bad key ' + KEY + '"}'}])
    llm = llmnas.LLM(
        base_url=server.base_url,
        model="scripted",
        api_key_env="LLMNAS_HARDENING_KEY",
        retries=0,
        cache_file=str(tmp_path / "cache"),
    )
    messages = []
    search = llmpp_search(hat, llm, tmp_path / "search.ckpt", iterations=2)
    try:
        search.ask()
    except llmnas.Error as e:
        messages.append(str(e))
    server.script()
    search.ask()
    for fmt in ("jsonl", "csv", "html"):
        search.write_report(tmp_path / f"report.{fmt}", fmt)
    scores, statuses = llm.predict(hat, hat.sample(3, seed=1), demonstrations(), task={"task": "translation"})
    model, report = llm.distill(
        hat,
        demonstrations(),
        os.path.join(ROOT, "data", "llmpp-wmt", "unlabeled_archs.jsonl"),
        labels=10,
        mlp_config={"hidden": [4], "steps": 5},
    )
    model.save(tmp_path / "distilled.mlp")
    messages += [json.dumps(report), json.dumps(llm.usage)]
    sent = [{k.lower(): v for k, v in r["headers"].items()}.get("authorization") for r in server.log()]
    assert sent and all(value == f"Bearer {KEY}" for value in sent), "the key was sent"
    assert messages and "[redacted]" in messages[0], messages
    assert not any(KEY in m for m in messages)
    written = sorted(os.listdir(tmp_path))
    assert {"cache", "search.ckpt", "report.html", "distilled.mlp"} <= set(written)
    for name in written:
        assert KEY.encode() not in (tmp_path / name).read_bytes(), name


class _Answer(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b'{"choices": [{"message": {"content": "27.5"}}]}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def tls_server(folder):
    """An HTTPS server on 127.0.0.1 with a self-signed certificate, answering every completion with 27.5."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def test_tls_peer_verification_is_on_unless_turned_off(hat, tmp_path):
    httpd = tls_server(tmp_path)
    url = f"https://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        strict = llmnas.LLM(base_url=url, model="m", retries=0)
        with pytest.raises(llmnas.ConnectionFailedError, match="1 of 1 architectures failed; the first: SSL"):
            strict.predict(hat, hat.sample(1, seed=2), [])  # a self-signed certificate is refused
        unsafe = llmnas.LLM(base_url=url, model="m", retries=0, insecure_skip_tls_verify=True)
        scores, statuses = unsafe.predict(hat, hat.sample(1, seed=2), [])
        assert list(statuses) == [0] and scores[0] == 27.5
    finally:
        httpd.shutdown()


def test_resource_bounds_are_refused_with_a_status(server, hat):
    server.script([{"raw": json.dumps({"choices": [{"message": {"content": "x" * (2 << 20)}}]})}])
    small = llmnas.LLM(base_url=server.base_url, model="scripted", retries=0, max_response_bytes=1 << 20)
    with pytest.raises(llmnas.BadResponseError, match="exceeds the bound"):
        small.predict(hat, hat.sample(1, seed=3), [])
    huge_task = {"task": "t", "description": "y" * (2 << 20)}
    with pytest.raises(llmnas.InvalidArgumentError):
        small.predict(hat, hat.sample(1, seed=3), [], task=huge_task)
    assert len(server.log()) == 1, "the oversized prompt was never sent"
    wide = {
        "name": "wide",
        "task": "t",
        "metric": {"name": "acc", "min": 0, "max": 1},
        "hyperparameters": [{"name": f"h{i}", "meaning": "m", "choices": list(range(64))} for i in range(64)],
    }
    space = llmnas.Space.from_json(wide)  # 64^64 points: held as a description, sampled lazily
    assert len(space.sample(2, seed=1)) == 2
    with pytest.raises(llmnas.InvalidArgumentError):
        hat.sample(llmnas_max_batch() + 1, seed=1)


def llmnas_max_batch():
    with open(os.path.join(ROOT, "include", "llmnas.h")) as f:
        return int(next(line.split()[2] for line in f if line.startswith("#define LLMNAS_MAX_BATCH ")))


EXHAUSTED = r"""
import json, resource, sys
import numpy as np
import llmnas

def address_space_bytes():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmSize")) * 1024

x = np.arange(32, dtype=np.float32).reshape(16, 2)
y = np.arange(16, dtype=np.float32)
small = llmnas.MLP(hidden=[4], steps=2).fit(x, y)      # OpenBLAS and the library loaded before the limit
limit = address_space_bytes() + (768 << 20)
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
outcomes = {}
def attempt(name, call):
    try:
        call()
        outcomes[name] = "succeeded"
    except llmnas.OutOfMemoryError as error:
        outcomes[name] = "out of memory: " + str(error)
    except llmnas.Error as error:
        outcomes[name] = type(error).__name__ + ": " + str(error)
attempt("train", lambda: llmnas.MLP(hidden=[16384] * 4, steps=1).fit(x, y))
attempt("load", lambda: llmnas.MLP.load(sys.argv[1]))
llm = llmnas.LLM(base_url=sys.argv[2], model="scripted", retries=0, max_response_bytes=1 << 30)
hat = llmnas.Space.builtin("hat-wmt14ende")
attempt("response", lambda: llm.predict(hat, hat.sample(1, seed=1), [], raise_on_failure=True))
outcomes["after"] = float(small.predict(x[:1])[0])
print(json.dumps(outcomes))
"""


def test_allocations_sized_by_the_input_fail_as_out_of_memory_under_an_address_space_limit(server, tmp_path):
    # A model of 4 hidden layers of 16,384 (3 GB of parameters, four times over), a 1,000 MB model file and an endless
    # response allowed up to 1 GiB, in a process whose address space may grow by 768 MB: each is
    # LLMNAS_OUT_OF_MEMORY naming what it was for, and the process goes on working.
    server.script([{"endless": True}])
    big = tmp_path / "big.mlp"
    with open(big, "wb") as f:
        f.truncate(1000 << 20)  # sparse: no disk is used
    child = subprocess.run(
        [sys.executable, "-c", EXHAUSTED, str(big), server.base_url],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, OPENBLAS_NUM_THREADS="1"),
    )
    assert child.returncode == 0, child.stderr[-2000:]
    outcomes = json.loads(child.stdout.strip().splitlines()[-1])
    assert outcomes["train"].startswith("out of memory: cannot allocate") and "parameters" in outcomes["train"], (
        outcomes
    )
    assert outcomes["load"].startswith("out of memory: cannot allocate 1000.0 MiB for the contents of"), outcomes
    assert outcomes["response"].startswith("IncompleteError: ") and "no memory for more than" in outcomes["response"], (
        outcomes
    )
    assert math.isfinite(outcomes["after"]), "the model trained before the limit still predicts"


PROXIED = r"""
import sys
import llmnas
hat = llmnas.Space.builtin("hat-wmt14ende")
llm = llmnas.LLM(base_url=sys.argv[1], model="scripted", retries=0)
scores, statuses = llm.predict(hat, hat.sample(1, seed=3), [])
print(int(statuses[0]))
"""


class _ConnectProxy(threading.Thread):
    """An HTTPS proxy on 127.0.0.1: answers CONNECT host:port, then relays bytes both ways; `tunnels` lists the
    targets it was asked for."""

    def __init__(self):
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.tunnels = []

    def run(self):
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self.tunnel, args=(client,), daemon=True).start()

    def tunnel(self, client):
        head = b""
        while b"\r\n\r\n" not in head:
            head += client.recv(4096)
        target = head.split(b" ")[1].decode()
        self.tunnels.append(target)
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def relay(source, sink):
            # Until either side hangs up; then the other side is told no more is coming.
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
            except OSError:
                pass
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass

        threading.Thread(target=relay, args=(upstream, client), daemon=True).start()
        relay(client, upstream)


@pytest.mark.parametrize("no_proxy", ["", "127.0.0.1"])
def test_https_proxy_tunnels_tls_unless_no_proxy_names_the_host(hat, tmp_path, no_proxy):
    httpd, proxy = tls_server(tmp_path), _ConnectProxy()
    proxy.start()
    try:
        url = f"https://127.0.0.1:{httpd.server_address[1]}/v1"
        script = PROXIED.replace('retries=0)', 'retries=0, insecure_skip_tls_verify=True)')
        environment = dict(os.environ, HTTPS_PROXY=f"http://127.0.0.1:{proxy.port}", NO_PROXY=no_proxy)
        child = subprocess.run(
            [sys.executable, "-c", script, url], capture_output=True, text=True, timeout=60, env=environment
        )
        assert child.returncode == 0 and child.stdout.strip() == "0", child.stderr[-2000:]
        assert proxy.tunnels == ([] if no_proxy else [f"127.0.0.1:{httpd.server_address[1]}"])
    finally:
        httpd.shutdown()


@pytest.mark.parametrize("no_proxy", ["", "127.0.0.1"])
def test_the_proxy_variables_are_honoured_as_libcurl_reads_them(server, no_proxy):
    # A second scripted server stands in for the proxy: libcurl sends it the request in absolute form. In a child
    # process, so the variables reach no other test. With NO_PROXY naming the host the request goes direct.
    proxy = type(server)()
    try:
        server.script()
        proxy.script()
        environment = dict(os.environ, http_proxy=f"http://127.0.0.1:{proxy.port}", NO_PROXY=no_proxy)
        child = subprocess.run(
            [sys.executable, "-c", PROXIED, server.base_url],
            capture_output=True,
            text=True,
            timeout=60,
            env=environment,
        )
        assert child.returncode == 0 and child.stdout.strip() == "0", child.stderr[-2000:]
        through_proxy, direct = proxy.log(), server.log()
        if no_proxy:
            assert len(direct) == 1 and through_proxy == []
        else:
            assert len(through_proxy) == 1 and direct == []
            assert through_proxy[0]["path"] == f"{server.base_url}/chat/completions", "the absolute form a proxy gets"
    finally:
        proxy.stop()
