"""The dccsim.v1 gRPC contract: the .proto files beside this module and the code generated from
them by `python protos/generate.py`."""
