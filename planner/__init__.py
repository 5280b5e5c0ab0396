"""planner: a personal conference agenda planner."""

__version__ = "0.1.0"
