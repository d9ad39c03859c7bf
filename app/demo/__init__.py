"""Demo data for trying the counter and for benchmarks: never used in a store's normal work."""
