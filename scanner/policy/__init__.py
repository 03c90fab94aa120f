"""Policy engine: pure rules over scan results (see engine.evaluate)."""
from scanner.policy.config import PolicyConfig
from scanner.policy.engine import PolicyOutcome, evaluate, severity_at_least
from scanner.policy.rules import RULES, Principle, Rule

__all__ = ["PolicyConfig", "PolicyOutcome", "evaluate", "severity_at_least", "RULES", "Principle", "Rule"]
