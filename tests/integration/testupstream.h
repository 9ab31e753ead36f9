// A scriptable HTTP/1.1 upstream for the integration tests, on its own thread. Each request says
// how it wants to be answered in an "X-Behave" header (the gateway forwards it), so tests need no
// shared script: "status=204", "framing=close;size=100000", "delay=3000", "reset=before" ...
#pragma once

#include "testclient.h"

#include "base/threadmailbox.h"

#include <QHostAddress>
#include <QMutex>
#include <QString>

#include <memory>

class QThread;

namespace Gatehouse::Test {

// Behaviour keys (";"-separated, in X-Behave or setDefaultBehaviour):
//   (none)              200 with a JSON echo of the request: method, target, headers, trailers,
//                       body (first 64 KiB), bodyBytes, chunked, connection (1-based id)
//   status=N            answer N (with the echo body unless size/body say otherwise)
//   body=TEXT           this body instead of the echo
//   size=N              a generated body of N bytes ('a'..'z' repeated), written with backpressure
//   framing=length|chunked|close   Content-Length (default), chunked, or until the connection closes
//   trailer=Name:Value  a trailer field (chunked only); may repeat
//   header=Name:Value   a response field; may repeat
//   delay=MS            wait before sending the head
//   interim=N           send an interim 1xx (100, 103) before the final head
//   keepalive=0         answer with "Connection: close" and close
//   idleclose=MS        keep the connection, but close it when no request follows within MS
//   stall=N             send the head (Content-Length 2N) and N body bytes, then nothing
//   reset=before|head|body   reset (RST) before answering, after the head, or halfway in the body
//   close=before        close (FIN) without answering
//   garbage             answer bytes that are not HTTP
//   hugeheader=N        a response field of N bytes
//   discard             do not keep body bytes (big uploads); bodyBytes still counts them
// The behaviour acts once the whole request (body included) has arrived.
struct RecordedRequest
{
    int connection = 0;
    QByteArray method;
    QByteArray target;
    FieldPairs headers;
    FieldPairs trailers;
    QByteArray body;       // the first 64 KiB
    qint64 bodyBytes = 0;
    bool chunked = false;

    QByteArray header(QByteArrayView name) const { return fieldValue(headers, name); }
    int headerCount(QByteArrayView name) const { return fieldCount(headers, name); }
};

class TestUpstream
{
public:
    struct Tls
    {
        QString certificateFile;   // PEM
        QString privateKeyFile;    // PEM (RSA or EC)
    };

    TestUpstream();
    ~TestUpstream();
    TestUpstream(const TestUpstream &) = delete;
    TestUpstream &operator=(const TestUpstream &) = delete;

    bool start(const Tls *tls = nullptr);   // listens on 127.0.0.1, any free port
    void stop();                            // closes every connection and the listener
    quint16 port() const { return m_port; }
    // "http://127.0.0.1:PORT" + path ("https://" with TLS).
    QString url(const QString &path = {}) const;

    // Used for requests without X-Behave.
    void setDefaultBehaviour(const QByteArray &spec);

    // Thread-safe readings (the upstream runs on its own thread).
    int requestCount() const;       // heads received
    int completedCount() const;     // requests received whole (head and body)
    int connectionCount() const;    // connections accepted
    int openConnections() const;
    qint64 bodyBytesReceived() const;
    QList<RecordedRequest> requests() const;
    RecordedRequest lastRequest() const;
    void clearRecords();
    bool waitForRequests(int count, int timeoutMs = 10'000) const;
    // Returns once the upstream's thread has turned its event loop three times: connections and
    // bytes that were in the kernel before the call have been accepted, read and counted.
    void sync() const;

    struct State;   // shared with the thread's objects

private:
    std::shared_ptr<State> m_state;
    QThread *m_thread = nullptr;
    QObject *m_server = nullptr;   // lives on m_thread, reached through m_mailbox
    ThreadMailbox m_mailbox;
    quint16 m_port = 0;
    bool m_tls = false;
};

// A listener that never accepts, with its one-slot backlog filled: the gateway's connection
// attempts get no SYN-ACK, so they can only end by the gateway's connect timeout.
class BlackholeListener
{
public:
    BlackholeListener();
    ~BlackholeListener();
    bool start();
    quint16 port() const { return m_port; }

private:
    int m_listenFd = -1;
    QList<int> m_fillers;
    quint16 m_port = 0;
};

} // namespace Gatehouse::Test
