// An HTTP/1.1 request on a REST route whose endpoints speak HTTP/2 (h2c:// URLs, or `http2: true`):
// the exchange becomes a stream of the worker's HTTP/2 upstream connection to the endpoint. The
// route's filters and body policies run as for an HTTP/1.1 upstream. The request body is pulled
// by the stream as for gRPC-Web (reading the client stops while kH2RestHighWater bytes wait for the
// upstream's window); the response is framed for the client (its content-length, else chunked,
// or until close for HTTP/1.0), its DATA given back to the upstream's window only as the client's
// socket takes them, its trailers written only when the client sent TE: trailers.
#include "downstreamconnection.h"

#include "forwarding.h"
#include "worker.h"

#include "http/http1writer.h"


namespace Gatehouse {

namespace {

constexpr qint64 kH2RestHighWater = 256 * 1024;

} // namespace

bool DownstreamConnection::startRestH2Upstream()
{
    m_grpcWebCall = true;   // an HTTP/2 upstream stream: tickGrpcWeb() keeps its deadlines
    m_h2Rest = true;
    GatewayError error;
    Http2UpstreamConnection *connection = exchange().acquireHttp2Upstream(error);
    if (!connection) {
        respondError(error, !m_requestComplete);
        return false;
    }
    const Http1Head &head = parser().head();
    FieldArray fields;
    ProxyExchange::UpstreamFieldBuffers buffers;
    m_h2RestTrailers = exchange().appendUpstreamFields(fields, buffers, clientRequest(), clientView(), viaProtocol());
    if (m_h2RestTrailers)
        fields.append({"te", "trailers"});
    if (m_requestBuffered) {
        // What the body hooks left goes up whole; kept for a retry on another endpoint.
        if (!m_requestBuffer.bytes().isEmpty()) {
            m_grpcPending = std::exchange(m_requestBuffer.bytes(), QByteArray());
            m_grpcPendingPos = 0;
        }
        m_grpcWebRequestEnded = true;
    }
    std::array<char, 24> length;
    if (m_requestBuffered) {
        const qint64 size = m_grpcPending.size() - m_grpcPendingPos;
        if (head.framing != Http1Framing::NoBody || size > 0)
            fields.append({"content-length", decimal(length, size)});
        m_grpcWebHasBody = size > 0;
    } else {
        if (head.framing == Http1Framing::ContentLength)
            fields.append({"content-length", decimal(length, head.contentLength)});   // DATA is checked against it
        m_grpcWebHasBody = head.framing != Http1Framing::NoBody
                           && !(head.framing == Http1Framing::ContentLength && head.contentLength == 0);
    }
    QVarLengthArray<char, 256> target;
    exchange().appendUpstreamTarget(target);
    const qint32 stream = connection->openStream(this, head.methodName, {target.constData(), target.size()},
                                                 {fields.constData(), size_t(fields.size())}, m_grpcWebHasBody,
                                                 ProxyExchange::policyAuthority(fields, buffers));
    if (stream < 0) {
        respondError(exchange().http2StreamRefused(false), !m_requestComplete);
        return false;
    }
    m_h2Upstream = connection;
    m_h2Stream = stream;
    armBodyTimeout();
    setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
    if (m_grpcWebHasBody && (m_grpcPending.size() > m_grpcPendingPos || m_grpcWebRequestEnded))
        m_h2Upstream->resumeRequestBody(m_h2Stream);   // a buffered body, or a retry's
    processInput();   // the body that may be buffered already (a no-op inside the parse loop)
    return true;
}

void DownstreamConnection::h2RestRequestBody(QByteArrayView data)
{
    if (!m_h2Upstream)
        return;   // answered already; the body is discarded
    m_grpcPending.append(data.data(), data.size());
    m_h2Upstream->resumeRequestBody(m_h2Stream);
}

void DownstreamConnection::h2RestRequestComplete()
{
    m_grpcWebRequestEnded = true;
    if (m_h2Upstream && m_grpcWebHasBody)
        m_h2Upstream->resumeRequestBody(m_h2Stream);
    if (m_deadlineKind == Deadline::UpstreamResponse && !m_responseHeadSent)
        setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
}

void DownstreamConnection::restH2Head(int status, const Http1FieldList &fields, bool endStream)
{
    setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
    Http1Framing framing = Http1Framing::Chunked;   // until END_STREAM
    qint64 contentLength = -1;
    if (endStream || m_headRequest || !statusHasBody(status)) {
        framing = Http1Framing::NoBody;   // a content-length is passed on as it is
    } else if (const std::optional<qint64> declared = contentLengthOf(fields)) {
        framing = Http1Framing::ContentLength;   // nghttp2 checks the DATA against it
        contentLength = *declared;
    }
    const bool held = framing != Http1Framing::NoBody || exchange().holdsNotModified(status);
    if (const qint64 limit = exchange().responseBodyLimit(); limit > 0 && held) {
        const bool fits = framing != Http1Framing::ContentLength || contentLength <= limit;
        if (!fits && !exchange().responseBodyOptional()) {
            tooLargeResponse(limit);
            return;
        }
        if (fits) {
            m_responseBuffer.start(limit);
            heldHead().hold(status, {}, fields, framing);
            exchange().upstreamResponded(status);
            return;
        }
    }
    exchange().responseHead(status, fields);
    if (!writeResponseHead(status, {}, fields, framing, contentLength)) {
        cancelGrpcWebUpstream();
        exchange().attemptFailed(UpstreamFailure::BadResponse);
        closeNow();   // only a policy's field can be invalid here
        return;
    }
    exchange().upstreamResponded(status);
}

void DownstreamConnection::restH2Data(QByteArrayView data)
{
    if (m_responseBuffer.isActive()) {
        // Held for the body hooks: their limit bounds it, so the window comes back at once.
        m_h2Upstream->consume(m_h2Stream, data.size());
    } else {
        m_h2Unconsumed += data.size();
    }
    // Framed as an HTTP/1.1 upstream's body (held, streamed, chunked, until close).
    upstreamBody(data);
    if (m_closed)
        return;
    if (pendingOutput() < kH2RestHighWater)
        giveBackGrpcWebBytes();   // else once the client's socket takes it (streamWritten)
}

void DownstreamConnection::restH2Complete(const Http1FieldList &trailers)
{
    m_h2Upstream = nullptr;   // the stream is done: what waits for the client needs no window
    m_h2Unconsumed = 0;
    m_deadlineKind = Deadline::None;
    exchange().upstreamCompleted(parser().head().method);
    if (m_responseBuffer.isActive()) {
        respondHeld();   // trailers are not kept for a held response
        return;
    }
    if (m_responseChunked) {
        QByteArray last;
        if (!m_h2RestTrailers || !Http1Writer::appendLastChunk(last, trailers.fields())) {
            last.clear();
            (void)Http1Writer::appendLastChunk(last);
        }
        writeToClient(last);
    }
    m_stream->flush();
    if (!m_requestComplete) {
        closeAfterWrite();   // the rest of the request body cannot be told from a next request
        return;
    }
    finishExchange();
}

void DownstreamConnection::restH2Failed(UpstreamFailure failure, quint32 errorCode, bool refused)
{
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;   // the stream's window went with the stream
    m_deadlineKind = Deadline::None;
    exchange().attemptFailed(refused ? UpstreamFailure::ConnectFailed : failure);
    const bool held = m_responseBuffer.isActive();
    if (refused && !m_responseHeadSent && !held && !m_requestBodyStarted
        && exchange().mayRetry(UpstreamFailure::ConnectFailed, parser().head().method, false)) {
        startRestH2Upstream();   // nothing reached an upstream: the next endpoint gets it
        return;
    }
    if (held) {
        m_responseBuffer.reset();
        heldHead().clear();
    }
    if (m_responseHeadSent) {
        closeNow();   // mid-body: closing is the only way HTTP/1.1 can tell the client
        return;
    }
    // Reset, GOAWAY, connect failure, a TLS peer without h2 (named): 502; timeouts: 504.
    respondError(http2UpstreamError(failure, errorCode, exchange().target()), !m_requestComplete);
}

} // namespace Gatehouse
