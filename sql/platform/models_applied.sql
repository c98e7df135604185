-- The view and function models were just re-created from the files of this digest.
WITH previous AS (DELETE FROM public.schema_models)
INSERT INTO public.schema_models (digest) VALUES (%(digest)s)
