// One HTTP/1.1 connection to an upstream, owned by the worker's UpstreamPool, lent to one exchange
// at a time. Parses responses and reports them to its handler; never buffers a whole body.
#pragma once

#include "bytestream.h"
#include "tcpconnect.h"
#include "upstreamendpoint.h"

#include "http/http1parser.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

class QTcpSocket;
class QSslConfiguration;

namespace Gatehouse {


enum class UpstreamFailure {
    ConnectFailed = 1,   // refused, unreachable, DNS failure, TLS handshake failure
    ConnectTimeout,
    Reset,               // closed or reset before the response was complete
    Timeout,             // no response head within the request timeout
    BadResponse,         // unparseable or smuggling-prone response
};

// Implemented by the exchange that borrows the connection. Callbacks run on the worker thread;
// a handler may release the connection from inside any callback (the connection then stops).
class UpstreamHandler
{
public:
    virtual void upstreamConnected() = 0;
    virtual void upstreamHead(const Http1Head &head) = 0;
    virtual void upstreamBody(QByteArrayView data) = 0;
    virtual void upstreamComplete(const Http1FieldList &trailers) = 0;
    virtual void upstreamFailed(UpstreamFailure failure, bool responseStarted) = 0;
    virtual void upstreamDrained() = 0;   // the write buffer fell below the low-water mark

protected:
    ~UpstreamHandler() = default;
};

// Plain TCP connects to a literal address with TcpConnect, to a host name through QTcpSocket (name
// lookup off the thread, connect, errors), and then carries the exchange on the raw socket (a
// ByteStream: one recv/send per event, no Qt buffers or signals). TLS stays on QSslSocket.
class UpstreamConnection : public QObject, private ByteStreamHandler, private TcpConnectHandler
{
    Q_OBJECT
public:
    static constexpr qint64 kHighWater = 256 * 1024;   // pause the producer above this
    static constexpr qint64 kLowWater = 64 * 1024;     // resume it below this

    UpstreamConnection(const UpstreamTarget &target, const QSslConfiguration *tls,
                       const Http1Limits &limits, QObject *parent);
    ~UpstreamConnection() override;

    const UpstreamTarget &target() const { return m_target; }
    bool isConnected() const { return m_connected; }
    // Between exchanges, keep-alive, nothing unread in our buffer: may go back to the pool.
    // Costs no system call.
    bool isReusable() const;
    // isReusable(), and the upstream sent nothing unasked and did not close meanwhile: the check
    // made when the pool lends the connection again. What the event loop's last wait reported is
    // known for free; `peek` also looks at the socket for what arrived since (one system call).
    bool isReusableNow(bool peek) const;

    // Starts a request exchange: attaches the handler and connects if needed (upstreamConnected()
    // follows, immediately queued when the connection is already open).
    void begin(UpstreamHandler *handler, HttpMethod method);
    // Detaches the handler; the pool decides whether to keep the connection.
    void end();
    // Closes the socket at once (the pool deletes the object later).
    void abort();

    // Queues request bytes; flush() sends what is queued (at the latest the event loop does).
    void write(QByteArrayView bytes);
    void flush();
    qint64 bytesToWrite() const;
    // Stop / resume reading the response (client-side backpressure).
    void setReadingPaused(bool paused);

signals:
    void closed(Gatehouse::UpstreamConnection *connection);   // idle or busy, the socket is gone

private:
    void onConnected();
    void adoptPlainSocket(int fd);
    void onReadyRead();
    void onDisconnected();
    void onError();
    void onBytesWritten();
    void processInput();
    void fail(UpstreamFailure failure);
    // The connection is gone (or never came): closed quietly when idle, a failure of the exchange otherwise.
    void lost(UpstreamFailure failure);
    void onStreamFailed();

    // ByteStreamHandler (plain TCP once connected)
    void streamReadable() override { onReadyRead(); }
    void streamWritten() override { onBytesWritten(); }
    void streamClosed() override { onStreamFailed(); }
    // TcpConnectHandler
    void tcpConnected(int fd) override;
    void tcpConnectFailed(int error) override;

    UpstreamTarget m_target;
    QTcpSocket *m_socket = nullptr;   // connecting to a host name, and all along for TLS
    std::unique_ptr<TcpConnect> m_connect;   // connecting to a literal address
    QByteArray m_early;   // bytes written while m_connect connects (QTcpSocket would buffer them)
    std::unique_ptr<ByteStream> m_stream;   // plain TCP once connected
    Http1Parser m_parser{Http1Role::Response};
    QByteArray m_in;           // read buffer; bytes [m_inPos, m_inEnd) are not parsed yet
    qsizetype m_inPos = 0;
    qsizetype m_inEnd = 0;
    UpstreamHandler *m_handler = nullptr;
    bool m_connected = false;
    bool m_responseStarted = false;
    bool m_responseDone = false;
    bool m_paused = false;
    bool m_closed = false;
    bool m_keepAlive = false;
};

} // namespace Gatehouse
