from llmnas.optuna import LLMNASSampler, latency_constraint

__all__ = ["LLMNASSampler", "latency_constraint"]
