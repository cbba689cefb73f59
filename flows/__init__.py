"""lokflow's Prefect flows. Each module holds one flow; deployments are
created by `lokflow deploy` (lokflow/orchestration)."""
