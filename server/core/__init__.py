"""The DSP core: pure domain logic. Never imports grpc."""
