"""The scripted OpenAI-compatible server on 127.0.0.1 (scripted_llm_server.py beside this file), started as a child
process: scripted answers and injected faults, its request log read back."""

import json
import os
import subprocess
import sys
import urllib.request

#: The server's script; the Swift tests and tools/with_scripted_server.sh start it by this path too.
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripted_llm_server.py")


class ScriptedServer:
    """A running scripted server: its base URL, its script and its request log."""

    def __init__(self, quiet=False):
        """Starts the server; `quiet` drops its stderr (a soak's clients abandon many answers mid-write)."""
        self.process = subprocess.Popen(
            [sys.executable, SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if quiet else None, text=True
        )
        line = self.process.stdout.readline().split()
        self.port = int(line[1])
        self.base_url = f"http://127.0.0.1:{self.port}/v1"

    def _post(self, path, payload):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=json.dumps(payload).encode())
        urllib.request.urlopen(request).read()

    def script(self, rules=(), delay=0.0, seed=0, tokenizer=False):
        """Empties the log, the Batch API's files and jobs, and sets the rules (`seed` drives rules with a
        "probability"; `tokenizer` serves /apply-template and /tokenize)."""
        self._post("/_control/reset", {})
        self._post("/_control/script", {"rules": list(rules), "delay": delay, "seed": seed, "tokenizer": tokenizer})

    def batch_script(self, **script):
        """How Batch API jobs end: polls, outcome, answered (for new jobs and those not yet ended)."""
        self._post("/_control/batch", script)

    def batches(self):
        """The Batch API jobs created since the last script, and the number of files uploaded."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_control/batches") as response:
            return json.loads(response.read())

    def log(self):
        """The completion requests received since the last script."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_control/log") as response:
            return json.loads(response.read())["requests"]

    def stop(self):
        self.process.kill()
        self.process.wait()
