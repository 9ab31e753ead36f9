// One multiplexed HTTP/2 upstream connection: connect (h2c or TLS+ALPN h2), the client session
// over a ByteStream, streams routed to their exchanges, connection failures fanned out to them.
#include "http2upstreamconnection.h"

#include "forwarding.h"

#include <QHash>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace Gatehouse {

namespace {
constexpr qint64 kH2UpstreamReadChunk = 64 * 1024;
constexpr qint64 kH2UpstreamHighWater = 128 * 1024;   // queued output before the session is asked for more
constexpr std::chrono::seconds kNotHttp2QuietPeriod{10};

// A misconfigured endpoint (https:// to an HTTP/1.1-only server) fails every call: one warning
// per endpoint and worker thread every kNotHttp2QuietPeriod, not one per call.
void warnNotHttp2(const UpstreamTarget &target, const QByteArray &agreed)
{
    thread_local QHash<int, std::chrono::steady_clock::time_point> lastWarned;
    const auto now = std::chrono::steady_clock::now();
    const auto it = lastWarned.constFind(target.id);
    if (it != lastWarned.cend() && now - *it < kNotHttp2QuietPeriod)
        return;
    lastWarned.insert(target.id, now);
    qWarning("gatehouse: upstream %s does not speak HTTP/2: its TLS handshake agreed (ALPN) on %s, "
             "not h2; calls to it fail with 502/UNAVAILABLE (an HTTP/1.1 server needs an endpoint "
             "without http2: true)",
             qPrintable(target.key), agreed.isEmpty() ? "no protocol" : agreed.constData());
}
} // namespace

GatewayError http2UpstreamError(UpstreamFailure failure, quint32 errorCode, const UpstreamEndpoint *endpoint)
{
    if (errorCode != kNotHttp2)
        return upstreamError(failure);
    return {502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
            QStringLiteral("The upstream %1 does not speak HTTP/2: its TLS handshake did not agree on h2 (ALPN)")
                .arg(endpoint ? endpoint->key : QStringLiteral("endpoint"))};
}

Http2UpstreamConnection::Http2UpstreamConnection(const UpstreamTarget &target, const QSslConfiguration *tls,
                                                 const Http2ClientLimits &limits,
                                                 std::chrono::milliseconds connectTimeout, QObject *parent)
    : QObject(parent), m_target(target), m_session(this, limits), m_reading(kH2UpstreamHighWater)
{
    if (target.tls) {
        auto *ssl = new QSslSocket(this);
        QSslConfiguration config = tls ? *tls : QSslConfiguration::defaultConfiguration();
        config.setAllowedNextProtocols({QByteArrayLiteral("h2")});
        ssl->setSslConfiguration(config);
        connect(ssl, &QSslSocket::encrypted, this, &Http2UpstreamConnection::onConnected);
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &Http2UpstreamConnection::onConnected);
    }
    connect(m_socket, &QTcpSocket::errorOccurred, this, &Http2UpstreamConnection::onSocketError);
    m_connectTimer = new QTimer(this);
    m_connectTimer->setSingleShot(true);
    m_connectTimer->setInterval(connectTimeout);
    connect(m_connectTimer, &QTimer::timeout, this, &Http2UpstreamConnection::onConnectTimeout);
    // The preface and SETTINGS wait in the session until the socket is up.
    if (!m_session.start())
        m_sessionFailed = true;
    connectToUpstream();
}

Http2UpstreamConnection::~Http2UpstreamConnection()
{
    m_closed = true;
    if (m_stream)
        m_stream->close();
}

void Http2UpstreamConnection::connectToUpstream()
{
    m_connectTimer->start();
    if (m_target.tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_target.host, m_target.port);
    else
        m_socket->connectToHost(m_target.host, m_target.port, QIODevice::ReadWrite | QIODevice::Unbuffered);
}

bool Http2UpstreamConnection::hasCapacity() const
{
    return !m_closed && !m_draining && !m_sessionFailed && m_session.canOpenStream();
}

qint32 Http2UpstreamConnection::openStream(Http2UpstreamHandler *handler, QByteArrayView method,
                                           QByteArrayView path, std::span<const Http1Field> fields,
                                           bool hasBody, QByteArrayView authority,
                                           Http1Writer::FieldRange checked)
{
    if (!hasCapacity())
        return -1;
    const qint32 id = m_session.submitRequest(method, m_target.tls ? "https" : "http",
                                              authority.isEmpty() ? QByteArrayView(m_target.hostHeader) : authority,
                                              path, fields, hasBody, checked);
    if (id < 0)
        return -1;
    m_streams[id].handler = handler;
    requestSend();
    return id;
}

void Http2UpstreamConnection::cancelStream(qint32 stream, quint32 errorCode)
{
    // The entry stays until the session reports the close; only the handler goes.
    Stream *s = find(stream);
    if (!s || !s->handler)
        return;
    s->handler = nullptr;
    if (!m_closed) {
        m_session.resetStream(stream, errorCode);
        requestSend();
    }
}

void Http2UpstreamConnection::resumeRequestBody(qint32 stream)
{
    if (m_closed)
        return;
    m_session.resumeRequestBody(stream);
    requestSend();
}

bool Http2UpstreamConnection::submitRequestTrailers(qint32 stream, std::span<const Http1Field> fields)
{
    return !m_closed && m_session.submitTrailers(stream, fields);
}

void Http2UpstreamConnection::consume(qint32 stream, qint64 bytes)
{
    if (m_closed)
        return;
    m_session.consumeStream(stream, bytes);
    requestSend();
}

void Http2UpstreamConnection::drain()
{
    if (m_closed || m_draining)
        return;
    m_draining = true;
    if (m_stream)
        m_session.shutdown();
    requestSend();
}

void Http2UpstreamConnection::abort()
{
    if (m_closed)
        return;
    failAll(UpstreamFailure::Reset, false);
    close();
}

void Http2UpstreamConnection::requestSend()
{
    if (m_sendQueued || m_closed)
        return;
    m_sendQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_sendQueued = false;
            sendOutput();
            afterEvent();
        },
        Qt::QueuedConnection);
}

// ---------------------------------------------------------------- connection

void Http2UpstreamConnection::onConnected()
{
    if (m_closed)
        return;
    m_connectTimer->stop();
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    if (m_target.tls) {
        auto *ssl = static_cast<QSslSocket *>(socket);
        const QByteArray agreed = ssl->sslConfiguration().nextNegotiatedProtocol();
        if (agreed != "h2") {
            // An HTTP/1.1-only TLS upstream: nothing was sent, the request may go elsewhere; the
            // calls that find no other endpoint are answered with the cause (http2UpstreamError).
            warnNotHttp2(m_target, agreed);
            ssl->deleteLater();
            failAll(UpstreamFailure::ConnectFailed, true, kNotHttp2);
            close();
            return;
        }
        ssl->setParent(nullptr);
        m_stream = makeTlsStream(ssl);
    } else {
        // Our own descriptor for the connected socket, as UpstreamConnection does; Qt's closes
        // with the QTcpSocket.
        const int fd = ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
        socket->deleteLater();
        m_stream = fd >= 0 ? makePlainStream(fd) : nullptr;
    }
    if (!m_stream) {
        failAll(UpstreamFailure::ConnectFailed, true);
        close();
        return;
    }
    m_stream->setHandler(this);
    if (m_draining)
        m_session.shutdown();
    sendOutput();
    processInput();
    afterEvent();
}

void Http2UpstreamConnection::onSocketError()
{
    if (m_closed || !m_socket)
        return;
    m_connectTimer->stop();
    failAll(UpstreamFailure::ConnectFailed, true);
    close();
}

void Http2UpstreamConnection::onConnectTimeout()
{
    if (m_closed || m_stream)
        return;
    failAll(UpstreamFailure::ConnectTimeout, true);
    close();
}

void Http2UpstreamConnection::streamReadable()
{
    processInput();
    afterEvent();
}

void Http2UpstreamConnection::streamWritten()
{
    sendOutput();
    afterEvent();
}

void Http2UpstreamConnection::streamClosed()
{
    if (m_closed)
        return;
    failAll(UpstreamFailure::Reset, false);
    close();
}

void Http2UpstreamConnection::processInput()
{
    while (!m_closed && m_stream) {
        // Output the upstream does not read (ACKs, WINDOW_UPDATEs) stops reading from it.
        if (m_reading.pauseIfFull(*m_stream))
            return;
        if (m_in.size() != kH2UpstreamReadChunk)
            m_in.resize(kH2UpstreamReadChunk);
        const qint64 n = m_stream->read(m_in.data(), kH2UpstreamReadChunk);
        if (n < 0) {
            failAll(UpstreamFailure::Reset, false);
            close();
            return;
        }
        if (n == 0)
            return;
        if (!m_session.receive({m_in.constData(), n})) {
            // A protocol error: the session queued a GOAWAY; streams cannot go on.
            m_sessionFailed = true;
            sendOutput();
            failAll(UpstreamFailure::BadResponse, false);
            close();
            return;
        }
        sendOutput();
        if (n < kH2UpstreamReadChunk)
            return;
    }
}

void Http2UpstreamConnection::sendOutput()
{
    if (m_closed || !m_stream)
        return;
    while (m_stream->pendingOutput() < kH2UpstreamHighWater) {
        const QByteArrayView out = m_session.nextOutput();
        if (out.isEmpty())
            break;
        m_stream->write(out);
    }
    m_stream->flush();
    resumeReadingWhenDrained();
}

void Http2UpstreamConnection::resumeReadingWhenDrained()
{
    if (m_closed || !m_stream)
        return;
    m_reading.resumeIfDrained(*m_stream, this, [this] {
        if (m_closed || !m_stream)
            return;
        processInput();
        afterEvent();
    });
}

void Http2UpstreamConnection::afterEvent()
{
    if (m_closed)
        return;
    if (m_stream && !m_session.isAlive()) {
        // Both sides are done (GOAWAY and no stream left), or the session failed.
        failAll(UpstreamFailure::Reset, false);
        close();
        return;
    }
    if ((m_draining || m_session.goAwayReceived()) && m_streams.empty())
        close();
}

void Http2UpstreamConnection::failAll(UpstreamFailure failure, bool refused, quint32 errorCode)
{
    // Handlers may cancel other streams or retry from their callback: the pool must not lend
    // this connection again (hasCapacity() is false from here), and the map is taken first.
    m_sessionFailed = true;
    m_found = nullptr;
    auto streams = std::exchange(m_streams, {});
    for (auto &[id, s] : streams) {
        if (s.handler && !s.complete)
            s.handler->h2UpstreamFailed(failure, errorCode, refused);
    }
}

void Http2UpstreamConnection::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_connectTimer->stop();
    m_streams.clear();
    m_found = nullptr;
    if (m_stream)
        m_stream->close();
    if (m_socket)
        m_socket->abort();
    emit closed(this);
}

Http2UpstreamConnection::Stream *Http2UpstreamConnection::find(qint32 stream)
{
    if (m_found && m_foundId == stream)
        return m_found;
    const auto it = m_streams.find(stream);
    if (it == m_streams.end())
        return nullptr;
    m_foundId = stream;
    m_found = &it->second;   // a node's address stays while it is in the map
    return m_found;
}

void Http2UpstreamConnection::fillFields(Http1FieldList &list) const
{
    list.clear();
    const char *base = m_blockBytes.constData();
    for (qsizetype i = 0; i + 2 < m_blockFields.size(); i += 3) {
        const qsizetype at = m_blockFields[i];
        const qsizetype nameSize = m_blockFields[i + 1];
        const QByteArrayView name(base + at, nameSize);
        if (name.startsWith(':'))
            continue;
        list.append(name, {base + at + nameSize, m_blockFields[i + 2]});
    }
}

// ---------------------------------------------------------------- session events

void Http2UpstreamConnection::http2ResponseBegin(qint32)
{
    m_blockBytes.clear();
    m_blockFields.clear();
}

void Http2UpstreamConnection::http2ResponseField(qint32 stream, QByteArrayView name, QByteArrayView value)
{
    Stream *s = find(stream);
    if (!s || !s->handler)
        return;
    const qsizetype at = m_blockBytes.size();
    m_blockFields.append(at);
    m_blockFields.append(name.size());
    m_blockFields.append(value.size());
    m_blockBytes.resize(at + name.size() + value.size());
    char *w = m_blockBytes.data() + at;
    std::memcpy(w, name.data(), size_t(name.size()));
    std::memcpy(w + name.size(), value.data(), size_t(value.size()));
}

void Http2UpstreamConnection::http2ResponseHeadersComplete(qint32 stream, Http2HeadKind kind, int status,
                                                           bool endStream)
{
    Stream *s = find(stream);
    if (!s)
        return;
    if (s->handler && kind != Http2HeadKind::Interim) {   // 1xx heads are not forwarded
        Http1FieldList fields;
        fillFields(fields);
        if (kind == Http2HeadKind::Final) {
            s->headDone = true;
            s->handler->h2UpstreamHead(status, fields, endStream);
            s = find(stream);   // the handler may have cancelled (the entry stays: still valid)
            if (endStream && s && s->handler)
                complete(*s, {});
        } else if (s->headDone) {
            complete(*s, fields);   // trailers end the stream
        }
    }
    m_blockBytes.clear();
    m_blockFields.clear();
}

void Http2UpstreamConnection::complete(Stream &s, const Http1FieldList &trailers)
{
    // The handler is done with the stream; request body still unsent ends empty (nghttp2 asks
    // the detached stream, which answers "end").
    s.complete = true;
    Http2UpstreamHandler *handler = std::exchange(s.handler, nullptr);
    handler->h2UpstreamComplete(trailers);
}

void Http2UpstreamConnection::http2ResponseData(qint32 stream, QByteArrayView data)
{
    // The connection's window comes back at once, the stream's as its handler passes the bytes on.
    m_session.consumeConnection(data.size());
    Stream *s = find(stream);
    if (s && s->handler)
        s->handler->h2UpstreamData(data);
}

void Http2UpstreamConnection::http2ResponseEnd(qint32 stream)
{
    Stream *s = find(stream);
    if (s && s->handler)
        complete(*s, {});
}

void Http2UpstreamConnection::http2StreamClosed(qint32 stream, quint32 errorCode)
{
    const auto it = m_streams.find(stream);
    if (it == m_streams.end())
        return;
    if (m_foundId == stream)
        m_found = nullptr;
    const Stream s = std::move(it->second);
    m_streams.erase(it);
    if (!s.handler)
        return;
    // REFUSED_STREAM (RFC 9113 §8.7): the upstream did no work on it.
    const bool refused = errorCode == Http2ClientSession::kRefusedStream;
    const UpstreamFailure failure = errorCode == Http2ClientSession::kHeaderListTooLarge
                                        ? UpstreamFailure::BadResponse
                                        : UpstreamFailure::Reset;
    s.handler->h2UpstreamFailed(failure, errorCode, refused);
}

qint64 Http2UpstreamConnection::http2RequestBody(qint32 stream, std::span<char> buffer, bool &end)
{
    Stream *s = find(stream);
    if (!s || !s->handler) {
        end = true;   // cancelled: the RST_STREAM follows
        return 0;
    }
    return s->handler->h2UpstreamRequestBody(buffer, end);
}

void Http2UpstreamConnection::http2GoAway(qint32, quint32)
{
    // Streams above the last one close with REFUSED_STREAM (retryable); the pool stops lending
    // this connection (hasCapacity() is false) and it closes once its streams are done.
    m_draining = true;
}

} // namespace Gatehouse
