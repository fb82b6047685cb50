# One image for the four processes and the stale-accept canary; compose.yaml picks the process with `command`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REMOTESIGNOUT_DATA_DIR=/data

WORKDIR /app

# One distribution (pyproject.toml): the four processes, the canary, common/ and the generated stubs from
# protos/python; tests/, tools/ and benchmarks/ are not copied.
COPY protos/python ./protos/python
COPY pyproject.toml README.md* ./
COPY common ./common
COPY auth_service ./auth_service
COPY device_service ./device_service
COPY parental_service ./parental_service
COPY gateway ./gateway
COPY canary ./canary
RUN pip install '.[postgres]'

RUN useradd --system --uid 10001 --home-dir /app remotesignout \
    && mkdir -p /data && chown remotesignout /data
USER remotesignout
VOLUME ["/data"]

CMD ["python", "-m", "gateway"]
