#!/usr/bin/env bash
# The api-server with a real login: the simple auth manager reads the admin's password from a
# JSON file, written here from AIRFLOW_ADMIN_PASSWORD (.env) so it never sits in the image.
set -euo pipefail
python -c 'import json, os, sys; json.dump({"admin": os.environ["AIRFLOW_ADMIN_PASSWORD"]}, sys.stdout)' \
  > "$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"
exec airflow api-server
