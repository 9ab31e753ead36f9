#!/usr/bin/env python3
"""Keep-alive HTTP/1.1 client for tests/bench/http-proxy, on 127.0.0.1 only.

Usage:
  http_proxy_client.py idle PORT COUNT PATH
      opens COUNT connections, makes one request on each and reads the answer, so the proxy holds
      them as idle keep-alive connections; prints "ready COUNT" and waits to be killed.
  http_proxy_client.py requests PORT TOTAL CONNECTIONS PATH
      makes exactly TOTAL requests in lockstep over CONNECTIONS keep-alive connections (one request
      on each, then every answer), checks that each is a 200, prints "done TOTAL".
"""
import resource
import socket
import sys
import time


def request(path):
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


def read_response(sock, pending):
    """Reads one response (Content-Length framed) from sock; returns (status, leftover bytes)."""
    data = pending
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ")[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the end of the body")
        body += chunk
    return status, body[length:]


def connect_all(port, count):
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(count)]


def idle(port, count, path):
    connections = connect_all(port, count)
    req = request(path)
    # In batches: a proxy opens an upstream connection per request in flight, and 8,000 at once
    # would measure its upstream limits rather than idle client connections.
    for start in range(0, count, 256):
        batch = connections[start:start + 256]
        for sock in batch:
            sock.sendall(req)
        for sock in batch:
            read_response(sock, b"")
    print(f"ready {len(connections)}", flush=True)
    while True:
        time.sleep(3600)


def requests(port, total, count, path):
    connections = connect_all(port, count)
    pending = [b""] * count
    req = request(path)
    done = 0
    while done < total:
        batch = min(count, total - done)
        for sock in connections[:batch]:
            sock.sendall(req)
        for i in range(batch):
            status, pending[i] = read_response(connections[i], pending[i])
            if status != 200:
                raise RuntimeError(f"status {status}")
        done += batch
    print(f"done {done}", flush=True)


def main():
    mode = sys.argv[1]
    if mode == "idle":
        idle(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif mode == "requests":
        requests(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
