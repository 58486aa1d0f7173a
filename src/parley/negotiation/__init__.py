"""Stakeholder negotiation models, batched over ``(batch, actors, issues)`` arrays."""

from parley.negotiation.registry import DEFAULT_MODELS, MODELS, ModelResult, get_model, run_model

__all__ = ["DEFAULT_MODELS", "MODELS", "ModelResult", "get_model", "run_model"]
