// The client side of a data-plane connection as one small interface: plain TCP straight on the
// socket, or TLS through QSslSocket. DownstreamConnection speaks HTTP/1.1 over either.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>

#include <memory>

class QSslSocket;

namespace Gatehouse {

// Events of a stream, delivered on the worker thread from the event loop, never from inside a
// call the handler made to the stream.
class ClientStreamHandler
{
public:
    virtual void streamReadable() = 0;   // bytes, or the end of the stream, can be read
    virtual void streamWritten() = 0;    // output waiting for the socket went out (some or all)
    virtual void streamClosed() = 0;     // the connection failed or the peer is gone

protected:
    ~ClientStreamHandler() = default;
};

// Not thread-safe: created, used and destroyed on one worker thread.
class ClientStream
{
public:
    virtual ~ClientStream() = default;

    virtual void setHandler(ClientStreamHandler *handler) = 0;

    // Bytes read into `data` (> 0); 0 when nothing can be read now; -1 once the peer closed the
    // stream or it failed.
    virtual qint64 read(char *data, qint64 maxSize) = 0;
    // Like read() of one byte that stays unread: 1 when bytes wait, 0 when none, -1 as read().
    virtual int peek() = 0;
    // Queues bytes for the client; they leave with flush(), at the latest when the event loop
    // comes round again. Every byte is taken: callers bound what they queue with pendingOutput().
    virtual void write(QByteArrayView bytes) = 0;
    // Hands the queued bytes to the kernel now; what it does not take waits for the socket.
    virtual void flush() = 0;
    // Bytes written and not in the kernel yet.
    virtual qint64 pendingOutput() const = 0;
    // Bytes the stream has read from the kernel and holds (TLS); plain TCP holds none.
    virtual qint64 bufferedInput() const = 0;
    // Stops / resumes streamReadable() while the connection cannot take bytes (level-triggered
    // readiness would otherwise wake the loop again and again for bytes nobody reads).
    virtual void setReadNotifications(bool enabled) = 0;
    // FIN to the client (a half-close: reading goes on).
    virtual void shutdownWrite() = 0;
    // Closes at once, dropping pending output; no event follows.
    virtual void close() = 0;
    virtual QHostAddress peerAddress() const = 0;
};

// Takes ownership of a connected TCP socket from accept(): made non-blocking, TCP_NODELAY set.
// Null if the socket is unusable (already reset); the fd is then closed.
std::unique_ptr<ClientStream> makePlainClientStream(int fd);
// Wraps a QSslSocket that is connected (handshaking or encrypted); takes ownership.
std::unique_ptr<ClientStream> makeTlsClientStream(QSslSocket *socket);

} // namespace Gatehouse
