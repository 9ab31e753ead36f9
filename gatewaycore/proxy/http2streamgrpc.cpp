// An HTTP/2 stream on a gRPC route, forwarded as a stream of an HTTP/2 upstream connection:
// fields and trailers pass through (metadata, -bin, grpc-status), DATA flows under both sides'
// flow control (the client's bytes are acknowledged as the upstream takes them, the upstream's as
// the client takes them), resets go both ways, grpc-timeout is a deadline, and the gateway's own
// errors become trailers-only responses (HTTP 200, grpc-status, grpc-message).
#include "http2stream.h"

#include "forwarding.h"
#include "grpcprotocol.h"
#include "http2connection.h"
#include "worker.h"

#include <cstring>

namespace Gatehouse {

namespace {
constexpr qsizetype kReplayBytes = 64 * 1024;   // a unary call's message kept for a second attempt
} // namespace

void Http2Stream::noteGrpcRequest()
{
    const QByteArrayView contentType = m_headers.value("content-type");
    m_grpc = isGrpcContentType(contentType);
    if (const std::optional<GrpcWebMode> web = grpcWebMode(contentType)) {
        const qint64 maxBody = m_exchange.limits().maxBodyBytes;
        m_grpcWeb.emplace(*web, contentType, maxBody > 0 ? maxBody : GrpcWebCodec::kDefaultMaxMessageBytes);
        m_grpc = true;   // the gateway's errors answer as gRPC(-Web) trailers-only
    }
    if (!m_grpc)
        return;
    if (const QByteArrayView timeout = m_headers.value("grpc-timeout"); !timeout.isNull()) {
        // A malformed value is ignored, as gRPC servers do.
        if (const auto after = parseGrpcTimeout(timeout))
            m_grpcDeadline = Clock::now() + *after;
    }
}

bool Http2Stream::startGrpcUpstream()
{
    GatewayError error;
    Http2UpstreamConnection *connection = m_exchange.acquireHttp2Upstream(error);
    if (!connection) {
        respondError(error);
        return false;
    }
    FieldArray fields;
    ProxyExchange::UpstreamFieldBuffers buffers;
    const ClientRequest request = clientRequest();
    // The client's fields came through nghttp2 (or the HTTP/1.1 parser of an h2c upgrade), which
    // checked them; the gateway's are built from such values: only the policies' are checked.
    Http1Writer::FieldRange checked;   // gRPC-Web: all (the fields were filtered into a new array)
    if (m_grpcWeb) {
        // gRPC-Web becomes gRPC: the body's type (and, in text mode, its length) change.
        m_exchange.appendGrpcUpstreamFields(fields, buffers, request, clientView(), "2",
                                            m_grpcWeb->upstreamContentType());
    } else if (m_exchange.appendUpstreamFields(fields, buffers, request, clientView(), "2")) {
        fields.append({"te", "trailers"});
    }
    QVarLengthArray<char, 256> target;
    m_exchange.appendUpstreamTarget(target);
    const bool hasBody = !m_requestEnded || m_pendingBody.size() > m_pendingPos;
    if (!m_grpcWeb)
        checked = {buffers.policyFieldsBegin, buffers.policyFieldsEnd};
    const Route *route = m_exchange.route();
    if (!m_requestBodyStarted)
        m_replayable = !m_grpcWeb && !route->clientStreaming;
    const qint32 stream = connection->openStream(this, m_method, {target.constData(), target.size()},
                                                 {fields.constData(), size_t(fields.size())}, hasBody,
                                                 {}, checked);
    if (stream < 0) {
        respondError(m_exchange.http2StreamRefused(true));
        return false;
    }
    m_h2Upstream = connection;
    m_h2Stream = stream;
    // Until the response head: the endpoints' own timeout (timeout_ms) for every call; else the
    // upstream request timeout for unary calls without a grpc-timeout. Streaming calls live as
    // long as their peers keep them.
    if (route->endpoints.timeout)
        setDeadline(Deadline::UpstreamResponse, *route->endpoints.timeout);
    else if (!m_grpcDeadline && !route->clientStreaming && !route->serverStreaming)
        setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
    return true;
}

void Http2Stream::cancelGrpcUpstream(quint32 errorCode)
{
    m_h2Unconsumed = 0;   // the stream's window goes with the stream
    if (Http2UpstreamConnection *connection = std::exchange(m_h2Upstream, nullptr))
        connection->cancelStream(m_h2Stream, errorCode);
}

void Http2Stream::giveBackUpstreamBytes(qint64 bytes)
{
    const qint64 n = std::min(bytes, m_h2Unconsumed);
    if (n <= 0 || !m_h2Upstream)
        return;
    m_h2Unconsumed -= n;
    m_h2Upstream->consume(m_h2Stream, n);   // the upstream may send that much more
}

void Http2Stream::respondGrpcError(const GatewayError &error, std::span<const Http1Field> extraFields)
{
    m_deadlineKind = Deadline::None;
    m_grpcDeadline.reset();
    cancelGrpcUpstream(Http2ServerSession::kCancel);
    m_exchange.releaseUpstream(false);
    const GrpcStatus status = grpcStatusForError(error);
    const QString message = error.description.isEmpty() ? error.message : error.description;
    if (m_responseHeadSent && m_grpcWeb) {
        // gRPC-Web mid-call: the status goes as the body's trailer frame.
        if (m_responseComplete)
            return;
        QByteArray frame;
        m_grpcWeb->responseStatus(status, message, frame);
        m_responseComplete = true;
        m_exchange.completeFilters();
        appendResponseBody(frame);
        return;
    }
    if (m_responseHeadSent) {
        // Mid-call: what was received goes out, then trailers carry the status.
        if (m_responseComplete)
            return;
        const GrpcTrailersOnly t(status, message);
        m_responseTrailers = {};
        for (const Http1Field &f : t.fields().subspan(1))   // grpc-status, grpc-message
            m_responseTrailers.add(f.name, f.value);
        m_responseComplete = true;
        m_exchange.completeFilters();
        m_connection->session().resumeData(m_id);
        m_connection->requestSend();
        return;
    }
    // The status the gateway decided, for metrics and the access log (the wire says 200).
    m_exchange.gatewayAnswered(error);
    m_discardBody = true;
    dropPendingBody();
    const GrpcTrailersOnly t(status, message);
    FieldArray fields;
    for (const Http1Field &f : t.fields())
        fields.append(f);
    if (m_grpcWeb)
        fields[0].value = m_grpcWeb->responseContentType();
    for (const Http1Field &f : extraFields)
        fields.append(f);
    if (const RequestContext *edits = m_exchange.edits()) {
        for (const OwnedField &f : std::as_const(edits->responseHeaders))
            fields.append({f.name, f.value});
    }
    m_responseComplete = true;
    m_responseHeadSent = true;
    if (!m_connection->session().submitResponse(m_id, 200, {fields.constData(), size_t(fields.size())}, false)
        && !m_connection->session().submitResponse(m_id, 200, {fields.constData(), t.fields().size()}, false))
        reset(Http2ServerSession::kInternalError);
    m_exchange.completeFilters();
    m_connection->requestSend();
}

bool Http2Stream::tickGrpc(Clock::time_point now)
{
    if (m_grpcDeadline && now >= *m_grpcDeadline) {
        respondError({504, GatewayErrorCode::UpstreamTimeout, QStringLiteral("Deadline exceeded"),
                      QStringLiteral("The call's grpc-timeout passed before it completed")});
        return true;
    }
    if (m_h2Upstream && m_deadlineKind == Deadline::UpstreamResponse && now >= m_deadline) {
        m_exchange.attemptFailed(UpstreamFailure::Timeout);
        respondError(upstreamError(UpstreamFailure::Timeout));
        return true;
    }
    return false;
}

// ---------------------------------------------------------------- Http2UpstreamHandler

void Http2Stream::h2UpstreamHead(int status, const Http1FieldList &upstreamFields, bool endStream)
{
    if (m_transcode) {
        transcodeHead(status, upstreamFields, endStream);
        return;
    }
    if (m_h2Rest) {
        restH2Head(status, upstreamFields, endStream);
        return;
    }
    m_deadlineKind = Deadline::None;
    m_exchange.responseHead(status, upstreamFields);
    FieldArray fields;
    ValueBuffer via;
    Http1FieldList webFields;
    if (m_grpcWeb)
        grpcWebResponseFields(upstreamFields, webFields, m_grpcWeb->responseContentType());
    Http1Writer::FieldRange edited;
    appendResponseFields(fields, via, m_grpcWeb ? webFields : upstreamFields, m_exchange.edits(), "via", &edited);
    if (endStream) {
        // Trailers-only from the upstream: one HEADERS frame to the client as well.
        m_responseComplete = true;
        m_h2Upstream = nullptr;   // h2UpstreamComplete() follows; the stream is done
    }
    // The upstream's fields were checked by its session, webFields are built from them: only
    // the policies' own fields are checked again.
    submitHead(status, {fields.constData(), size_t(fields.size())}, !endStream && !m_headRequest, edited);
}

void Http2Stream::h2UpstreamData(QByteArrayView data)
{
    if (m_transcode && !m_closed) {
        transcodeData(data);
        return;
    }
    if (m_closed || m_headRequest) {
        if (m_h2Upstream)
            m_h2Upstream->consume(m_h2Stream, data.size());   // dropped: the window comes back
        return;
    }
    if (m_h2Rest) {
        restH2Data(data);
        return;
    }
    // Held until the client's window takes it (readBody gives it back upstream): the upstream's
    // stream window bounds what waits here.
    m_h2Unconsumed += data.size();
    if (m_grpcWeb) {
        QByteArray web;
        m_grpcWeb->responseBytes(data, web);
        appendResponseBody(web);
        return;
    }
    appendResponseBody(data);
}

void Http2Stream::h2UpstreamComplete(const Http1FieldList &trailers)
{
    if (m_transcode) {
        transcodeComplete(trailers);
        return;
    }
    if (m_h2Rest) {
        restH2Complete(trailers);
        return;
    }
    m_exchange.upstreamCompleted(m_methodKind);
    if (m_grpcWeb) {
        // gRPC-Web: the trailers are the body's last frame (none after a trailers-only head).
        if (m_responseHeadSent && !m_responseComplete) {
            QByteArray frame;
            m_grpcWeb->responseTrailers(trailers, frame);
            m_out.append(frame);
        }
    } else {
        for (const Http1Field &f : trailers)
            m_responseTrailers.add(f.name, f.value);
    }
    m_deadlineKind = Deadline::None;
    m_grpcDeadline.reset();
    m_responseComplete = true;
    // The upstream stream is done: what still waits for the client (bounded by the stream
    // window) needs no window back.
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;
    if (!m_requestEnded)
        m_discardBody = true;
    dropPendingBody();
    m_exchange.completeFilters();
    m_connection->session().resumeData(m_id);
    m_connection->requestSend();
}

void Http2Stream::h2UpstreamFailed(UpstreamFailure failure, quint32 errorCode, bool refused)
{
    m_h2FailureCode = errorCode;
    if (m_transcode) {
        transcodeFailed(failure, refused);
        return;
    }
    if (m_h2Rest) {
        restH2Failed(failure, refused);
        return;
    }
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;   // the stream's window went with the stream
    m_deadlineKind = Deadline::None;
    m_exchange.attemptFailed(refused ? UpstreamFailure::ConnectFailed : failure);
    if (refused && !m_responseHeadSent && (!m_requestBodyStarted || m_replayable)
        && m_exchange.mayRetry(UpstreamFailure::ConnectFailed, m_methodKind, false)) {
        // Nothing reached an upstream, or it was not processed and the message was kept: the
        // next endpoint (or a new connection after a GOAWAY) gets the call from its beginning.
        m_pendingPos = 0;
        m_requestBodyStarted = false;
        startGrpcUpstream();
        return;
    }
    if (failure == UpstreamFailure::Reset && errorCode != Http2ClientSession::kNoError && errorCode != kNotHttp2) {
        // The upstream reset the stream (CANCEL, REFUSED_STREAM ...): the client's gets the same.
        reset(errorCode);
        return;
    }
    respondError(http2UpstreamError(failure, errorCode, m_exchange.target()));
}

qint64 Http2Stream::h2UpstreamRequestBody(std::span<char> buffer, bool &end)
{
    const qsizetype available = m_pendingBody.size() - m_pendingPos;
    const qsizetype n = std::min<qsizetype>(available, qsizetype(buffer.size()));
    if (n > 0) {
        std::memcpy(buffer.data(), m_pendingBody.constData() + m_pendingPos, size_t(n));
        // Bytes sent again after a refused attempt were acknowledged the first time.
        const qsizetype fresh = std::max<qsizetype>(0, m_pendingPos + n - std::max(m_pendingPos, m_pendingAcked));
        m_pendingPos += n;
        m_pendingAcked = std::max(m_pendingAcked, m_pendingPos);
        m_requestBodyStarted = true;
        // (A transcoded call's request was read whole, its DATA acknowledged then.)
        if (fresh > 0 && !m_transcode && !m_requestBuffered
            && (!m_grpcWeb || m_grpcWeb->mode() == GrpcWebMode::Binary))
            m_connection->session().consume(m_id, fresh);   // the client may send that much more
        m_connection->requestSend();
        // A unary call's message stays whole while the upstream's stream is open, unless too large.
        m_replayable = m_replayable && m_pendingBody.size() <= kReplayBytes;
        if (!m_replayable && m_pendingPos == m_pendingBody.size()) {
            m_pendingBody.resize(0);   // keeps its capacity
            m_pendingPos = 0;
            m_pendingAcked = 0;
        } else if (!m_replayable && m_pendingPos >= 64 * 1024 && m_pendingPos * 2 >= m_pendingBody.size()) {
            // DATA that keeps arriving never lets the buffer drain: what was taken goes now.
            m_pendingBody.remove(0, m_pendingPos);
            m_pendingAcked -= m_pendingPos;
            m_pendingPos = 0;
        }
        if (m_webUnacked > 0)
            ackGrpcWebBytes();
    }
    if (m_requestEnded && m_pendingBody.size() == m_pendingPos) {
        end = true;
        if (m_h2Rest) {
            m_exchange.requestSent();
            if (!m_responseHeadSent && !m_responseBuffer.isActive())
                setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
        }
        if (!m_trailers.isEmpty() && m_h2Upstream && !m_transcode)
            m_h2Upstream->submitRequestTrailers(m_h2Stream, m_trailers.fields());
        return n;
    }
    return n > 0 ? n : -1;
}

bool Http2Stream::grpcWebData(QByteArrayView bytes)
{
    if (!m_grpcWeb->requestBytes(bytes, m_pendingBody)) {
        m_connection->session().consume(m_id, bytes.size());
        respondError(m_grpcWeb->requestError());
        return false;
    }
    if (m_grpcWeb->mode() == GrpcWebMode::Text) {
        // Decoded bytes are fewer than received ones: the client's window is given back for
        // what it sent, once what waits for the upstream is small again.
        m_webUnacked += bytes.size();
        ackGrpcWebBytes();
    }
    return true;
}

void Http2Stream::ackGrpcWebBytes()
{
    constexpr qint64 kWaiting = 64 * 1024;
    if (m_webUnacked > 0 && m_pendingBody.size() - m_pendingPos <= kWaiting) {
        m_connection->session().consume(m_id, std::exchange(m_webUnacked, 0));
        m_connection->requestSend();
    }
}

} // namespace Gatehouse
