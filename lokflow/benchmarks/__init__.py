"""`lokflow bench`: national-scale figures, each beside a floor measured in
the same run. Benchmarks are not tests: CI runs a small smoke size only."""
