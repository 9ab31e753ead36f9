// Byte streams: plain TCP on the raw socket (one recv/send per event, no Qt buffers or signals),
// and TLS as a thin adapter over QSslSocket.
#include "bytestream.h"

#include "epolleventdispatcher.h"

#include <QAbstractEventDispatcher>
#include <QEvent>
#include <QSocketNotifier>
#include <QSslConfiguration>
#include <QSslSocket>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Gatehouse {

namespace {

// Output kept after a flush empties the buffer: a typical answer's head and a small body fit, so
// a keep-alive connection does not allocate per response; a larger buffer is given back.
constexpr qsizetype kKeptOutputCapacity = 4096;

// Readiness comes straight from the thread's EpollEventDispatcher (data-plane workers run one):
// no QSocketNotifier, no QEvent per activation. On another dispatcher, QSocketNotifiers.
class PlainStream final : public ByteStream, private EpollEventDispatcher::SocketWatcher
{
public:
    PlainStream(int fd, const QHostAddress &peer)
        : m_fd(fd), m_peer(peer),
          m_dispatcher(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()))
    {
        if (m_dispatcher && m_dispatcher->watchSocket(fd, this, true, false))
            return;
        m_dispatcher = nullptr;
        m_readNotifier = std::make_unique<Notifier>(fd, QSocketNotifier::Read, this);
        m_writeNotifier = std::make_unique<Notifier>(fd, QSocketNotifier::Write, this);
        m_writeNotifier->setEnabled(false);
    }

    ~PlainStream() override { close(); }

    void setHandler(ByteStreamHandler *handler) override { m_handler = handler; }

    qint64 read(char *data, qint64 maxSize) override
    {
        if (m_fd < 0)
            return -1;
        for (;;) {
            const ssize_t n = ::recv(m_fd, data, size_t(maxSize), 0);
            if (n > 0)
                return n;
            if (n == 0) {
                m_atEnd = true;
                return -1;   // the peer closed its side
            }
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
    }

    bool atEnd() const override { return m_atEnd; }

    int peek() override
    {
        if (m_fd < 0)
            return -1;
        char byte;
        for (;;) {
            const ssize_t n = ::recv(m_fd, &byte, 1, MSG_PEEK);
            if (n > 0)
                return 1;
            if (n == 0)
                return -1;
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
    }

    int reportedInput() const override
    {
        if (!m_dispatcher)
            return -1;
        return m_fd >= 0 && m_dispatcher->isReadReported(m_fd) ? 1 : 0;
    }

    void write(QByteArrayView bytes) override
    {
        if (m_fd < 0 || m_failed || bytes.isEmpty())
            return;
        const auto size = qsizetype(bytes.size());
        if (m_end + size > m_capacity)
            grow(size);
        std::memcpy(m_buffer.get() + m_end, bytes.data(), size_t(size));
        m_end += size;
        // Whoever forgets to flush: the bytes go when the socket is next seen writable.
        armWriteNotifier(true);
    }

    void flush() override
    {
        if (m_fd < 0 || m_failed)
            return;
        while (m_begin < m_end) {
            const ssize_t n = ::send(m_fd, m_buffer.get() + m_begin, size_t(m_end - m_begin),
                                     MSG_NOSIGNAL);
            if (n > 0) {
                m_begin += n;
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            // Reset or closed: drop the output; onWritable() reports it from the event loop.
            m_failed = true;
            m_begin = m_end = 0;
            armWriteNotifier(true);
            return;
        }
        if (m_begin < m_end) {
            armWriteNotifier(true);
            return;
        }
        m_begin = m_end = 0;
        if (m_capacity > kKeptOutputCapacity) {
            m_buffer.reset();
            m_capacity = 0;
        }
        armWriteNotifier(false);
    }

    qint64 pendingOutput() const override { return m_end - m_begin; }
    qint64 bufferedInput() const override { return 0; }

    void releaseBuffers() override
    {
        if (m_begin == m_end) {
            m_buffer.reset();
            m_capacity = m_begin = m_end = 0;
        }
    }

    void setReadNotifications(bool enabled) override
    {
        if (m_fd < 0 || m_readEnabled == enabled)
            return;
        m_readEnabled = enabled;
        if (m_dispatcher)
            m_dispatcher->setSocketInterest(m_fd, m_readEnabled, m_writeArmed);
        else
            m_readNotifier->setEnabled(enabled);
    }

    void shutdownWrite() override
    {
        if (m_fd >= 0)
            ::shutdown(m_fd, SHUT_WR);
    }

    void close() override
    {
        if (m_fd < 0)
            return;
        m_handler = nullptr;
        // Readiness goes quiet before the fd is closed (the dispatcher's rule); notifier objects
        // stay until the stream is destroyed, so closing from inside their own event is safe.
        if (m_dispatcher) {
            m_dispatcher->unwatchSocket(m_fd);
        } else {
            m_readNotifier->setEnabled(false);
            m_writeNotifier->setEnabled(false);
        }
        m_writeArmed = false;
        ::close(m_fd);
        m_fd = -1;
        m_buffer.reset();
        m_capacity = m_begin = m_end = 0;
    }

    QHostAddress peerAddress() const override { return m_peer; }

private:
    // Delivers activations straight to the stream: no activated() signal emitted per event.
    class Notifier final : public QSocketNotifier
    {
    public:
        Notifier(int fd, Type type, PlainStream *stream)
            : QSocketNotifier(fd, type), m_stream(stream)
        {
        }

    protected:
        bool event(QEvent *e) override
        {
            if (e->type() != QEvent::SockAct)
                return QSocketNotifier::event(e);
            if (type() == QSocketNotifier::Read)
                m_stream->onReadable();
            else
                m_stream->onWritable();
            return true;
        }

    private:
        PlainStream *m_stream;
    };

    void armWriteNotifier(bool armed)
    {
        if (m_writeArmed == armed)
            return;
        m_writeArmed = armed;
        if (m_dispatcher)
            m_dispatcher->setSocketInterest(m_fd, m_readEnabled, m_writeArmed);
        else
            m_writeNotifier->setEnabled(armed);
    }

    // EpollEventDispatcher::SocketWatcher
    void socketReadable() override { onReadable(); }
    void socketWritable() override { onWritable(); }

    void grow(qsizetype more)
    {
        const qsizetype used = m_end - m_begin;
        const qsizetype capacity = std::max<qsizetype>({used + more, m_capacity * 2, 2048});
        auto buffer = std::make_unique_for_overwrite<char[]>(size_t(capacity));
        if (used > 0)
            std::memcpy(buffer.get(), m_buffer.get() + m_begin, size_t(used));
        m_buffer = std::move(buffer);
        m_capacity = capacity;
        m_begin = 0;
        m_end = used;
    }

    void onReadable()
    {
        if (m_handler)
            m_handler->streamReadable();
    }

    void onWritable()
    {
        if (m_failed) {
            armWriteNotifier(false);
            if (m_handler)
                m_handler->streamClosed();
            return;
        }
        const qint64 before = pendingOutput();
        flush();
        if (m_failed) {
            onWritable();
            return;
        }
        if (pendingOutput() < before && m_handler)
            m_handler->streamWritten();
    }

    int m_fd;
    QHostAddress m_peer;
    ByteStreamHandler *m_handler = nullptr;
    std::unique_ptr<char[]> m_buffer;   // output: [m_begin, m_end) waits for the kernel
    qsizetype m_capacity = 0;
    qsizetype m_begin = 0;
    qsizetype m_end = 0;
    bool m_readEnabled = true;
    bool m_writeArmed = false;
    bool m_failed = false;
    bool m_atEnd = false;
    EpollEventDispatcher *m_dispatcher;
    std::unique_ptr<QSocketNotifier> m_readNotifier;   // only without an EpollEventDispatcher
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
};

class TlsStream final : public QObject, public ByteStream
{
public:
    explicit TlsStream(QSslSocket *socket) : m_socket(socket)
    {
        // Bounded read buffer: when we stop reading (upstream busy), TCP pushes back on the client.
        m_socket->setReadBufferSize(64 * 1024);
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(m_socket, &QSslSocket::readyRead, this, [this] {
            if (m_handler)
                m_handler->streamReadable();
        });
        // bytesWritten() fires when bytes are encrypted; encryptedBytesWritten() when they reach
        // the kernel: both move pendingOutput().
        auto written = [this] {
            if (m_handler && !m_inFlush)
                m_handler->streamWritten();
        };
        connect(m_socket, &QSslSocket::bytesWritten, this, written);
        connect(m_socket, &QSslSocket::encryptedBytesWritten, this, written);
        connect(m_socket, &QSslSocket::disconnected, this, [this] {
            if (m_handler)
                m_handler->streamClosed();
        });
    }

    ~TlsStream() override { delete m_socket; }

    void setHandler(ByteStreamHandler *handler) override { m_handler = handler; }
    qint64 read(char *data, qint64 maxSize) override { return m_socket->read(data, maxSize); }
    bool atEnd() const override
    {
        return m_socket->error() == QAbstractSocket::RemoteHostClosedError;
    }

    int peek() override
    {
        if (m_socket->bytesAvailable() > 0)
            return 1;
        return m_socket->state() == QAbstractSocket::ConnectedState ? 0 : -1;
    }

    void write(QByteArrayView bytes) override { m_socket->write(bytes.data(), bytes.size()); }

    void flush() override
    {
        // Events from inside the handler's own call are not events (see ByteStreamHandler).
        m_inFlush = true;
        m_socket->flush();
        m_inFlush = false;
    }

    qint64 pendingOutput() const override
    {
        // QSslSocket moves written bytes, once encrypted, into its TCP socket's own buffer, and
        // bytesToWrite() counts only those not encrypted yet: both count.
        return m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
    }

    qint64 bufferedInput() const override { return m_socket->bytesAvailable(); }
    void releaseBuffers() override {}
    void setReadNotifications(bool) override {}   // QSslSocket reads into its bounded buffer

    void shutdownWrite() override { ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR); }

    void close() override
    {
        m_handler = nullptr;
        m_socket->disconnectFromHost();
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    }

    QHostAddress peerAddress() const override { return m_socket->peerAddress(); }
    QList<QSslCertificate> peerCertificateChain() const override { return m_socket->peerCertificateChain(); }
    QByteArray negotiatedProtocol() const override
    {
        return m_socket->sslConfiguration().nextNegotiatedProtocol();
    }

private:
    QSslSocket *m_socket;
    ByteStreamHandler *m_handler = nullptr;
    bool m_inFlush = false;
};

} // namespace

std::unique_ptr<ByteStream> makePlainStream(int fd)
{
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &length) != 0) {
        ::close(fd);
        return nullptr;
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK))
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const QHostAddress address(reinterpret_cast<const sockaddr *>(&peer));
    return std::make_unique<PlainStream>(fd, address);
}

std::unique_ptr<ByteStream> makeTlsStream(QSslSocket *socket)
{
    return std::make_unique<TlsStream>(socket);
}

} // namespace Gatehouse
