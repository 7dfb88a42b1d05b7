"""Evaluation harnesses: every quality claim is a command anyone can re-run on public data."""
