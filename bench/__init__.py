"""Kiroku's performance suite: the synthetic archive generator and the benchmark runner."""
