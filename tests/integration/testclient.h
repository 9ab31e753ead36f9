// Client side of the integration tests: a raw HTTP/1.1 connection that reads responses strictly,
// event-loop waits that never block the gateway's admin API, child processes, /proc readings.
#pragma once

#include "http/http1head.h"   // httpEqualsIgnoreCase, httpListContainsToken

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class QTcpSocket;

namespace Gatehouse {
class Http1Parser;
}

class QProcess;

namespace Gatehouse::Test {

using FieldPairs = QList<QPair<QByteArray, QByteArray>>;

// Whether this build (the test and the gatehoused next to it) runs under AddressSanitizer. Its
// quarantine keeps freed memory resident, so RSS bounds mean nothing there.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

// Runs the caller's event loop until `predicate` holds or `timeoutMs` passes (a hang guard, never
// a timing assertion). Unlike QTest::qWaitFor it sleeps in the event dispatcher, not in 10 ms
// naps, so thousands of round trips stay fast.
bool waitUntil(const std::function<bool()> &predicate, int timeoutMs);
// Runs the event loop for `ms` milliseconds.
void spin(int ms);

// The first value of `name` (ASCII case-insensitive); null when absent.
QByteArray fieldValue(const FieldPairs &fields, QByteArrayView name);
// An Authorization value for HTTP Basic: "Basic " + base64(user ":" password).
QByteArray basicAuthorization(const QByteArray &user, const QByteArray &password);
int fieldCount(const FieldPairs &fields, QByteArrayView name);

struct HttpResponse
{
    bool complete = false;        // a whole response was read
    bool closed = false;          // the peer closed (or reset) the connection while reading
    bool timedOut = false;
    bool parseError = false;      // the bytes were not a valid HTTP/1.1 response
    QByteArray parseErrorReason;
    QByteArray version;           // "HTTP/1.1" or "HTTP/1.0"
    int status = 0;
    QByteArray reason;
    QList<int> interim;           // 1xx responses before this one
    FieldPairs headers;
    FieldPairs trailers;
    bool chunked = false;
    QByteArray body;

    QByteArray header(QByteArrayView name) const { return fieldValue(headers, name); }
    int headerCount(QByteArrayView name) const { return fieldCount(headers, name); }
    QJsonObject json() const;
    // One line for failure messages: "200 complete, 5 fields, 12-byte body" ...
    QString describe() const;
};

// One client connection to a gateway listener (plain or TLS), driven from the test thread.
class HttpConnection
{
public:
    HttpConnection();
    ~HttpConnection();
    HttpConnection(const HttpConnection &) = delete;
    HttpConnection &operator=(const HttpConnection &) = delete;

    // tls: accept any certificate (the gateway's is self-signed); alpn offered when not empty.
    bool connectTo(quint16 port, bool tls = false, const QList<QByteArray> &alpn = {},
                   int timeoutMs = 10'000);
    void write(QByteArrayView bytes);
    // Writes and waits until the kernel took the bytes (no user-space buffer left).
    bool writeAndFlush(QByteArrayView bytes, int timeoutMs = 10'000);
    // Reads the next response; `method` tells whether a body follows (HEAD). Keeps unread bytes
    // for the next call (pipelining).
    HttpResponse readResponse(QByteArrayView method = "GET", int timeoutMs = 10'000);
    // True once the peer closed the connection (EOF or reset) within the time; unread bytes are
    // discarded.
    bool waitForClosed(int timeoutMs = 10'000);
    // Everything until the peer closes (or the time passes).
    QByteArray readUntilClosed(int timeoutMs = 10'000);
    bool isOpen() const;
    void halfClose();   // shutdown(SHUT_WR): the gateway sees EOF after what was sent
    void abort();       // close at once, as a crashing client would
    QTcpSocket *socket() const { return m_socket.get(); }
    QByteArray negotiatedAlpn() const;

private:
    bool readMore(int timeoutMs);
    std::unique_ptr<QTcpSocket> m_socket;
    std::unique_ptr<Http1Parser> m_parser;
    QByteArray m_buffer;
    bool m_eof = false;
};

// A one-shot request on a new connection with "Connection: close".
HttpResponse httpRequest(quint16 port, QByteArrayView method, QByteArrayView target,
                         const FieldPairs &headers = {}, QByteArrayView body = {}, bool tls = false,
                         int timeoutMs = 15'000);
// The raw bytes of such a request (Host: gateway, Content-Length when a body is given).
QByteArray requestBytes(QByteArrayView method, QByteArrayView target, const FieldPairs &headers = {},
                        QByteArrayView body = {}, bool close = false);

struct ProcessResult
{
    bool started = false;
    bool finished = false;     // false: killed at the hang guard
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe() const;
};
// The process is killed when the test process ends, however it ends (a failed QVERIFY that skips
// the cleanup, a sanitizer abort, a crash): no gatehoused, redis-server or peer outlives its test.
// Call before start().
void endsWithTest(QProcess &process);

// Runs a program to completion with the event loop turning (the in-process gateway's admin API
// keeps answering); killed after `timeoutMs`.
ProcessResult runProcess(const QString &program, const QStringList &arguments, int timeoutMs = 30'000,
                         const QByteArray &input = {});

// /proc readings of a process: VmRSS in KiB, and the number of open file descriptors (-1 on error).
qint64 residentKiB(qint64 pid);
int openFileCount(qint64 pid);
// The TCP sockets a process holds, one line each from `ss -tanoi` (state, queues, timers, peer):
// what a failing "no connection left" check prints, to tell a stuck connection from a miscount.
QString socketsOf(qint64 pid);

// A loopback port nobody listens on: bound to port 0, then released.
quint16 unusedPort();

} // namespace Gatehouse::Test
