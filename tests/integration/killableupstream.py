#!/usr/bin/python3
# An upstream in its own process, so a test can SIGKILL it mid-response and start it again on the
# same port: usage killableupstream.py PORT. Prints "ready" once listening. Every answer closes its
# connection (nothing pooled survives a kill). GET /ok -> 200 "ok"; GET /download -> a 1 MiB
# Content-Length of which 64 KiB are sent, then the process waits (to be killed).
import socket
import sys
import threading


def serve(conn):
    with conn:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        target = data.split(b" ", 2)[1] if data.count(b" ") >= 2 else b"/"
        if target.endswith(b"/download"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\nConnection: close\r\n\r\n"
                         + b"d" * 65536)
            threading.Event().wait()
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(sys.argv[1])))
    listener.listen(128)
    print("ready", flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


main()
