"""Dash-free domain logic for the improvement plan dashboard (see README.md)."""
