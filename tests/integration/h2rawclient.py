#!/usr/bin/python3
# A hostile HTTP/2 client on raw sockets for tst_http2: Rapid Reset, CONTINUATION and PING floods,
# corpus replay, uploads that stall beside one that must not. Prints what the server answered last ("GOAWAY <code>", "EOF", "OPEN").
import os
import socket
import struct
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0, 1, 3, 4, 6, 7, 8, 9
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


class Uploader:
    """Sends request bodies within the server's flow-control windows (RFC 9113 §6.9) and reads
    its frames; the client's own windows are opened wide so responses never wait for it."""

    def __init__(self, sock):
        self.sock, self.buffer = sock, b""
        self.connection, self.initial, self.windows = 65535, 65535, {}
        self.ended, self.status, self.reset = set(), {}, {}
        sock.settimeout(0.2)

    def open(self, stream, block):
        self.windows[stream] = self.initial
        send_all(self.sock, frame(HEADERS, END_HEADERS, stream, block))

    def send(self, stream, most, end=False):
        """Sends up to `most` body bytes (END_STREAM with the last when end); returns the count."""
        n = min(most, 16384, self.connection, self.windows[stream])
        if n <= 0 and not (end and most == 0):
            return 0
        n = max(n, 0)
        self.connection -= n
        self.windows[stream] -= n
        send_all(self.sock, frame(DATA, END_STREAM if end and n == most else 0, stream, b"u" * n))
        return n

    def read(self):
        """Handles what arrived within 0.2 s; True when a window grew."""
        grew = False
        try:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("EOF")
            self.buffer += chunk
        except socket.timeout:
            pass
        while len(self.buffer) >= 9:
            length = struct.unpack(">I", b"\0" + self.buffer[:3])[0]
            if len(self.buffer) < 9 + length:
                break
            kind, flags = self.buffer[3], self.buffer[4]
            stream = struct.unpack(">I", self.buffer[5:9])[0] & 0x7FFFFFFF
            payload = self.buffer[9:9 + length]
            self.buffer = self.buffer[9 + length:]
            if kind == SETTINGS and not flags & 1:
                for i in range(0, len(payload) - 5, 6):
                    key, value = struct.unpack(">HI", payload[i:i + 6])
                    if key == 4:   # SETTINGS_INITIAL_WINDOW_SIZE applies to open streams too
                        for s in self.windows:
                            self.windows[s] += value - self.initial
                        grew, self.initial = grew or value > self.initial, value
                send_all(self.sock, frame(SETTINGS, 1, 0))
            elif kind == WINDOW_UPDATE:
                increment = struct.unpack(">I", payload)[0] & 0x7FFFFFFF
                if stream == 0:
                    self.connection += increment
                elif stream in self.windows:
                    self.windows[stream] += increment
                grew = grew or increment > 0
            elif kind == HEADERS and stream not in self.status:
                self.status[stream] = payload[:1]   # 0x88: ":status 200" from the static table
            elif kind == RST_STREAM:
                self.reset[stream] = struct.unpack(">I", payload)[0]
            elif kind == GOAWAY:
                raise ConnectionError("GOAWAY %d" % struct.unpack(">I", payload[4:8])[0])
            if kind in (HEADERS, DATA) and flags & END_STREAM:
                self.ended.add(stream)
        return grew


def stalled_beside_flowing(sock, stalled, size):
    """Streams 1, 3, ... upload to an upstream that never reads until each stream's window is full
    (or nothing moves for 5 s: the connection window is held), then one more stream uploads `size`
    bytes to one that does; prints "COMPLETE 200" when it got its whole answer, else where it stuck."""
    up = Uploader(sock)
    wide = 2 ** 31 - 1
    send_all(sock, frame(SETTINGS, 0, 0, struct.pack(">HI", 4, wide))
             + frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", wide - 65535)))
    post = b"\x83\x86" + literal(b":authority", b"localhost")
    streams = [2 * i + 1 for i in range(stalled)]
    for stream in streams:
        up.open(stream, post + literal(b":path", b"/stall/x"))
    quiet = time.time()
    while time.time() - quiet < 5:
        moved = sum(up.send(stream, 1 << 30) for stream in streams)
        if up.read() or moved:
            quiet = time.time()
        if up.reset or all(up.windows[s] <= 0 for s in streams) and up.initial > 65535:
            break
    if up.reset:
        return "STALLED STREAM RESET %s" % up.reset
    held = [up.initial - up.windows[s] for s in streams]
    flowing, left = 2 * stalled + 1, size
    up.open(flowing, post + literal(b":path", b"/echo/x") + literal(b"x-behave", b"discard")
            + literal(b"content-length", b"%d" % size))
    deadline = time.time() + 20
    while flowing not in up.ended and flowing not in up.reset and time.time() < deadline:
        while left > 0:
            n = up.send(flowing, left, end=True)
            if n == 0:
                break
            left -= n
        up.read()
    if flowing in up.ended:
        verdict = "COMPLETE %s" % ("200" if up.status.get(flowing) == b"\x88" else up.status.get(flowing))
    else:
        verdict = "STUCK with %d bytes unsent, connection window %d" % (left, up.connection)
    return "%s; held per stalled stream %s of %d" % (verdict, held, up.initial)


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
    elif mode == "stalled-uploads":
        # argv[3] streams stall, then one uploads argv[4] bytes beside them.
        try:
            print(stalled_beside_flowing(sock, count, int(sys.argv[4])))
        except ConnectionError as error:
            print(error)
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
