#!/usr/bin/env python3
"""Holds N idle keep-alive connections to a responder on 127.0.0.1 for tests/bench/dispatcher.sh.

Usage: dispatcher_idle.py PORT COUNT. Each connection makes one request and reads the answer, so
the server holds it as an idle keep-alive connection; prints "ready COUNT" and then waits to be
killed. Connects to 127.0.0.1 only.
"""
import resource
import socket
import sys
import time

REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the end of the body")
        body += chunk


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    connections = []
    for _ in range(count):
        connections.append(socket.create_connection(("127.0.0.1", port), timeout=30))
    for sock in connections:
        sock.sendall(REQUEST)
    for sock in connections:
        read_response(sock)
    print(f"ready {len(connections)}", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
