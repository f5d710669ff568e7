"""Whole runs: real notebooks in real kernels, the runner's faults and reuse, the explorer in a browser."""
