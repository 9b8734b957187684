"""`dccsim bench` and its baselines (installs as `dccsim.bench`): load generators for the gRPC
API (unary, stream, batch) and for DUIS over HTTP, the empty echo services each is measured
against in the same run, and the report. Not part of the simulator: nothing in `dccsim.server`,
`dccsim.devices` or `dccsim.clients` imports it, except the `bench` command that runs it."""
