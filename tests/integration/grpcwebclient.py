#!/usr/bin/python3
"""A gRPC-Web client written by hand on http.client (HTTP/1.1), for tst_grpc: it frames the
messages itself, reads the response as it arrives and checks frames, trailer frame and status.

  grpcwebclient.py --protos DIR --port N --case NAME [--text] [--token JWT]

Exit 0 when the case passed, 1 with the reason on stderr. Messages come from grpc/testing's
protos, compiled by grpcinterop.py's loader.
"""
import argparse
import base64
import http.client
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grpcinterop  # noqa: E402  (the message loader; grpcio itself is not used here)


def fail(why):
    print("FAIL: " + why, file=sys.stderr)
    sys.exit(1)


def expect(condition, what):
    if not condition:
        fail(what)


def frame(payload, flags=0):
    return struct.pack(">BI", flags, len(payload)) + payload


class Reply:
    def __init__(self, status, headers, messages, trailers, arrivals):
        self.status = status
        self.headers = headers
        self.messages = messages      # payloads of the message frames, in order
        self.trailers = trailers      # the trailer frame's fields, or None when there was none
        self.arrivals = arrivals      # per message frame: whether the trailer frame had arrived with it

    def grpc_status(self):
        if self.trailers is not None and "grpc-status" in self.trailers:
            return self.trailers["grpc-status"]
        return self.headers.get("grpc-status")


def call(args, path, body, extra_headers=None, raw_body=None):
    mode = "application/grpc-web-text+proto" if args.text else "application/grpc-web+proto"
    headers = {"content-type": mode, "x-grpc-web": "1", "accept": mode}
    if args.token:
        headers["authorization"] = "Bearer " + args.token
    headers.update(extra_headers or {})
    wire = raw_body if raw_body is not None else (base64.b64encode(body) if args.text else body)
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
    conn.request("POST", path, body=wire, headers=headers)
    resp = conn.getresponse()
    status = resp.status
    hdrs = {k.lower(): v for k, v in resp.getheaders()}
    # Read as it comes: each read1() returns what one or more chunks brought.
    pending = b""
    text = b""
    messages, arrivals, trailers = [], [], None
    while True:
        piece = resp.read1(65536)
        if not piece:
            break
        if args.text:
            text += piece
            # Decode whole quanta only: the gateway pads each message, so they decode at once.
            usable = len(text) - len(text) % 4
            pending += base64.b64decode(text[:usable]) if usable else b""
            text = text[usable:]
        else:
            pending += piece
        done_now = []
        while len(pending) >= 5:
            flags, n = struct.unpack(">BI", pending[:5])
            if len(pending) < 5 + n:
                break
            payload, pending = pending[5:5 + n], pending[5 + n:]
            if flags & 0x80:
                expect(trailers is None, "two trailer frames")
                trailers = {}
                for line in payload.split(b"\r\n"):
                    if line:
                        name, _, value = line.partition(b":")
                        expect(name == name.lower(), "trailer name not lower case: %r" % name)
                        trailers[name.decode()] = value.strip().decode()
            else:
                expect(trailers is None, "a message after the trailer frame")
                messages.append(payload)
                done_now.append(len(messages) - 1)
        arrivals.extend((i, trailers is not None) for i in done_now)
    expect(not text and not pending, "the body ended inside a frame: %r" % (text or pending)[:40])
    conn.close()
    return Reply(status, hdrs, messages, trailers, [a for _, a in arrivals])


def run(args):
    _, m = grpcinterop.load_messages(args.protos)
    web_type = "application/grpc-web-text+proto" if args.text else "application/grpc-web+proto"

    def expect_status(reply, code, trailers_only=False):
        expect(reply.status == 200, "HTTP %d" % reply.status)
        expect(reply.headers.get("content-type") == web_type,
               "content-type %r" % reply.headers.get("content-type"))
        expect(reply.grpc_status() == str(code),
               "grpc-status %r, expected %d (%r)" % (reply.grpc_status(), code, reply.headers.get("grpc-message")))
        if trailers_only:
            expect(reply.trailers is None and not reply.messages, "a trailers-only answer has no body")
            expect(reply.headers.get("grpc-message"), "no grpc-message")

    case = args.case
    if case == "unary":
        req = m.SimpleRequest(response_size=314, payload=m.Payload(body=b"\1" * 271))
        reply = call(args, "/grpc.testing.TestService/UnaryCall", frame(req.SerializeToString()))
        expect_status(reply, 0)
        expect(len(reply.messages) == 1, "%d messages" % len(reply.messages))
        expect(len(m.SimpleResponse.FromString(reply.messages[0]).payload.body) == 314, "payload size")
    elif case == "server_streaming":
        sizes = [31415, 9, 2653, 58979]
        req = m.StreamingOutputCallRequest(response_parameters=[
            m.ResponseParameters(size=s, interval_us=300000) for s in sizes])
        reply = call(args, "/grpc.testing.TestService/StreamingOutputCall", frame(req.SerializeToString()))
        expect_status(reply, 0)
        got = [len(m.StreamingOutputCallResponse.FromString(p).payload.body) for p in reply.messages]
        expect(got == sizes, "message sizes %r" % got)
        # The server waits 300 ms before each message and sends its trailers last: had the
        # gateway held the response, the first message would have come with the trailer frame.
        expect(reply.arrivals and not reply.arrivals[0], "the first message came with the trailers")
    elif case == "error_status":
        req = m.SimpleRequest(response_status=m.EchoStatus(code=5, message="no such thing here"))
        reply = call(args, "/grpc.testing.TestService/UnaryCall", frame(req.SerializeToString()))
        expect_status(reply, 5)
        message = (reply.trailers or reply.headers).get("grpc-message", "")
        expect(message.replace("%20", " ") == "no such thing here", "grpc-message %r" % message)
    elif case == "metadata":
        req = m.SimpleRequest(response_size=1)
        reply = call(args, "/grpc.testing.TestService/UnaryCall", frame(req.SerializeToString()),
                     {"x-grpc-test-echo-initial": "hello", "x-grpc-test-echo-trailing-bin": "AQID"})
        expect_status(reply, 0)
        expect(reply.headers.get("x-grpc-test-echo-initial") == "hello", "initial metadata %r" % reply.headers)
        expect(reply.trailers.get("x-grpc-test-echo-trailing-bin") == "AQID", "trailer %r" % reply.trailers)
    elif case == "secure_without_token":
        reply = call(args, "/gatehouse.test.SecureService/Echo", frame(m.SimpleRequest().SerializeToString()))
        expect_status(reply, 16, trailers_only=True)
    elif case == "secure_with_token":
        reply = call(args, "/gatehouse.test.SecureService/Echo",
                     frame(m.SimpleRequest(response_size=3).SerializeToString()))
        expect_status(reply, 0)
    elif case == "secure_without_scope":
        reply = call(args, "/gatehouse.test.SecureService/AdminEcho", frame(m.SimpleRequest().SerializeToString()))
        expect_status(reply, 7, trailers_only=True)
    elif case == "unknown_method":
        reply = call(args, "/grpc.testing.TestService/Nope", frame(b""))
        expect_status(reply, 12, trailers_only=True)
    elif case == "upstream_down":
        reply = call(args, "/gatehouse.test.DownService/EmptyCall", frame(b""))
        expect_status(reply, 14, trailers_only=True)
    elif case == "deadline":
        reply = call(args, "/grpc.testing.TestService/CacheableUnaryCall", frame(b""), {"grpc-timeout": "300m"})
        expect_status(reply, 4, trailers_only=True)
    elif case == "bad_base64":
        expect(args.text, "a text-mode case")
        reply = call(args, "/grpc.testing.TestService/EmptyCall", b"", raw_body=b"AAAA*AAA")
        expect_status(reply, 13, trailers_only=True)
    elif case == "huge_length":
        reply = call(args, "/grpc.testing.TestService/EmptyCall", struct.pack(">BI", 0, 0xFFFFFFFF) + b"x")
        expect_status(reply, 8, trailers_only=True)
    elif case == "truncated_frame":
        reply = call(args, "/grpc.testing.TestService/EmptyCall", struct.pack(">BI", 0, 10) + b"abc")
        expect_status(reply, 13, trailers_only=True)
    else:
        fail("unknown case " + case)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--protos", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--text", action="store_true")
    parser.add_argument("--token")
    args = parser.parse_args()
    try:
        run(args)
    except (OSError, http.client.HTTPException) as e:
        fail("%s: %s" % (type(e).__name__, e))


if __name__ == "__main__":
    main()
