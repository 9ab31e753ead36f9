// One HTTP/1.1 connection to an upstream: connect, write the request, parse the response.
#include "upstreamconnection.h"

#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>

#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace Gatehouse {

namespace {
constexpr qsizetype kUpstreamReadChunk = 64 * 1024;
}

UpstreamConnection::UpstreamConnection(const UpstreamTarget &target, const QSslConfiguration *tls,
                                       const Http1Limits &limits, QObject *parent)
    : QObject(parent), m_target(target), m_parser(Http1Role::Response, limits)
{
    if (target.tls) {
        auto *ssl = new QSslSocket(this);
        if (tls)
            ssl->setSslConfiguration(*tls);
        connect(ssl, &QSslSocket::encrypted, this, &UpstreamConnection::onConnected);
        m_socket = ssl;
    } else if (target.address.isNull()) {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &UpstreamConnection::onConnected);
    } else {
        return;   // TcpConnect, from begin()
    }
    // Bounded: a fast upstream and a slow client must not grow memory (backpressure via TCP).
    m_socket->setReadBufferSize(kUpstreamReadChunk);
    connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &UpstreamConnection::onError);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &UpstreamConnection::onBytesWritten);
}

UpstreamConnection::~UpstreamConnection() = default;

bool UpstreamConnection::isReusable() const
{
    return m_connected && !m_closed && m_responseDone && m_keepAlive && m_parser.isIdle()
           && m_inPos == m_inEnd && bytesToWrite() == 0;
}

bool UpstreamConnection::isReusableNow(bool peek) const
{
    if (!isReusable())
        return false;
    if (!m_stream)
        return m_socket->bytesAvailable() == 0;
    const int reported = m_stream->reportedInput();
    if (reported > 0)
        return false;
    // A one-byte peek: nothing waiting and not closed (FIONREAD would miss a close).
    return (reported == 0 && !peek) || m_stream->peek() == 0;
}

void UpstreamConnection::begin(UpstreamHandler *handler, HttpMethod method)
{
    m_handler = handler;
    // A pooled connection's parser is between messages already (isReusable() checks it): only
    // one that is not is rebuilt.
    if (!m_parser.isIdle())
        m_parser.reset();
    m_parser.setRequestMethod(method);
    m_responseStarted = false;
    m_responseDone = false;
    m_keepAlive = false;
    m_paused = false;
    if (m_connected) {
        handler->upstreamConnected();
        return;
    }
    if (!m_socket) {
        if (m_connect || m_closed)
            return;   // still connecting from an earlier begin()
        m_connect = std::make_unique<TcpConnect>(static_cast<TcpConnectHandler *>(this));
        if (const int error = m_connect->start(m_target.address, m_target.port); error != 0) {
            // As QTcpSocket reports it: from the event loop, not from inside begin().
            QMetaObject::invokeMethod(this, [this, error] { tcpConnectFailed(error); }, Qt::QueuedConnection);
        }
        return;
    }
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        return;   // still connecting from an earlier begin()
    if (m_target.tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_target.host, m_target.port);
    else
        m_socket->connectToHost(m_target.host, m_target.port, QIODevice::ReadWrite | QIODevice::Unbuffered);
}

void UpstreamConnection::end()
{
    m_handler = nullptr;
}

void UpstreamConnection::abort()
{
    m_handler = nullptr;
    if (!m_closed) {
        m_closed = true;
        m_connect.reset();
        if (m_stream)
            m_stream->close();
        else if (m_socket)
            m_socket->abort();
        emit closed(this);
    }
}

void UpstreamConnection::write(QByteArrayView bytes)
{
    if (m_stream)
        m_stream->write(bytes);
    else if (m_socket)
        m_socket->write(bytes.data(), bytes.size());
    else if (!m_closed)
        m_early.append(bytes);
}

void UpstreamConnection::flush()
{
    if (m_stream)
        m_stream->flush();
    else if (m_socket)
        m_socket->flush();
}

qint64 UpstreamConnection::bytesToWrite() const
{
    if (m_stream)
        return m_stream->pendingOutput();
    return m_socket ? m_socket->bytesToWrite() : m_early.size();
}

void UpstreamConnection::setReadingPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused)
        processInput();
}

void UpstreamConnection::onConnected()
{
    if (!m_target.tls) {
        // Take the connected socket over: our own descriptor for it; Qt's closes when the
        // QTcpSocket is deleted, after this signal (a close without shutdown(): the connection
        // stays open through ours).
        const int fd = ::fcntl(int(m_socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
        QTcpSocket *socket = std::exchange(m_socket, nullptr);
        socket->disconnect(this);
        socket->deleteLater();
        adoptPlainSocket(fd);
        return;
    }
    m_connected = true;
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_handler)
        m_handler->upstreamConnected();
}

void UpstreamConnection::adoptPlainSocket(int fd)
{
    m_connected = true;
    m_stream = fd >= 0 ? makePlainStream(fd) : nullptr;
    if (!m_stream) {
        fail(UpstreamFailure::Reset);
        return;
    }
    m_stream->setHandler(this);
    if (!m_early.isEmpty())
        m_stream->write(std::exchange(m_early, {}));
    if (m_handler)
        m_handler->upstreamConnected();
}

void UpstreamConnection::tcpConnected(int fd)
{
    m_connect.reset();
    adoptPlainSocket(fd);
}

void UpstreamConnection::tcpConnectFailed(int)
{
    m_connect.reset();
    lost(UpstreamFailure::ConnectFailed);
}

void UpstreamConnection::onReadyRead()
{
    if (!m_handler) {
        // Bytes on an idle connection: the upstream is confused or closing. Never reuse it.
        abort();
        return;
    }
    processInput();
}

void UpstreamConnection::processInput()
{
    if (!m_stream && !m_socket)
        return;   // TcpConnect is still connecting: nothing to read yet
    UpstreamHandler *const handler = m_handler;
    while (handler && m_handler == handler && !m_paused && !m_closed) {
        // Ask the parser before reading: a response without a body completes on an empty call.
        const Http1Step step = m_parser.next({m_in.constData() + m_inPos, m_inEnd - m_inPos});
        m_inPos += step.consumed;
        switch (step.event) {
        case Http1Event::NeedData: {
            if (m_in.size() != kUpstreamReadChunk)
                m_in.resize(kUpstreamReadChunk);   // once: then reads reuse it, with no resize per read
            m_inPos = 0;
            const qint64 n = m_stream ? m_stream->read(m_in.data(), kUpstreamReadChunk)
                                      : m_socket->read(m_in.data(), kUpstreamReadChunk);
            m_inEnd = n > 0 ? n : 0;
            if (n < 0) {
                // The stream reports the upstream's close (or reset) only as read() == -1.
                if (m_stream ? m_stream->atEnd()
                             : m_socket->error() == QAbstractSocket::RemoteHostClosedError)
                    onDisconnected();
                else if (m_stream)
                    onStreamFailed();
                else
                    onError();
                return;
            }
            if (n == 0)
                return;
            continue;
        }
        case Http1Event::Head:
            if (m_parser.head().isInterim())
                continue;   // 100 Continue and 103: the gateway answers Expect itself
            m_responseStarted = true;
            m_keepAlive = m_parser.head().keepAlive;
            handler->upstreamHead(m_parser.head());
            break;
        case Http1Event::Body:
            handler->upstreamBody(step.data);
            break;
        case Http1Event::MessageComplete:
            if (!m_responseStarted)
                continue;   // the end of an interim (1xx) response: the final one follows
            m_responseDone = true;
            handler->upstreamComplete(m_parser.trailers());
            return;
        case Http1Event::Paused:   // 101 Switching Protocols: upgrades are not proxied
        case Http1Event::Error:
            fail(UpstreamFailure::BadResponse);
            return;
        }
    }
}

void UpstreamConnection::onDisconnected()
{
    if (m_closed)
        return;
    if (m_handler && m_responseStarted && !m_responseDone) {
        // An until-close body ends here; anything else was cut short.
        const Http1Step step = m_parser.finish();
        if (step.event == Http1Event::MessageComplete) {
            m_responseDone = true;
            m_closed = true;
            UpstreamHandler *handler = m_handler;
            handler->upstreamComplete(m_parser.trailers());
            emit closed(this);
            return;
        }
    }
    if (m_handler && !m_responseDone) {
        fail(m_connected ? UpstreamFailure::Reset : UpstreamFailure::ConnectFailed);
        return;
    }
    m_closed = true;
    emit closed(this);
}

void UpstreamConnection::onError()
{
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError)
        return;   // onDisconnected decides between end-of-body and reset
    if (m_closed)
        return;
    if (!m_handler) {
        abort();
        return;
    }
    fail(m_connected ? UpstreamFailure::Reset : UpstreamFailure::ConnectFailed);
}

void UpstreamConnection::onStreamFailed()
{
    lost(UpstreamFailure::Reset);
}

void UpstreamConnection::lost(UpstreamFailure failure)
{
    if (m_closed)
        return;
    if (!m_handler) {
        abort();   // idle: the pool lets it go
        return;
    }
    fail(failure);
}

void UpstreamConnection::onBytesWritten()
{
    if (m_handler && bytesToWrite() < kLowWater)
        m_handler->upstreamDrained();
}

void UpstreamConnection::fail(UpstreamFailure failure)
{
    UpstreamHandler *handler = m_handler;
    const bool started = m_responseStarted;
    m_handler = nullptr;
    if (!m_closed) {
        m_closed = true;
        m_connect.reset();
        if (m_stream)
            m_stream->close();
        else if (m_socket)
            m_socket->abort();
        emit closed(this);
    }
    if (handler)
        handler->upstreamFailed(failure, started);
}

} // namespace Gatehouse
