"""What the tests, tools, examples and benchmarks of llmnas share, installed (editable) into the project's venvs by
the Makefile: the scripted OpenAI-compatible server (`scripted_server`), NAS-Bench-Graph as a tabular estimator
(`nasbench_graph`), the regret plot (`regret_plot`), the local model's client config (`local_llm`), the reader of
include/llmnas.h (`header`) and the Ray test estimator (`ray_scorer`). Not part of the shipped package `llmnas`."""

from pathlib import Path

#: The root of the llmnas checkout this package was installed from (editable installs keep it in place).
ROOT = Path(__file__).resolve().parents[3]
