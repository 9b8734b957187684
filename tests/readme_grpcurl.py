"""A stand-in for grpcurl, for tests/test_readme.py on machines without it (it is a Go binary,
not a Python package). It does what the README's grpcurl commands need, the way grpcurl does
it: `-plaintext ADDRESS list` names the services through server reflection, and `-plaintext
[-max-time S] -d JSON ADDRESS SERVICE/METHOD` reads the JSON with protobuf's JSON mapping into
the method's request type, calls it and prints each answer as JSON (camelCase names, as grpcurl
prints them). A server stream is read until -max-time; then, as grpcurl does, it exits non-zero.
A JSON body the method's request type does not accept is an error, as it is for grpcurl."""

from __future__ import annotations

import sys

import grpc
from google.protobuf import descriptor_pool, json_format, message_factory
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

# The generated modules register dccsim.v1's services in the default descriptor pool.
from dccsim.v1 import control_pb2, duis_pb2, supplier_pb2  # noqa: F401

DEADLINE_EXCEEDED_EXIT = 4  # grpcurl's exit status is 64 + the gRPC code; any non-zero will do


def main(argv: list[str]) -> int:
    body, max_time, rest = "{}", None, []
    words = iter(argv)
    for word in words:
        if word == "-plaintext":
            continue
        if word == "-d":
            body = next(words)
        elif word == "-max-time":
            max_time = float(next(words))
        elif word.startswith("-"):
            raise SystemExit(f"readme_grpcurl: option {word} is not supported")
        else:
            rest.append(word)
    address, what = rest
    with grpc.insecure_channel(address) as channel:
        if what == "list":
            return _list(channel)
        return _call(channel, what, body, max_time)


def _list(channel: grpc.Channel) -> int:
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    for answer in stub.ServerReflectionInfo(iter([request]), timeout=10):
        for service in answer.list_services_response.service:
            print(service.name)
    return 0


def _call(channel: grpc.Channel, what: str, body: str, max_time: float | None) -> int:
    service_name, method_name = what.rsplit("/", 1)
    service = descriptor_pool.Default().FindServiceByName(service_name)
    method = service.methods_by_name[method_name]
    request_type = message_factory.GetMessageClass(method.input_type)
    response_type = message_factory.GetMessageClass(method.output_type)
    request = json_format.Parse(body, request_type())
    path = f"/{service_name}/{method_name}"
    serialise, parse = request_type.SerializeToString, response_type.FromString
    try:
        if method.server_streaming:
            stream = channel.unary_stream(path, serialise, parse)
            for answer in stream(request, timeout=max_time):
                print(json_format.MessageToJson(answer), flush=True)
        else:
            call = channel.unary_unary(path, serialise, parse)
            print(json_format.MessageToJson(call(request, timeout=max_time or 30)))
    except grpc.RpcError as error:
        print(f"ERROR:\n  Code: {error.code().name}\n  Message: {error.details()}", file=sys.stderr)
        return 64 + error.code().value[0]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
