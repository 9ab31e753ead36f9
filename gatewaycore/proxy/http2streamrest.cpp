// An HTTP/2 stream on a REST route whose endpoints speak HTTP/2 (h2c:// URLs, or `http2: true`):
// forwarded as a stream of the worker's HTTP/2 upstream connection to the endpoint, so many
// exchanges share one connection. Filters, body hooks, timeouts and errors are those of an
// HTTP/1.1 upstream; only the framing differs. Flow control is the backpressure both ways:
// client DATA is acknowledged as the upstream stream takes it (h2UpstreamRequestBody), upstream
// DATA as the client's window takes it (readBody → giveBackUpstreamBytes).
#include "http2stream.h"

#include "forwarding.h"
#include "http2connection.h"
#include "worker.h"

namespace Gatehouse {

bool Http2Stream::startRestH2Upstream()
{
    m_h2Rest = true;
    GatewayError error;
    Http2UpstreamConnection *connection = m_exchange.acquireHttp2Upstream(error);
    if (!connection) {
        respondError(error);
        return false;
    }
    FieldArray fields;
    ProxyExchange::UpstreamFieldBuffers buffers;
    if (m_exchange.appendUpstreamFields(fields, buffers, clientRequest(), clientView(), "2"))
        fields.append({"te", "trailers"});
    if (m_requestBuffered && !m_requestBuffer.bytes().isEmpty()) {
        // What the body hooks left goes up as it is (its DATA was acknowledged while it was
        // collected); kept whole for a retry on another endpoint.
        m_pendingBody = std::move(m_requestBuffer.bytes());
        m_requestBuffer.bytes() = QByteArray();
        m_pendingPos = 0;
    }
    std::array<char, 24> length;
    if (m_requestBuffered) {
        const qint64 size = m_pendingBody.size() - m_pendingPos;
        if (size > 0 || m_declaredLength >= 0 || m_methodKind == HttpMethod::Post
            || m_methodKind == HttpMethod::Put || m_methodKind == HttpMethod::Patch)
            fields.append({"content-length", decimal(length, size)});
    } else if (m_declaredLength >= 0) {
        fields.append({"content-length", decimal(length, m_declaredLength)});   // DATA is checked against it
    }
    QVarLengthArray<char, 256> target;
    m_exchange.appendUpstreamTarget(target);
    const bool hasBody = !m_requestEnded || m_pendingBody.size() > m_pendingPos;
    const qint32 stream = connection->openStream(this, m_method, {target.constData(), target.size()},
                                                 {fields.constData(), size_t(fields.size())}, hasBody,
                                                 ProxyExchange::policyAuthority(fields, buffers));
    if (stream < 0) {
        respondError(m_exchange.http2StreamRefused(false));
        return false;
    }
    m_h2Upstream = connection;
    m_h2Stream = stream;
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
    return true;
}

void Http2Stream::restH2Head(int status, const Http1FieldList &fields, bool endStream)
{
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
    Http1Framing framing = Http1Framing::Chunked;   // until END_STREAM
    qint64 contentLength = -1;
    if (endStream || m_headRequest || !statusHasBody(status)) {
        framing = Http1Framing::NoBody;   // a content-length is passed on as it is
    } else if (const std::optional<qint64> declared = contentLengthOf(fields)) {
        framing = Http1Framing::ContentLength;   // nghttp2 checks the DATA against it
        contentLength = *declared;
    }
    const bool held = framing != Http1Framing::NoBody || m_exchange.holdsNotModified(status);
    if (const qint64 limit = m_exchange.responseBodyLimit(); limit > 0 && held) {
        const bool fits = framing != Http1Framing::ContentLength || contentLength <= limit;
        if (!fits && !m_exchange.responseBodyOptional()) {
            tooLargeResponse(limit);
            return;
        }
        if (fits) {
            m_responseBuffer.start(limit);
            m_heldHead.hold(status, {}, fields, framing);
            m_exchange.upstreamResponded(status);
            return;
        }
    }
    m_exchange.responseHead(status, fields);
    submitResponseHead(status, fields, framing, contentLength);
}

void Http2Stream::restH2Data(QByteArrayView data)
{
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
    if (m_responseBuffer.isActive()) {
        // Held for the body hooks: the limit, not the client, bounds it; the window comes back now.
        m_h2Upstream->consume(m_h2Stream, data.size());
        if (m_responseBuffer.append(data))
            return;
        if (!m_exchange.responseBodyOptional()) {
            tooLargeResponse(m_responseBuffer.limit());
            return;
        }
        // Larger than an optional read: the head and what was held go out, the rest streams.
        m_exchange.responseHead(m_heldHead.status, m_heldHead.fields);
        submitResponseHead(m_heldHead.status, m_heldHead.fields, m_heldHead.framing, -1);
        const QByteArray held = std::exchange(m_responseBuffer.bytes(), QByteArray());
        m_responseBuffer.reset();
        m_heldHead.clear();
        if (m_closed || !m_h2Upstream)
            return;   // the head could not be sent: the stream was reset
        m_exchange.captureResponseBody(held);
        appendResponseBody(held);
        m_exchange.captureResponseBody(data);
        appendResponseBody(data);   // given back already
        return;
    }
    m_exchange.captureResponseBody(data);
    m_h2Unconsumed += data.size();   // given back as the client's window takes it (readBody)
    appendResponseBody(data);
}

void Http2Stream::restH2Complete(const Http1FieldList &trailers)
{
    m_exchange.upstreamCompleted(m_methodKind);
    m_deadlineKind = Deadline::None;
    m_h2Upstream = nullptr;   // the upstream stream is done
    m_h2Unconsumed = 0;
    if (!m_requestEnded)
        m_discardBody = true;   // answered before the whole request arrived
    dropPendingBody();
    if (m_responseBuffer.isActive()) {
        respondHeld();   // trailers are not kept for a held response
        return;
    }
    for (const Http1Field &f : trailers)
        m_responseTrailers.add(f.name, f.value);
    m_responseComplete = true;
    m_exchange.completeFilters();
    m_connection->session().resumeData(m_id);
    m_connection->requestSend();
}

void Http2Stream::restH2Failed(UpstreamFailure failure, bool refused)
{
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;   // the stream's window went with the stream
    m_deadlineKind = Deadline::None;
    m_exchange.attemptFailed(refused ? UpstreamFailure::ConnectFailed : failure);
    const bool responseStarted = m_responseHeadSent || m_responseBuffer.isActive();
    if (refused && !responseStarted && !m_requestBodyStarted
        && m_exchange.mayRetry(UpstreamFailure::ConnectFailed, m_methodKind, false)) {
        startRestH2Upstream();   // nothing reached an upstream: the next endpoint gets it
        return;
    }
    m_responseBuffer.reset();
    m_heldHead.clear();
    // Before the head: 502 (reset, GOAWAY, connect failure) or 504; after it the stream is cut.
    respondError(http2UpstreamError(failure, m_h2FailureCode, m_exchange.target()));
}

} // namespace Gatehouse
