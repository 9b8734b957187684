"""The gRPC wiring around the DSP core: translation and transport, no business rules."""
