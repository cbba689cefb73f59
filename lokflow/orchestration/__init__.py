"""lokflow on Prefect: the deployments lokflow wants, syncing them to a Prefect
server, and starting a local server and worker for the embedded default."""
