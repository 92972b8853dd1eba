-- Runs once, as the postgres superuser, when the `postgres-data` volume is first initialised
-- (files in /docker-entrypoint-initdb.d are ignored once the data directory exists).
--
-- One PostgreSQL server, separate roles and databases:
--   onboarding                        application data (DATABASE_URL), owned by role `onboarding`
--   temporal, temporal_visibility     Temporal persistence + visibility, owned by role `temporal`
-- Temporal's auto-setup runs with SKIP_DB_CREATE=true and only applies its schema to these databases.
-- Passwords here must match DATABASE_URL / POSTGRES_PWD in docker-compose.yml.

CREATE ROLE onboarding WITH LOGIN PASSWORD 'onboarding';
CREATE DATABASE onboarding OWNER onboarding;

CREATE ROLE temporal WITH LOGIN PASSWORD 'temporal';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;

-- Temporal's postgres12 visibility schema uses btree_gin; create it as superuser so the
-- schema tool never needs more than database-owner rights.
\connect temporal_visibility
CREATE EXTENSION IF NOT EXISTS btree_gin;
