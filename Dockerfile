# Airflow 3.3 image with the wrapped-lake package and its locked dependencies (run mode 3).
FROM apache/airflow:3.3.2-python3.11
COPY --chown=airflow:root requirements.lock pyproject.toml README.md /opt/wrapped-lake/
# The exact versions of the lock file, nothing resolved at build time.
RUN pip install --no-cache-dir -r /opt/wrapped-lake/requirements.lock
COPY --chown=airflow:root include /opt/wrapped-lake/include
COPY --chown=airflow:root sql /opt/wrapped-lake/sql
COPY --chown=airflow:root docker /opt/wrapped-lake/docker
RUN pip install --no-cache-dir --no-deps -e /opt/wrapped-lake
