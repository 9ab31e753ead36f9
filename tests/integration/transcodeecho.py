#!/usr/bin/python3
"""grpc-gateway's EchoService on python3-grpcio, for tst_transcode.

  transcodeecho.py --proto-dir DIR --include DIR...    serves EchoService on a free port and
                                                     prints "PORT <n>"; ends with its stdin

Each method answers the request it got, marked with the method's name so that the test can tell
which RPC a REST call reached: SimpleMessage answers carry it in n_id.val, EchoStatus in result,
EchoPatch as update_mask "<method>". EchoUnauthorized always fails UNAUTHENTICATED, and an id of
"not-found" fails NOT_FOUND, as grpc-gateway's example server does for its own tests.

Counter (stream_service.proto): CountUp streams n Ticks (i = 1..n, pad_bytes of padding each),
after the first one waits until the file wait_for exists (when given), and ends NOT_FOUND with
`fail` as its message when set. Collect and Chat (client and bidi streaming) count what they get.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import grpc
from google.protobuf import descriptor_pb2, message_factory

PACKAGE = "grpc.gateway.examples.internal.proto.examplepb"
STREAM_PACKAGE = "gatehouse.test.stream"


def load_messages(proto_dir, includes):
    with tempfile.TemporaryDirectory(prefix="transcodeecho-") as tmp:
        out = os.path.join(tmp, "echo.pb")
        args = ["protoc", "--include_imports", "--descriptor_set_out=" + out, "-I", proto_dir]
        for inc in includes:
            args += ["-I", inc]
        subprocess.run(args + [os.path.join(proto_dir, "echo_service.proto"),
                               os.path.join(proto_dir, "stream_service.proto")], check=True)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    classes = message_factory.GetMessages(list(fds.file))
    return {name.rsplit(".", 1)[1]: cls for name, cls in classes.items()
            if name.startswith(PACKAGE + ".") or name.startswith(STREAM_PACKAGE + ".")}


def serve(args):
    m = load_messages(args.proto_dir, args.include)

    def simple(name):
        def handler(request, context):
            if request.id == "not-found":
                context.abort(grpc.StatusCode.NOT_FOUND, "no such echo")
            reply = m["SimpleMessage"]()
            reply.CopyFrom(request)
            reply.n_id.val = name
            return reply
        return handler

    def unauthorized(request, context):
        context.abort(grpc.StatusCode.UNAUTHENTICATED, "unauthenticated")

    def patch(request, context):
        reply = m["DynamicMessageUpdate"]()
        reply.CopyFrom(request)
        reply.update_mask.paths.append("echo_patch")
        return reply

    def status(request, context):
        return m["StatusCheckResponse"](result="EchoStatus:" + request.id)

    ser = lambda msg: msg.SerializeToString()
    unary = lambda fn, req: grpc.unary_unary_rpc_method_handler(
        fn, request_deserializer=m[req].FromString, response_serializer=ser)
    service = grpc.method_handlers_generic_handler(PACKAGE + ".EchoService", {
        "Echo": unary(simple("Echo"), "SimpleMessage"),
        "EchoBody": unary(simple("EchoBody"), "SimpleMessage"),
        "EchoDelete": unary(simple("EchoDelete"), "SimpleMessage"),
        "EchoPatch": unary(patch, "DynamicMessageUpdate"),
        "EchoUnauthorized": unary(unauthorized, "SimpleMessage"),
        "EchoStatus": unary(status, "StatusCheckRequest"),
    })

    def count_up(request, context):
        for i in range(1, request.n + 1):
            yield m["Tick"](i=i, pad="x" * request.pad_bytes)
            if i == 1 and request.wait_for:
                deadline = time.monotonic() + 30
                while not os.path.exists(request.wait_for) and time.monotonic() < deadline:
                    time.sleep(0.01)
        if request.fail:
            context.abort(grpc.StatusCode.NOT_FOUND, request.fail)

    def collect(requests, context):
        return m["CountRequest"](n=sum(1 for _ in requests))

    def chat(requests, context):
        for tick in requests:
            yield tick

    counter = grpc.method_handlers_generic_handler(STREAM_PACKAGE + ".Counter", {
        "CountUp": grpc.unary_stream_rpc_method_handler(
            count_up, request_deserializer=m["CountRequest"].FromString, response_serializer=ser),
        "Collect": grpc.stream_unary_rpc_method_handler(
            collect, request_deserializer=m["Tick"].FromString, response_serializer=ser),
        "Chat": grpc.stream_stream_rpc_method_handler(
            chat, request_deserializer=m["Tick"].FromString, response_serializer=ser),
    })
    from concurrent import futures
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((service, counter))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()
    server.stop(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--proto-dir", required=True)
    parser.add_argument("--include", action="append", default=[])
    serve(parser.parse_args())


if __name__ == "__main__":
    main()
