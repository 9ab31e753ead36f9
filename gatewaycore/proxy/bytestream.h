// A data-plane connection's bytes as one small interface: plain TCP straight on the socket, or
// TLS through QSslSocket. Client and upstream connections speak HTTP/1.1 over either.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QSslCertificate>

#include <memory>

class QSslSocket;

namespace Gatehouse {

// Events of a stream, delivered on the worker thread from the event loop, never from inside a
// call the handler made to the stream.
class ByteStreamHandler
{
public:
    virtual void streamReadable() = 0;   // bytes, or the end of the stream, can be read
    virtual void streamWritten() = 0;    // output waiting for the socket went out (some or all)
    virtual void streamClosed() = 0;     // the connection failed or the peer is gone

protected:
    ~ByteStreamHandler() = default;
};

// Not thread-safe: created, used and destroyed on one worker thread.
class ByteStream
{
public:
    virtual ~ByteStream() = default;

    virtual void setHandler(ByteStreamHandler *handler) = 0;

    // Bytes read into `data` (> 0); 0 when nothing can be read now; -1 once the peer closed the
    // stream (then atEnd()) or it failed.
    virtual qint64 read(char *data, qint64 maxSize) = 0;
    // The peer closed its side cleanly (read() saw the end of the stream), as opposed to a reset.
    virtual bool atEnd() const = 0;
    // Like read() of one byte that stays unread: 1 when bytes wait, 0 when none, -1 as read().
    virtual int peek() = 0;
    // Input (bytes or the peer's close) the event loop's last wait reported and the handler has not
    // been told of yet: 1 yes, 0 no, -1 cannot tell. No system call, unlike peek(); it does not see
    // what arrived after that wait.
    virtual int reportedInput() const { return -1; }
    // Queues bytes for the peer; they leave with flush(), at the latest when the event loop
    // comes round again. Every byte is taken: callers bound what they queue with pendingOutput().
    virtual void write(QByteArrayView bytes) = 0;
    // Hands the queued bytes to the kernel now; what it does not take waits for the socket.
    virtual void flush() = 0;
    // Bytes written and not in the kernel yet.
    virtual qint64 pendingOutput() const = 0;
    // Gives back buffer memory that holds nothing (an idle keep-alive connection).
    virtual void releaseBuffers() = 0;
    // Bytes the stream has read from the kernel and holds (TLS); plain TCP holds none.
    virtual qint64 bufferedInput() const = 0;
    // Stops / resumes streamReadable() while the connection cannot take bytes (level-triggered
    // readiness would otherwise wake the loop again and again for bytes nobody reads).
    virtual void setReadNotifications(bool enabled) = 0;
    // FIN to the peer (a half-close: reading goes on).
    virtual void shutdownWrite() = 0;
    // Closes at once, dropping pending output; no event follows.
    virtual void close() = 0;
    virtual QHostAddress peerAddress() const = 0;
    // The client certificate chain a TLS peer presented (leaf first); empty otherwise.
    virtual QList<QSslCertificate> peerCertificateChain() const { return {}; }
    // The protocol agreed by ALPN ("h2", "http/1.1"); empty without TLS or without agreement.
    virtual QByteArray negotiatedProtocol() const { return {}; }
};

// Takes ownership of a connected TCP socket (from accept(), or connected by a QTcpSocket and
// taken over): made non-blocking, TCP_NODELAY set. Null if the socket is unusable (already
// reset); the fd is then closed.
std::unique_ptr<ByteStream> makePlainStream(int fd);
// Wraps a QSslSocket that is connected (handshaking or encrypted); takes ownership.
std::unique_ptr<ByteStream> makeTlsStream(QSslSocket *socket);

} // namespace Gatehouse
