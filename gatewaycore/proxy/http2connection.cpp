// One HTTP/2 client connection: the session over the ByteStream, its streams, its deadlines.
#include "http2connection.h"

#include "forwarding.h"
#include "http2stream.h"
#include "worker.h"

#include <algorithm>

namespace Gatehouse {

namespace {

constexpr qsizetype kH2ReadChunk = 16 * 1024;
// The socket's output the session may fill before it waits for the client to read: the client's
// flow-control windows bound each stream, this bounds the connection (and the ACKs of a flood).
constexpr qint64 kH2HighWater = 128 * 1024;
constexpr std::chrono::seconds kCloseGrace{2};   // a GOAWAY's flush before the socket closes

Http2Limits limitsOf(const Worker *worker)
{
    Http2Limits limits;
    if (const auto &config = worker->config()) {
        const Limits &l = config->settings.limits;
        limits.maxConcurrentStreams = quint32(std::clamp(l.http2MaxConcurrentStreams, 1, 1 << 20));
        limits.maxHeaderListBytes = quint32(std::clamp<qint64>(l.http2MaxHeaderListBytes, 1024, 1 << 24));
    }
    return limits;
}

const Limits &limitsFrom(const Worker *worker)
{
    static const Limits defaults;
    return worker->config() ? worker->config()->settings.limits : defaults;
}

} // namespace

Http2Connection::Http2Connection(Worker *worker, std::unique_ptr<ByteStream> stream, bool tls,
                                 QByteArrayView received)
    : QObject(worker), m_worker(worker), m_stream(std::move(stream)), m_limits(limitsOf(worker)),
      m_session(this, m_limits), m_in(received.toByteArray()), m_reading(kH2HighWater), m_tls(tls)
{
    m_peer = m_stream->peerAddress();
    if (m_peer.protocol() == QAbstractSocket::IPv6Protocol) {
        bool isV4 = false;
        const quint32 v4 = m_peer.toIPv4Address(&isV4);
        if (isV4)
            m_peer = QHostAddress(v4);
    }
    m_peerText = m_peer.toString().toLatin1();
    m_stream->setHandler(this);
    m_idleSince = Clock::now();
}

Http2Connection::~Http2Connection()
{
    // Streams let their upstream connections and filters go before the session disappears.
    for (auto &[id, stream] : m_streams)
        stream->closed();
    m_streams.clear();
    m_closedStreams.clear();
}

void Http2Connection::start()
{
    m_inEvent = true;
    if (!m_session.start()) {
        m_inEvent = false;
        closeNow();
        return;
    }
    const QByteArray received = std::exchange(m_in, QByteArray());
    if (!received.isEmpty())
        m_session.receive(received);
    sendOutput();
    processInput();
    m_inEvent = false;
    afterEvent();
}

void Http2Connection::startUpgraded(QByteArrayView settings, const Http1Head &request)
{
    m_inEvent = true;
    if (!m_session.start() || !m_session.upgrade(settings, request.method == HttpMethod::Head)) {
        m_inEvent = false;
        closeNow();
        return;
    }
    m_sawRequest = true;
    auto &stream = m_streams.emplace(1, m_worker->http2Connections().takeStream(this, 1)).first->second;
    stream->beginHeaders();
    stream->addHeader(":method", request.methodName);
    stream->addHeader(":scheme", "http");
    if (!request.host.isEmpty())
        stream->addHeader(":authority", request.host);
    stream->addHeader(":path", request.pathAndQuery());
    QByteArray lowercase;
    for (const Http1Field &f : request.headers) {
        // The fields HTTP/2 does not carry: the upgrade's own, the connection's, Host (above).
        if (isHopByHop(f.name) || httpNameIs(f.name, "host") || httpEqualsIgnoreCase(f.name, "http2-settings"))
            continue;
        lowercase = f.name.toByteArray().toLower();
        stream->addHeader(lowercase, f.value);
    }
    stream->headersComplete(false, true);
    const QByteArray received = std::exchange(m_in, QByteArray());
    if (!received.isEmpty())
        m_session.receive(received);
    sendOutput();
    processInput();
    m_inEvent = false;
    afterEvent();
}

void Http2Connection::streamReadable()
{
    m_inEvent = true;
    processInput();
    m_inEvent = false;
    afterEvent();
}

void Http2Connection::streamWritten()
{
    m_inEvent = true;
    sendOutput();
    m_inEvent = false;
    afterEvent();
}

void Http2Connection::streamClosed()
{
    closeNow();
}

void Http2Connection::processInput()
{
    while (!m_closed && !m_closing && m_session.wantsRead()) {
        // Output the client does not read (its responses, or ACKs of a PING flood) stops reading.
        if (m_reading.pauseIfFull(*m_stream))
            return;
        if (m_in.size() != kH2ReadChunk)
            m_in.resize(kH2ReadChunk);
        const qint64 n = m_stream->read(m_in.data(), kH2ReadChunk);
        if (n < 0) {
            closeNow();
            return;
        }
        if (n == 0)
            return;
        if (!m_session.receive({m_in.constData(), n})) {
            m_closing = true;
            m_closeBy = Clock::now() + kCloseGrace;
        }
        sendOutput();
        if (n < kH2ReadChunk)
            return;
    }
}

void Http2Connection::requestSend()
{
    if (m_sendQueued || m_closed)
        return;
    m_sendQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_sendQueued = false;
            m_inEvent = true;
            sendOutput();
            m_inEvent = false;
            afterEvent();
        },
        Qt::QueuedConnection);
}

void Http2Connection::waitForOutput(qint32 stream)
{
    if (std::find(m_waitingForOutput.begin(), m_waitingForOutput.end(), stream) == m_waitingForOutput.end())
        m_waitingForOutput.push_back(stream);
}

void Http2Connection::sendOutput()
{
    if (m_closed)
        return;
    for (;;) {
        while (m_stream->pendingOutput() < kH2HighWater) {
            const QByteArrayView out = m_session.nextOutput();
            if (out.isEmpty())
                break;
            m_stream->write(out);
        }
        m_stream->flush();
        resumeReadingWhenDrained();
        // Streams that paused their upstream while their buffer was full read again; what they
        // read is queued for the next round.
        if (m_waitingForOutput.empty() || m_stream->pendingOutput() >= kH2HighWater)
            return;
        const std::vector<qint32> waiting = std::exchange(m_waitingForOutput, {});
        for (qint32 id : waiting) {
            if (Http2Stream *s = find(id))
                s->resumeUpstreamReading();
        }
    }
}

void Http2Connection::resumeReadingWhenDrained()
{
    if (m_closed)
        return;
    m_reading.resumeIfDrained(*m_stream, this, [this] {
        if (m_closed)
            return;
        m_inEvent = true;
        processInput();
        m_inEvent = false;
        afterEvent();
    });
}

void Http2Connection::afterEvent()
{
    for (std::unique_ptr<Http2Stream> &stream : m_closedStreams)
        m_worker->http2Connections().giveBack(std::move(stream));
    m_closedStreams.clear();
    if (m_closed)
        return;
    if (!m_streams.empty())
        m_idleSince = Clock::now();
    if (m_draining && m_streams.empty() && !m_closing) {
        m_closing = true;
        m_closeBy = Clock::now() + kCloseGrace;
    }
    const bool done = m_closing || !m_session.isAlive();
    if (done && m_stream->pendingOutput() == 0)
        closeNow();
}

void Http2Connection::closeNow()
{
    if (m_closed)
        return;
    m_closed = true;
    for (auto &[id, stream] : m_streams)
        stream->closed();
    for (auto &[id, stream] : m_streams)
        m_closedStreams.push_back(std::move(stream));
    m_streams.clear();
    m_found = nullptr;
    m_stream->close();
    emit finished(this);
}

void Http2Connection::tick(Clock::time_point now)
{
    if (m_closed)
        return;
    m_inEvent = true;
    const Limits &limits = limitsFrom(m_worker);
    if (m_closing) {
        if (now >= m_closeBy) {
            m_inEvent = false;
            closeNow();
            return;
        }
    } else if (m_headerBlockOpen && now - m_headerBlockSince >= limits.headerTimeout) {
        // A header block that never ends (slow CONTINUATION frames) holds the whole connection.
        m_session.terminate(Http2ServerSession::kEnhanceYourCalm);
        m_closing = true;
        m_closeBy = now + kCloseGrace;
    } else if (!m_sawRequest && m_streams.empty() && now - m_idleSince >= limits.headerTimeout) {
        m_session.terminate(Http2ServerSession::kNoError);   // connected, and no request came
        m_closing = true;
        m_closeBy = now + kCloseGrace;
    } else if (m_streams.empty() && now - m_idleSince >= limits.idleTimeout) {
        m_session.shutdown();
        m_closing = true;
        m_closeBy = now + kCloseGrace;
    }
    for (auto &[id, stream] : m_streams)
        stream->tick(now);
    sendOutput();
    m_inEvent = false;
    afterEvent();
}

void Http2Connection::drain()
{
    if (m_draining || m_closed)
        return;
    m_draining = true;
    m_inEvent = true;
    m_session.shutdown();
    sendOutput();
    m_inEvent = false;
    afterEvent();
}

Http2Stream *Http2Connection::find(qint32 stream) const
{
    if (m_found && m_foundId == stream)
        return m_found;
    const auto it = m_streams.find(stream);
    if (it == m_streams.end())
        return nullptr;
    m_foundId = stream;
    m_found = it->second.get();
    return m_found;
}

// ---------------------------------------------------------------- session events

void Http2Connection::http2BeginHeaders(qint32 stream)
{
    m_headerBlockOpen = true;
    m_headerBlockSince = Clock::now();
    Http2Stream *s = find(stream);
    if (!s) {
        if (m_draining)
            return;   // past the GOAWAY: nghttp2 refuses the stream itself
        s = m_streams.emplace(stream, m_worker->http2Connections().takeStream(this, stream)).first->second.get();
    }
    s->beginHeaders();
}

void Http2Connection::http2Header(qint32 stream, QByteArrayView name, QByteArrayView value)
{
    if (Http2Stream *s = find(stream))
        s->addHeader(name, value);
}

void Http2Connection::http2HeadersComplete(qint32 stream, bool trailers, bool endStream)
{
    m_headerBlockOpen = false;
    m_sawRequest = true;
    if (Http2Stream *s = find(stream))
        s->headersComplete(trailers, endStream);
}

void Http2Connection::http2Data(qint32 stream, QByteArrayView data)
{
    if (Http2Stream *s = find(stream))
        s->data(data);
    else
        m_session.consume(stream, data.size());
}

void Http2Connection::http2EndStream(qint32 stream)
{
    if (Http2Stream *s = find(stream))
        s->endStream();
}

void Http2Connection::http2StreamClosed(qint32 stream, quint32)
{
    const auto it = m_streams.find(stream);
    if (it == m_streams.end())
        return;
    if (m_foundId == stream)
        m_found = nullptr;
    it->second->closed();
    m_closedStreams.push_back(std::move(it->second));
    m_streams.erase(it);
    // Deleted after the event: the stream may be on the call stack (a reset from its own code).
    if (!m_inEvent)
        requestSend();
}

qint64 Http2Connection::http2ReadBody(qint32 stream, std::span<char> buffer, bool &end)
{
    Http2Stream *s = find(stream);
    if (!s) {
        end = true;
        return 0;
    }
    return s->readBody(buffer, end);
}

} // namespace Gatehouse
