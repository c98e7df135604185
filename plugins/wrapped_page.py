"""The Wrapped page in the Airflow UI: a "Wrapped" entry in the navigation bar that shows the app
mounted at /wrapped (include/wrapped_lake/ui/app.py), behind the same login as the UI."""

from __future__ import annotations

from functools import cached_property

from airflow.plugins_manager import AirflowPlugin


class WrappedPagePlugin(AirflowPlugin):
    name = "wrapped_page"

    @cached_property
    def fastapi_apps(self) -> list[dict]:
        # Built on first use, so processes that only list plugins (scheduler, workers) never import it.
        from wrapped_lake.ui.app import create_app

        return [{"app": create_app(), "url_prefix": "/wrapped", "name": "Wrapped"}]

    external_views = [  # noqa: RUF012 - the plugin manager reads (and may prune) this list
        {
            "name": "Wrapped",
            "href": "/wrapped/",
            "url_route": "wrapped",
            "destination": "nav",
            "nav_top_level": True,
        }
    ]
