"""DSP: the simulated DCC Data Service Provider (core domain logic and its wiring)."""
