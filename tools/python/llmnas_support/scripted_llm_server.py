#!/usr/bin/env python3
"""A scripted OpenAI-compatible server on 127.0.0.1 for the tests and benchmarks (Python standard library only).

Start: `scripted_llm_server.py [--port N]`; it prints "PORT <n>" on its first line, then serves until killed.
POST /v1/chat/completions and /v1/completions answer like an OpenAI server. What they answer is scripted through
POST /_control/script with {"rules": [...], "delay": seconds for every answer}. A rule applies to requests whose body
contains "match" (any request when absent), at most "times" times (unlimited when absent), with probability
"probability" (1 when absent; drawn from a generator seeded by the script's "seed", default 0), and does one of:
  {"status": 429, "retry_after": 1, "body": "..."}   an HTTP error, optionally with Retry-After
  {"hang": 5}                                          wait that long before answering normally
  {"raw": "{\"choices\": [..."}                      send this body as is with status 200 (e.g. truncated JSON)
  {"answer": "BLEU: 26.1 points"}                     a normal completion whose text is this
  {"answers": ["20", "30", "x"]}                       one text per choice (cycled over the request's n)
  {"drop": true}                                       close the connection without answering
Hostile answers: {"endless": true} streams a body without end (until the client hangs up); {"content_length": n}
announces n bytes and sends a few; {"redirect": "URL"} answers 302 to URL; {"invalid_utf8": true} answers a
completion whose text holds bytes that are not UTF-8; {"nesting": n} answers n nested JSON arrays.
Without a matching rule the answer is a number derived from the prompt: 20 + 2 x the last "GFLOPs:" value in it,
or 25.00 when there is none. A chat request with "logprobs": true gets OpenAI's token log-probabilities, a token
per character: each digit d chosen at 0.6 with d + 1 (0.25) and d - 1 (0.15), modulo 10, as its "top_logprobs"
(as many as the request's "top_logprobs" asks, at least one); a rule's "no_logprobs" leaves them out.
GET /_control/log gives every completion request received (path, headers, body, start and end times, and the usage it
was answered with); POST /_control/reset empties the log, the script and the Batch
API's files and jobs.

The Batch API: POST /v1/files (multipart, purpose "batch"), POST /v1/batches, GET /v1/batches/{id},
POST /v1/batches/{id}/cancel and GET /v1/files/{id}/content. A job answers each line of its input file as the
completions endpoint would (rules apply; a rule's "status" makes an error-file line) once it has been polled
"polls" times, and ends as "outcome" says: "completed", "expired" or "cancelled" (only the first "answered" lines
answered, default half) or "failed" (no line answered). POST /_control/batch {"polls": k, "outcome": ...,
"answered": n} sets these for new jobs and for every job not yet ended; GET /_control/batches lists the jobs and
counts the uploaded files. Each answered line is logged with the path "/v1/batches/{id}#{custom_id}".

With "tokenizer": true in the script, POST /apply-template and /tokenize work as llama-server's do, counting tokens
as the completions' usage does (a token per 4 characters of the messages' JSON); without it they are 404.
"""

import argparse
import json
import math
import random
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BATCH_DEFAULTS = {"polls": 0, "outcome": "completed", "answered": None}
STATE = {
    "rules": [],
    "delay": 0.0,
    "log": [],
    "random": random.Random(0),
    "files": {},
    "batches": {},
    "batch": dict(BATCH_DEFAULTS),
    "tokenizer": False,
}
LOCK = threading.RLock()


def default_answer(body_text):
    values = re.findall(r"GFLOPs: ([0-9.]+)", body_text)
    return f"{20 + 2 * float(values[-1]):.2f}" if values else "25.00"


def choose_rule(body_text):
    with LOCK:
        for rule in STATE["rules"]:
            if rule.get("match") and rule["match"] not in body_text:
                continue
            if "times" in rule and rule["times"] <= 0:
                continue
            if "probability" in rule and STATE["random"].random() >= float(rule["probability"]):
                continue
            if "times" in rule:
                rule["times"] -= 1
            return dict(rule)
    return {}


def prompt_text(request):
    """The text the usage counts a request's prompt tokens in."""
    return json.dumps(request.get("messages", request.get("prompt", "")))


def token_logprobs(text, top):
    """OpenAI's chat logprobs of `text`, a token per character: a digit d is chosen with probability 0.6, and the
    top alternatives are d + 1 (0.25) and d - 1 (0.15), modulo 10; any other character is certain."""
    content = []
    for char in text:
        if char.isdigit():
            d = int(char)
            alternatives = [(str(d), 0.6), (str((d + 1) % 10), 0.25), (str((d + 9) % 10), 0.15)][: max(1, top)]
        else:
            alternatives = [(char, 1.0)]
        content.append(
            {
                "token": char,
                "logprob": math.log(alternatives[0][1]),
                "top_logprobs": [{"token": t, "logprob": math.log(p)} for t, p in alternatives],
            }
        )
    return {"content": content}


def completion(request, texts, chat, rule=None):
    n = int(request.get("n", 1))
    choices = []
    for i in range(n):
        text = texts[i % len(texts)]
        if chat:
            choices.append({"index": i, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"})
            if request.get("logprobs") and not (rule or {}).get("no_logprobs"):
                choices[-1]["logprobs"] = token_logprobs(text, int(request.get("top_logprobs", 0)))
        else:
            choices.append({"index": i, "text": text, "finish_reason": "stop"})
    prompt = prompt_text(request)
    usage = {"prompt_tokens": len(prompt) // 4, "completion_tokens": 3 * n, "total_tokens": len(prompt) // 4 + 3 * n}
    response = {
        "id": "scripted",
        "object": "chat.completion" if chat else "text_completion",
        "model": request.get("model"),
        "choices": choices,
        "usage": usage,
    }
    rule = rule or {}
    if "cached" in rule:  # OpenAI's report of prompt tokens served from the endpoint's prefix cache
        usage["prompt_tokens_details"] = {"cached_tokens": min(int(rule["cached"]), usage["prompt_tokens"])}
    if "cache_n" in rule:  # llama-server's
        cached = min(int(rule["cache_n"]), usage["prompt_tokens"])
        response["timings"] = {"cache_n": cached, "prompt_n": usage["prompt_tokens"] - cached}
    return response


def scripted_completion(body_text, chat, rule):
    """(status, body) of the answer `rule` gives a completion request, without delays or connection faults."""
    if "status" in rule:
        return int(rule["status"]), rule.get("body", '{"error": {"message": "scripted"}}')
    request = json.loads(body_text)
    texts = rule.get("answers") or [rule.get("answer", default_answer(body_text))]
    return 200, json.dumps(completion(request, texts, chat, rule))


def multipart_file(content_type, data):
    """The content of the "file" part of a multipart/form-data body, and its "purpose" field."""
    boundary = content_type.split("boundary=", 1)[1].strip().encode()
    fields = {}
    for part in data.split(b"--" + boundary)[1:-1]:
        head, _, value = part.strip(b"\r\n").partition(b"\r\n\r\n")
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        fields[name] = value
    return fields["file"], fields.get("purpose", b"").decode()


def batch_status(job):
    """The public fields of a job."""
    return {key: value for key, value in job.items() if not key.startswith("_")}


def finish_batch(job):
    """Answers the job's lines as its script says and ends it: output and error files, counts, status."""
    lines = [json.loads(line) for line in STATE["files"][job["input_file_id"]].decode().splitlines() if line.strip()]
    outcome = job["_script"]["outcome"]
    answered = job["_script"]["answered"]
    if outcome == "failed":
        count = 0
        job["errors"] = {"data": [{"code": "invalid_request", "message": "scripted job failure"}]}
    elif outcome == "completed":
        count = len(lines)
    else:
        count = len(lines) // 2 if answered is None else min(int(answered), len(lines))
    output, errors = [], []
    for line in lines[:count]:
        body_text = json.dumps(line["body"])
        status, body = scripted_completion(body_text, line["url"].endswith("/chat/completions"), choose_rule(body_text))
        parsed = json.loads(body)
        entry = {
            "path": f"/v1/batches/{job['id']}#{line['custom_id']}",
            "headers": {},
            "body": body_text,
            "start": time.monotonic(),
            "end": time.monotonic(),
            "usage": parsed.get("usage"),
        }
        STATE["log"].append(entry)
        record = {
            "id": f"response-{line['custom_id']}",
            "custom_id": line["custom_id"],
            "response": {"status_code": status, "request_id": "scripted", "body": parsed},
            "error": None,
        }
        (output if status == 200 else errors).append(json.dumps(record))
    for key, records in (("output_file_id", output), ("error_file_id", errors)):
        if records:
            file_id = f"file-{len(STATE['files'])}"
            STATE["files"][file_id] = ("\n".join(records) + "\n").encode()
            job[key] = file_id
    job["status"] = outcome
    job["request_counts"] = {"total": len(lines), "completed": len(output), "failed": len(errors)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm holds the body for the client's
        # delayed ACK (40 ms), which would cap every client's rate.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def send(self, status, body, headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        route = self.path.split("?")[0]
        if route == "/_control/log":
            with LOCK:
                self.send(200, json.dumps({"requests": STATE["log"]}))
        elif route == "/_control/batches":
            with LOCK:
                self.send(
                    200,
                    json.dumps(
                        {"batches": [batch_status(j) for j in STATE["batches"].values()], "files": len(STATE["files"])}
                    ),
                )
        elif route == "/health":
            self.send(200, '{"status": "ok"}')
        elif route.startswith("/v1/batches/"):
            with LOCK:
                job = STATE["batches"].get(route.rsplit("/", 1)[1])
                if job is None:
                    return self.send(404, '{"error": {"message": "no such batch"}}')
                if job["status"] in ("validating", "in_progress", "cancelling"):
                    if job["_polls_left"] > 0:
                        job["_polls_left"] -= 1
                        job["status"] = "in_progress" if job["status"] == "validating" else job["status"]
                    else:
                        finish_batch(job)
                self.send(200, json.dumps(batch_status(job)))
        elif route.startswith("/v1/files/") and route.endswith("/content"):
            with LOCK:
                data = STATE["files"].get(route.split("/")[3])
            if data is None:
                return self.send(404, '{"error": {"message": "no such file"}}')
            self.send(200, data)
        else:
            self.send(404, '{"error": "not found"}')

    def batch_api(self, route, body):
        """POST /v1/files, /v1/batches and /v1/batches/{id}/cancel."""
        with LOCK:
            if route.endswith("/files"):
                content, purpose = multipart_file(self.headers.get("Content-Type", ""), body)
                file_id = f"file-{len(STATE['files'])}"
                STATE["files"][file_id] = content
                return self.send(
                    200, json.dumps({"id": file_id, "object": "file", "bytes": len(content), "purpose": purpose})
                )
            if route.endswith("/batches"):
                request = json.loads(body)
                if request.get("input_file_id") not in STATE["files"]:
                    return self.send(400, '{"error": {"message": "no such input file"}}')
                job_id = f"batch_{len(STATE['batches'])}"
                script = dict(STATE["batch"])
                STATE["batches"][job_id] = {
                    "id": job_id,
                    "object": "batch",
                    "endpoint": request["endpoint"],
                    "status": "validating",
                    "input_file_id": request["input_file_id"],
                    "completion_window": request["completion_window"],
                    "_script": script,
                    "_polls_left": int(script["polls"]),
                }
                return self.send(200, json.dumps(batch_status(STATE["batches"][job_id])))
            job = STATE["batches"].get(route.split("/")[3])
            if job is None:
                return self.send(404, '{"error": {"message": "no such batch"}}')
            job["_script"]["outcome"], job["_polls_left"], job["status"] = "cancelled", 0, "cancelling"
            return self.send(200, json.dumps(batch_status(job)))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        body_text = body.decode("utf-8", "replace")
        route = self.path.split("?")[0]
        if route.endswith("/v1/files") or route.endswith("/v1/batches") or route.endswith("/cancel"):
            return self.batch_api(route, body)
        if self.path == "/_control/batch":
            script = json.loads(body_text)
            with LOCK:
                STATE["batch"].update(script)
                for job in STATE["batches"].values():
                    if job["status"] in ("validating", "in_progress"):
                        job["_script"].update(script)
                        job["_polls_left"] = int(job["_script"]["polls"])
            return self.send(200, "{}")
        if route in ("/apply-template", "/tokenize"):
            with LOCK:
                if not STATE["tokenizer"]:
                    return self.send(404, '{"error": "not found"}')
            request = json.loads(body_text)
            if route == "/apply-template":
                return self.send(200, json.dumps({"prompt": prompt_text(request)}))
            return self.send(200, json.dumps({"tokens": list(range(len(request["content"]) // 4))}))
        if self.path == "/_control/script":
            script = json.loads(body_text)
            with LOCK:
                STATE["tokenizer"] = bool(script.get("tokenizer", False))
                STATE["rules"] = script.get("rules", [])
                STATE["delay"] = float(script.get("delay", 0))
                STATE["random"] = random.Random(int(script.get("seed", 0)))
            return self.send(200, "{}")
        if self.path == "/_control/reset":
            with LOCK:
                STATE.update(
                    rules=[], delay=0.0, log=[], files={}, batches={}, batch=dict(BATCH_DEFAULTS), tokenizer=False
                )
            return self.send(200, "{}")
        chat = route.endswith("/chat/completions")
        if not (chat or route.endswith("/completions")):
            return self.send(404, '{"error": "not found"}')
        entry = {"path": self.path, "headers": dict(self.headers), "body": body_text, "start": time.monotonic()}
        with LOCK:
            STATE["log"].append(entry)
            delay = STATE["delay"]
        try:
            self.answer(body_text, chat, delay, entry)
        finally:
            with LOCK:
                entry.setdefault("end", time.monotonic())
                entry.setdefault("usage", None)

    def answer(self, body_text, chat, delay, entry):
        """Answers one completion request, logging in `entry` the usage it reports (None for faults) and when."""
        rule = choose_rule(body_text)
        if delay:
            time.sleep(delay)
        if rule.get("hang"):
            time.sleep(float(rule["hang"]))
        if rule.get("drop"):
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        if "status" in rule:
            headers = [("Retry-After", str(rule["retry_after"]))] if "retry_after" in rule else []
            return self.send(int(rule["status"]), rule.get("body", '{"error": {"message": "scripted"}}'), headers)
        if "raw" in rule:
            return self.send(200, rule["raw"])
        if self.hostile(rule):
            return None
        _, body = scripted_completion(body_text, chat, rule)
        # Logged before the answer leaves: a client may read the log as soon as it holds the answer.
        with LOCK:
            entry.update(usage=json.loads(body)["usage"], end=time.monotonic())
        self.send(200, body)

    def hostile(self, rule):
        """Answers as a hostile server would, when the rule asks for it; whether it did."""
        if rule.get("endless"):
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            chunk = b"9" * 65536
            try:
                while True:
                    self.wfile.write(chunk)
            except OSError:
                return True
        if "content_length" in rule:
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(int(rule["content_length"])))
            self.end_headers()
            try:
                self.wfile.write(b'{"choices": [')
            except OSError:
                pass
            return True
        if "redirect" in rule:
            self.send(302, "{}", [("Location", rule["redirect"])])
            return True
        if rule.get("invalid_utf8"):
            self.send(200, b'{"choices": [{"index": 0, "message": {"role": "assistant", "content": "2\xff\xfe5"}}]}')
            return True
        if "nesting" in rule:
            self.send(200, "[" * int(rule["nesting"]) + "]" * int(rule["nesting"]))
            return True
        return False


class Server(ThreadingHTTPServer):
    """A threaded server with a listen backlog deep enough for a burst of concurrent clients."""

    request_queue_size = 256
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
