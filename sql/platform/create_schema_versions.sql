-- What the migrator has applied: numbered migrations, and the digest of the view and function
-- models it created last (platform/models.py).
CREATE TABLE IF NOT EXISTS public.schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS public.schema_models (
    digest     text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
