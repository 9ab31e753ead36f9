#!/usr/bin/python3
# A hostile HTTP/2 client on raw sockets for tst_http2: Rapid Reset, CONTINUATION and PING floods,
# corpus replay. Prints what the server answered last ("GOAWAY <code>", "EOF", "OPEN").
import os
import socket
import struct
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, CONTINUATION = 0, 1, 3, 4, 6, 7, 9
END_STREAM, END_HEADERS = 0x1, 0x4


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def hpack_string(s):
    # A string literal without Huffman coding: 7-bit prefixed length (RFC 7541 §5.1, §5.2).
    if len(s) < 127:
        return bytes([len(s)]) + s
    n, out = len(s) - 127, bytearray([127])
    while n >= 128:
        out.append((n % 128) + 128)
        n //= 128
    out.append(n)
    return bytes(out) + s


def literal(name, value):
    # Literal header field without indexing, new name (RFC 7541 §6.2.2).
    return b"\x00" + hpack_string(name) + hpack_string(value)


def request_block(path=b"/"):
    # :method GET, :scheme http (static table), :path and :authority as literals.
    return b"\x82\x86" + literal(b":path", path) + literal(b":authority", b"localhost")


def read_frames(sock, seconds, until_eof=False):
    """Reads until GOAWAY (unless until_eof), EOF or the time is up; returns the verdict."""
    sock.settimeout(0.2)
    buffer, deadline = b"", time.time() + seconds
    while time.time() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return "EOF"
        if not chunk:
            return "EOF"
        buffer += chunk
        while len(buffer) >= 9:
            length = struct.unpack(">I", b"\0" + buffer[:3])[0]
            if len(buffer) < 9 + length:
                break
            kind, payload = buffer[3], buffer[9:9 + length]
            buffer = buffer[9 + length:]
            if kind == GOAWAY and not until_eof:
                return "GOAWAY %d" % struct.unpack(">I", payload[4:8])[0]
    return "OPEN"


def wait_for(sock, predicate, seconds=10):
    """Reads frames until one satisfies predicate(kind, flags, payload); False on EOF or time.
    Bytes after that frame stay in wait_for.buffer for the next call."""
    sock.settimeout(0.2)
    deadline = time.time() + seconds
    while True:
        while len(wait_for.buffer) >= 9:
            length = struct.unpack(">I", b"\0" + wait_for.buffer[:3])[0]
            if len(wait_for.buffer) < 9 + length:
                break
            kind, flags, payload = wait_for.buffer[3], wait_for.buffer[4], wait_for.buffer[9:9 + length]
            wait_for.buffer = wait_for.buffer[9 + length:]
            if predicate(kind, flags, payload):
                return True
        if time.time() >= deadline:
            return False
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            return False
        wait_for.buffer += chunk


wait_for.buffer = b""


def send_all(sock, data):
    try:
        sock.sendall(data)
        return True
    except (ConnectionResetError, BrokenPipeError):
        return False


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "replay":
        # argv[3] is a folder of fuzzing inputs: each file's bytes on a new connection as they
        # are, then a half-close; the server must close too (not hang). Prints the counts.
        folder, hung = sys.argv[3], []
        names = sorted(os.listdir(folder))
        for name in names:
            with open(os.path.join(folder, name), "rb") as f:
                payload = f.read()
            sock = socket.create_connection(("127.0.0.1", port))
            send_all(sock, payload)
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            if read_frames(sock, 5, until_eof=True) != "EOF":
                hung.append(name)
            sock.close()
        print("replayed %d hung %d %s" % (len(names), len(hung), " ".join(hung)))
        return
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    sock = socket.create_connection(("127.0.0.1", port))
    send_all(sock, PREFACE + frame(SETTINGS, 0, 0))
    out = bytearray()
    if mode == "rapid-reset":
        for i in range(count):
            stream = 2 * i + 1
            out += frame(HEADERS, END_STREAM | END_HEADERS, stream, request_block())
            out += frame(RST_STREAM, 0, stream, struct.pack(">I", 8))   # CANCEL
    elif mode == "continuation":
        out += frame(HEADERS, END_STREAM, 1, request_block())
        for i in range(count):
            out += frame(CONTINUATION, 0, 1, literal(b"x-flood", b"%d" % i))
    elif mode == "ping-flood":
        for i in range(count):
            out += frame(PING, 0, 0, struct.pack(">Q", i))
    elif mode == "cancel":
        # A download cancelled with RST_STREAM after its first DATA; then a PING on the same
        # connection shows it is still served. Prints "PONG" or what happened instead.
        block = request_block(b"/echo/big") + literal(b"x-behave", b"size=1073741824")
        send_all(sock, frame(HEADERS, END_STREAM | END_HEADERS, 1, block))
        if not wait_for(sock, lambda kind, flags, payload: kind == DATA):
            print("NO DATA")
            return
        send_all(sock, frame(RST_STREAM, 0, 1, struct.pack(">I", 8)) + frame(PING, 0, 0, b"12345678"))
        ok = wait_for(sock, lambda kind, flags, payload: kind == PING and flags & 1 and payload == b"12345678")
        print("PONG" if ok else "NO PONG")
        return
    elif mode == "hpack-bomb":
        # One 4 KiB field put in the HPACK table, then referenced `count` times by one-byte
        # indexes: a header block of a few KiB that decodes to megabytes. Prints how the server
        # answered stream 1: "HEADERS" (a response), "GOAWAY <code>", or "EOF"/"OPEN".
        # Literal with incremental indexing, new name (RFC 7541 §6.2.1): it becomes index 62.
        block = request_block(b"/echo/x") + b"\x40" + hpack_string(b"x-bomb") + hpack_string(b"a" * 4000)
        block += b"\xbe" * count   # indexed field 62 (RFC 7541 §6.1)
        send_all(sock, frame(HEADERS, END_STREAM | END_HEADERS, 1, block[:16384]))
        if len(block) > 16384:
            print("BLOCK TOO LARGE FOR ONE FRAME")
            return
        found = wait_for(sock, lambda kind, flags, payload: kind in (HEADERS, GOAWAY))
        print("ANSWERED" if found else "NO ANSWER")
        return
    elif mode == "settings-flood":
        for i in range(count):
            out += frame(SETTINGS, 0, 0, struct.pack(">HI", 4, 65535 + i % 2))
    send_all(sock, bytes(out))
    if mode == "ping-flood" or mode == "settings-flood":
        time.sleep(1)   # a client that never reads: the server must not queue without bound
    print(read_frames(sock, 10))


if __name__ == "__main__":
    main()
