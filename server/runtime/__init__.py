"""The runtime between the DSP core and the transports: the host that serialises commands, keeps
the state file, runs the clock and wakes the streams."""
