-- Prefect's own database next to lokflow's, with the extension it needs.
CREATE DATABASE prefect OWNER lokflow;
\connect prefect
CREATE EXTENSION IF NOT EXISTS pg_trgm;
