"""The client config the benchmarks give Gemma 3 270M on the local llama-server (tools/local_llm.sh): one request at
a time (on 2 cores concurrent prefills only compete), a grammar that makes every answer a number like 0.73 or 27.41,
and 8 tokens at most."""

from typing import Any, Dict, Optional

GRAMMAR = 'root ::= " "? [0-9] [0-9]? "." [0-9] [0-9]'


def config(url: str, cache_file: Optional[str] = None) -> Dict[str, Any]:
    """The LLM client config for the local server at `url`, with `cache_file` when given."""
    settings: Dict[str, Any] = {
        "base_url": url,
        "model": "gemma",
        "max_tokens": 8,
        "max_concurrency": 1,
        "timeout_seconds": 300,
        "answer_format": "grammar",
        "grammar": GRAMMAR,
    }
    if cache_file:
        settings["cache_file"] = cache_file
    return settings
