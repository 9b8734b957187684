# dccsim as a container: `dccsim serve` on the embedded example fleet, reachable from outside the
# container — gRPC on 50051, DUIS over HTTP on 8079, SMKI on 8083 (DCC Boxed's ports).
#
#   docker build -t dccsim .
#   docker run --rm -p 50051:50051 -p 8079:8079 -p 8083:8083 -v dccsim-state:/var/lib/dccsim dccsim
#
# Every `dccsim serve` option can be given after the image name (`serve --fleet /fleet.yaml`) or
# set as DCCSIM_<OPTION> in the environment (DCCSIM_BASELINE=pre-MP105, DCCSIM_IN_MEMORY=1); any
# other command runs too (`docker run --rm dccsim campaign --devices 300 --compare-baselines`).
# A test tool on a test network: the server listens WITHOUT TLS and its control API (fleet, CPL,
# clock, faults, Reset, keys), the web console (pages and changes) and /metrics are OPEN to
# whoever can reach the ports (DCCSIM_OPEN_CONTROL=1 below; the server logs INSECURE at start, as
# it should). Publish the ports on a test network only. To lock it down:
#   -e DCCSIM_OPERATOR_TOKEN=...   control calls, the console and /metrics need the token; setting
#                                  a token closes them to callers without it
#   -e DCCSIM_OPEN_CONTROL=        closes the control API, the console and /metrics to all (no
#                                  credential: SEC-02)
#   -e DCCSIM_TLS_TEST_PKI=1       mutual TLS on every port from the test PKI in the volume (the CA
#                                  and client certificates: /var/lib/dccsim/dccsim-state.sqlite3.keys/)
# See `docker run --rm dccsim serve --help` and the README's Security section.

# Build the wheel in a throwaway stage, so the image holds the installed package and nothing of
# the source tree or the build tools.
FROM python:3.11-slim AS build
WORKDIR /src
# The context is what .dockerignore lets through: the package folders, pyproject.toml, the README
# (the package's description), LICENSE, examples/ and docs/ (package data).
COPY . .
RUN pip install --no-cache-dir --upgrade pip \
    && pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl \
    && rm -rf /wheels \
    && useradd --system --home-dir /var/lib/dccsim --create-home dccsim
# The state file (and the test PKI's keys beside it) live in a volume: a restarted container
# carries on where it stopped. DCCSIM_IN_MEMORY=1 (or `serve --in-memory`) keeps nothing.
ENV DCCSIM_HOST=0.0.0.0 \
    DCCSIM_OPEN_CONTROL=1 \
    DCCSIM_STATE=/var/lib/dccsim/dccsim-state.sqlite3 \
    PYTHONUNBUFFERED=1
USER dccsim
WORKDIR /var/lib/dccsim
VOLUME ["/var/lib/dccsim"]
EXPOSE 50051 8079 8083
ENTRYPOINT ["dccsim"]
CMD ["serve"]
