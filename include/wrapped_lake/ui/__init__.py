"""The Wrapped page inside the Airflow UI (mounted by plugins/wrapped_page.py)."""
