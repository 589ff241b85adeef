"""Test support shared by every app: factories and named personas. Synthetic data only."""
