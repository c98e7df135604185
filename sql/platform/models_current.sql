-- Whether the view and function models in the database are the ones of these files.
SELECT EXISTS (SELECT FROM public.schema_models WHERE digest = %(digest)s)
