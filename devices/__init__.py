"""Simulated smart-metering devices and their firmware state machines."""
