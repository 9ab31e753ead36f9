#!/usr/bin/python3
"""gRPC interop peers for the gateway's tests, built on python3-grpcio without generated stubs.

Messages come from grpc/testing/*.proto (compiled to Python by protoc into a temporary folder);
services are generic handlers with the messages' own (de)serializers.

  grpcinterop.py server --protos DIR            serves grpc.testing.TestService and
                                                gatehouse.test.SecureService on a free port and
                                                prints "PORT <n>" once it listens
  grpcinterop.py client --protos DIR --target HOST:PORT --case NAME [--token JWT]
                                                runs one interop case; exit 0 when it passed,
                                                1 with the reason on stderr

The cases follow grpc/doc/interop-test-descriptions.md.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

import grpc

ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"


def load_messages(protos):
    files = ["grpc/testing/empty.proto", "grpc/testing/messages.proto"]
    # By file: a package named "grpc" would clash with grpcio's own. The generated modules live in memory
    # once executed, so their directory goes away before this returns.
    import importlib.util
    with tempfile.TemporaryDirectory(prefix="grpcinterop-") as out:
        subprocess.run(["protoc", "-I", protos, "--python_out", out] + files, check=True)

        def load(name):
            spec = importlib.util.spec_from_file_location(name, os.path.join(out, "grpc", "testing", name + ".py"))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
        return load("empty_pb2"), load("messages_pb2")


def serve(args):
    empty_pb2, m = load_messages(args.protos)

    def echo_metadata(context):
        md = dict(context.invocation_metadata())
        if ECHO_INITIAL in md:
            context.send_initial_metadata(((ECHO_INITIAL, md[ECHO_INITIAL]),))
        if ECHO_TRAILING in md:
            context.set_trailing_metadata(((ECHO_TRAILING, md[ECHO_TRAILING]),))

    def check_status(request, context):
        if request.HasField("response_status") and request.response_status.code != 0:
            context.abort(grpc.StatusCode(_code(request.response_status.code)), request.response_status.message)

    def empty_call(request, context):
        echo_metadata(context)
        return empty_pb2.Empty()

    def unary_call(request, context):
        echo_metadata(context)
        check_status(request, context)
        resp = m.SimpleResponse()
        resp.payload.body = b"\0" * request.response_size
        if request.fill_username:
            resp.username = dict(context.invocation_metadata()).get("x-user", "")
        return resp

    def streaming_output(request, context):
        for p in request.response_parameters:
            if p.interval_us:
                time.sleep(p.interval_us / 1e6)
            r = m.StreamingOutputCallResponse()
            r.payload.body = b"\0" * p.size
            yield r

    def streaming_input(request_iterator, context):
        total = sum(len(r.payload.body) for r in request_iterator)
        return m.StreamingInputCallResponse(aggregated_payload_size=total)

    def full_duplex(request_iterator, context):
        echo_metadata(context)
        for request in request_iterator:
            check_status(request, context)
            for p in request.response_parameters:
                if p.interval_us:
                    time.sleep(p.interval_us / 1e6)
                r = m.StreamingOutputCallResponse()
                r.payload.body = b"\0" * p.size
                yield r

    def slow_unary(request, context):
        time.sleep(5)   # a sleeping server: the caller's deadline must fire first
        return m.SimpleResponse()

    ser = lambda msg: msg.SerializeToString()
    test_service = grpc.method_handlers_generic_handler("grpc.testing.TestService", {
        "EmptyCall": grpc.unary_unary_rpc_method_handler(
            empty_call, request_deserializer=empty_pb2.Empty.FromString, response_serializer=ser),
        "UnaryCall": grpc.unary_unary_rpc_method_handler(
            unary_call, request_deserializer=m.SimpleRequest.FromString, response_serializer=ser),
        "CacheableUnaryCall": grpc.unary_unary_rpc_method_handler(
            slow_unary, request_deserializer=m.SimpleRequest.FromString, response_serializer=ser),
        "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(
            streaming_output, request_deserializer=m.StreamingOutputCallRequest.FromString,
            response_serializer=ser),
        "StreamingInputCall": grpc.stream_unary_rpc_method_handler(
            streaming_input, request_deserializer=m.StreamingInputCallRequest.FromString,
            response_serializer=ser),
        "FullDuplexCall": grpc.stream_stream_rpc_method_handler(
            full_duplex, request_deserializer=m.StreamingOutputCallRequest.FromString,
            response_serializer=ser),
        # UnimplementedCall is left out on purpose: the server answers UNIMPLEMENTED.
    })
    secure_service = grpc.method_handlers_generic_handler("gatehouse.test.SecureService", {
        "Echo": grpc.unary_unary_rpc_method_handler(
            unary_call, request_deserializer=m.SimpleRequest.FromString, response_serializer=ser),
    })
    # Probe: Hold keeps a call open until the caller goes; Stats (called on the server directly,
    # not through the gateway) says how many Hold calls are open and how many were cancelled.
    probe = {"active": 0, "cancelled": 0}
    lock = threading.Lock()

    def hold(request_iterator, context):
        # The callback runs when the call ends, here only by cancellation. It is registered before
        # the call counts as active: registered after, a cancel that the caller sends as soon as
        # it sees active=1 could end the call first, add_callback would refuse (returning False)
        # and the call would wait out its 60 s as if never cancelled.
        done = threading.Event()
        if not context.add_callback(done.set):
            done.set()   # already over: only a cancellation ends this call
        with lock:
            probe["active"] += 1
        cancelled = done.wait(60)
        with lock:
            probe["active"] -= 1
            probe["cancelled"] += int(cancelled)
        return
        yield

    def stats(request, context):
        with lock:
            return m.SimpleResponse(username="active=%d cancelled=%d" % (probe["active"], probe["cancelled"]))

    probe_service = grpc.method_handlers_generic_handler("gatehouse.test.Probe", {
        "Hold": grpc.stream_stream_rpc_method_handler(
            hold, request_deserializer=m.SimpleRequest.FromString, response_serializer=ser),
        "Stats": grpc.unary_unary_rpc_method_handler(
            stats, request_deserializer=m.SimpleRequest.FromString, response_serializer=ser),
    })
    slow_service = grpc.method_handlers_generic_handler("gatehouse.test.SlowService", {
        "Sleep": grpc.unary_unary_rpc_method_handler(
            slow_unary, request_deserializer=m.SimpleRequest.FromString, response_serializer=ser),
    })
    throttled_service = grpc.method_handlers_generic_handler("gatehouse.test.ThrottledService", {
        "Echo": grpc.unary_unary_rpc_method_handler(
            unary_call, request_deserializer=m.SimpleRequest.FromString, response_serializer=ser),
    })
    from concurrent import futures
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((test_service, secure_service, probe_service, slow_service, throttled_service))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    # Ends when the test closes our stdin (or kills us).
    sys.stdin.read()
    server.stop(0)


def _code(value):
    for c in grpc.StatusCode:
        if c.value[0] == value:
            return c.value
    return grpc.StatusCode.UNKNOWN.value


class Failed(Exception):
    pass


def expect(condition, what):
    if not condition:
        raise Failed(what)


def run_case(args):
    empty_pb2, m = load_messages(args.protos)
    channel = grpc.insecure_channel(args.target)
    ser = lambda msg: msg.SerializeToString()

    def method(kind, name, response, service="grpc.testing.TestService"):
        factory = getattr(channel, kind)
        return factory("/%s/%s" % (service, name), request_serializer=ser,
                       response_deserializer=response.FromString)

    metadata = (("authorization", "Bearer " + args.token),) if args.token else ()
    case = args.case
    timeout = 20

    def expect_code(call, code):
        try:
            call()
        except grpc.RpcError as e:
            expect(e.code() == code, "expected %s, got %s: %s" % (code, e.code(), e.details()))
            return e
        raise Failed("expected %s, the call succeeded" % code)

    if case == "empty_unary":
        r = method("unary_unary", "EmptyCall", empty_pb2.Empty)(empty_pb2.Empty(), timeout=timeout)
        expect(r == empty_pb2.Empty(), "the response is not empty")
    elif case == "large_unary":
        req = m.SimpleRequest(response_size=314159)
        req.payload.body = b"\0" * 271828
        r = method("unary_unary", "UnaryCall", m.SimpleResponse)(req, timeout=timeout)
        expect(len(r.payload.body) == 314159, "payload of %d bytes" % len(r.payload.body))
    elif case == "client_streaming":
        sizes = [27182, 8, 1828, 45904]
        def requests():
            for s in sizes:
                q = m.StreamingInputCallRequest()
                q.payload.body = b"\0" * s
                yield q
        r = method("stream_unary", "StreamingInputCall", m.StreamingInputCallResponse)(requests(), timeout=timeout)
        expect(r.aggregated_payload_size == 74922, "aggregated %d" % r.aggregated_payload_size)
    elif case == "server_streaming":
        sizes = [31415, 9, 2653, 58979]
        req = m.StreamingOutputCallRequest()
        for s in sizes:
            req.response_parameters.add(size=s)
        got = [len(r.payload.body) for r in
               method("unary_stream", "StreamingOutputCall", m.StreamingOutputCallResponse)(req, timeout=timeout)]
        expect(got == sizes, "sizes %s" % got)
    elif case == "ping_pong":
        requests_sizes = [(31415, 27182), (9, 8), (2653, 1828), (58979, 45904)]
        import queue
        q = queue.Queue()
        def requests():
            while True:
                item = q.get()
                if item is None:
                    return
                yield item
        call = method("stream_stream", "FullDuplexCall", m.StreamingOutputCallResponse)(requests(), timeout=timeout)
        for resp_size, req_size in requests_sizes:
            req = m.StreamingOutputCallRequest()
            req.response_parameters.add(size=resp_size)
            req.payload.body = b"\0" * req_size
            q.put(req)
            r = next(call)   # one answer before the next request: a real ping-pong
            expect(len(r.payload.body) == resp_size, "pong of %d bytes" % len(r.payload.body))
        q.put(None)
        expect(next(call, None) is None, "a response after the last one")
    elif case == "empty_stream":
        call = method("stream_stream", "FullDuplexCall", m.StreamingOutputCallResponse)(iter(()), timeout=timeout)
        expect(list(call) == [], "responses to no request")
    elif case == "custom_metadata":
        md = metadata + ((ECHO_INITIAL, "test_initial_metadata_value"), (ECHO_TRAILING, b"\xab\xab\xab"))
        req = m.SimpleRequest(response_size=314159)
        req.payload.body = b"\0" * 271828
        r, call = method("unary_unary", "UnaryCall", m.SimpleResponse).with_call(req, metadata=md, timeout=timeout)
        initial = dict(call.initial_metadata())
        trailing = dict(call.trailing_metadata())
        expect(initial.get(ECHO_INITIAL) == "test_initial_metadata_value", "initial %s" % initial)
        expect(trailing.get(ECHO_TRAILING) == b"\xab\xab\xab", "trailing %s" % trailing)
        # and on a streaming call
        q = m.StreamingOutputCallRequest()
        q.response_parameters.add(size=314159)
        q.payload.body = b"\0" * 271828
        call = method("stream_stream", "FullDuplexCall", m.StreamingOutputCallResponse)(iter([q]), metadata=md, timeout=timeout)
        expect([len(x.payload.body) for x in call] == [314159], "streamed payload")
        expect(dict(call.initial_metadata()).get(ECHO_INITIAL) == "test_initial_metadata_value", "stream initial")
        expect(dict(call.trailing_metadata()).get(ECHO_TRAILING) == b"\xab\xab\xab", "stream trailing")
    elif case == "status_code_and_message":
        msg = "test status message"
        req = m.SimpleRequest()
        req.response_status.code = 2
        req.response_status.message = msg
        e = expect_code(lambda: method("unary_unary", "UnaryCall", m.SimpleResponse)(req, timeout=timeout),
                        grpc.StatusCode.UNKNOWN)
        expect(e.details() == msg, "message %r" % e.details())
        q = m.StreamingOutputCallRequest()
        q.response_status.code = 2
        q.response_status.message = msg
        e = expect_code(lambda: list(method("stream_stream", "FullDuplexCall", m.StreamingOutputCallResponse)(
            iter([q]), timeout=timeout)), grpc.StatusCode.UNKNOWN)
        expect(e.details() == msg, "stream message %r" % e.details())
    elif case == "special_status_message":
        msg = "\t\ntest with whitespace\r\nand Unicode BMP \u2615 and non-BMP \U0001f608\t\n"
        req = m.SimpleRequest()
        req.response_status.code = 2
        req.response_status.message = msg
        e = expect_code(lambda: method("unary_unary", "UnaryCall", m.SimpleResponse)(req, timeout=timeout),
                        grpc.StatusCode.UNKNOWN)
        expect(e.details() == msg, "message %r" % e.details())
    elif case == "unimplemented_method":
        expect_code(lambda: method("unary_unary", "UnimplementedCall", empty_pb2.Empty)(empty_pb2.Empty(), timeout=timeout),
                    grpc.StatusCode.UNIMPLEMENTED)
    elif case == "unknown_method":
        # Not in the .proto: the gateway itself answers.
        e = expect_code(lambda: method("unary_unary", "NoSuchMethod", empty_pb2.Empty)(empty_pb2.Empty(), timeout=timeout),
                        grpc.StatusCode.UNIMPLEMENTED)
        expect("NoSuchMethod" in (e.details() or ""), "details %r" % e.details())
    elif case == "unimplemented_service":
        expect_code(lambda: method("unary_unary", "UnimplementedCall", empty_pb2.Empty,
                                   service="grpc.testing.UnimplementedService")(empty_pb2.Empty(), timeout=timeout),
                    grpc.StatusCode.UNIMPLEMENTED)
    elif case == "cancel_after_begin":
        release = threading.Event()
        def requests():
            release.wait(5)
            return
            yield
        future = method("stream_unary", "StreamingInputCall", m.StreamingInputCallResponse).future(requests(), timeout=timeout)
        time.sleep(0.2)
        future.cancel()
        release.set()
        expect(future.cancelled(), "not cancelled")
    elif case == "cancel_after_first_response":
        import queue
        q = queue.Queue()
        def requests():
            while True:
                item = q.get()
                if item is None:
                    return
                yield item
        call = method("stream_stream", "FullDuplexCall", m.StreamingOutputCallResponse)(requests(), timeout=timeout)
        req = m.StreamingOutputCallRequest()
        req.response_parameters.add(size=31415)
        req.payload.body = b"\0" * 27182
        q.put(req)
        next(call)
        call.cancel()
        q.put(None)
        expect(call.code() == grpc.StatusCode.CANCELLED, "code %s" % call.code())
    elif case == "timeout_on_sleeping_server":
        q = m.StreamingOutputCallRequest()
        q.payload.body = b"\0" * 27182
        def requests():
            yield q
            time.sleep(3)
        expect_code(lambda: list(method("stream_stream", "FullDuplexCall", m.StreamingOutputCallResponse)(
            requests(), timeout=0.5)), grpc.StatusCode.DEADLINE_EXCEEDED)
    elif case == "secure_without_token":
        expect_code(lambda: method("unary_unary", "Echo", m.SimpleResponse, service="gatehouse.test.SecureService")(
            m.SimpleRequest(response_size=10), timeout=timeout), grpc.StatusCode.UNAUTHENTICATED)
    elif case == "secure_with_token":
        r = method("unary_unary", "Echo", m.SimpleResponse, service="gatehouse.test.SecureService")(
            m.SimpleRequest(response_size=10), metadata=metadata, timeout=timeout)
        expect(len(r.payload.body) == 10, "payload of %d bytes" % len(r.payload.body))
    elif case == "secure_without_scope":
        # AdminEcho needs the scope "echo:admin", which the token lacks.
        expect_code(lambda: method("unary_unary", "AdminEcho", m.SimpleResponse, service="gatehouse.test.SecureService")(
            m.SimpleRequest(response_size=10), metadata=metadata, timeout=timeout), grpc.StatusCode.PERMISSION_DENIED)
    elif case == "upstream_down":
        expect_code(lambda: method("unary_unary", "EmptyCall", empty_pb2.Empty, service="gatehouse.test.DownService")(
            empty_pb2.Empty(), timeout=timeout), grpc.StatusCode.UNAVAILABLE)
    elif case == "throttled_method":
        # Echo's method tier admits two calls an hour; the third is refused by the gateway.
        echo = method("unary_unary", "Echo", m.SimpleResponse, service="gatehouse.test.ThrottledService")
        for _ in range(2):
            r = echo(m.SimpleRequest(response_size=10), timeout=timeout)
            expect(len(r.payload.body) == 10, "payload of %d bytes" % len(r.payload.body))
        try:
            echo(m.SimpleRequest(response_size=10), timeout=timeout)
            raise Failed("the third call was admitted")
        except grpc.RpcError as e:
            expect(e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, "status %s" % e.code())
            expect("tier Two" in (e.details() or ""), "details %r" % e.details())
    else:
        raise Failed("unknown case " + case)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["server", "client"])
    parser.add_argument("--protos", required=True)
    parser.add_argument("--target")
    parser.add_argument("--case")
    parser.add_argument("--token")
    args = parser.parse_args()
    if args.mode == "server":
        serve(args)
        return 0
    try:
        run_case(args)
    except Failed as e:
        print("%s: %s" % (args.case, e), file=sys.stderr)
        return 1
    except grpc.RpcError as e:
        print("%s: unexpected %s: %s" % (args.case, e.code(), e.details()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
