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
Without a matching rule the answer is a number derived from the prompt: 20 + 2 x the last "GFLOPs:" value in it,
or 25.00 when there is none. GET /_control/log gives every completion request received (path, headers, body, start and end times);
POST /_control/reset empties the log and the script.
"""
import argparse
import json
import random
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {"rules": [], "delay": 0.0, "log": [], "random": random.Random(0)}
LOCK = threading.Lock()


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


def completion(request, texts, chat, rule=None):
    n = int(request.get("n", 1))
    choices = []
    for i in range(n):
        text = texts[i % len(texts)]
        if chat:
            choices.append({"index": i, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"})
        else:
            choices.append({"index": i, "text": text, "finish_reason": "stop"})
    prompt = json.dumps(request.get("messages", request.get("prompt", "")))
    usage = {"prompt_tokens": len(prompt) // 4, "completion_tokens": 3 * n, "total_tokens": len(prompt) // 4 + 3 * n}
    response = {"id": "scripted", "object": "chat.completion" if chat else "text_completion",
                "model": request.get("model"), "choices": choices, "usage": usage}
    rule = rule or {}
    if "cached" in rule:  # OpenAI's report of prompt tokens served from the endpoint's prefix cache
        usage["prompt_tokens_details"] = {"cached_tokens": min(int(rule["cached"]), usage["prompt_tokens"])}
    if "cache_n" in rule:  # llama-server's
        cached = min(int(rule["cache_n"]), usage["prompt_tokens"])
        response["timings"] = {"cache_n": cached, "prompt_n": usage["prompt_tokens"] - cached}
    return response


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
        if self.path == "/_control/log":
            with LOCK:
                self.send(200, json.dumps({"requests": STATE["log"]}))
        elif self.path == "/health":
            self.send(200, '{"status": "ok"}')
        else:
            self.send(404, '{"error": "not found"}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body_text = self.rfile.read(length).decode("utf-8", "replace")
        if self.path == "/_control/script":
            script = json.loads(body_text)
            with LOCK:
                STATE["rules"] = script.get("rules", [])
                STATE["delay"] = float(script.get("delay", 0))
                STATE["random"] = random.Random(int(script.get("seed", 0)))
            return self.send(200, "{}")
        if self.path == "/_control/reset":
            with LOCK:
                STATE.update(rules=[], delay=0.0, log=[])
            return self.send(200, "{}")
        route = self.path.split("?")[0]
        chat = route.endswith("/chat/completions")
        if not (chat or route.endswith("/completions")):
            return self.send(404, '{"error": "not found"}')
        entry = {"path": self.path, "headers": dict(self.headers), "body": body_text, "start": time.monotonic()}
        with LOCK:
            STATE["log"].append(entry)
            delay = STATE["delay"]
        try:
            self.answer(body_text, chat, delay)
        finally:
            entry["end"] = time.monotonic()

    def answer(self, body_text, chat, delay):
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
        request = json.loads(body_text)
        texts = rule.get("answers") or [rule.get("answer", default_answer(body_text))]
        return self.send(200, json.dumps(completion(request, texts, chat, rule)))


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
