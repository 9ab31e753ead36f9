// gRPC-Web from an HTTP/1.1 client on a gRPC route: the call goes to the route's upstream as a
// gRPC stream of an HTTP/2 connection. The request body is decoded (text mode) and checked
// frame by frame as it arrives; the response's DATA leave as chunks as they come (each message
// flushed), the upstream's trailers as the body's last frame; the gateway's own errors are
// trailers-only answers (200, grpc-status in the head). Nothing buffers a whole body: reading the
// client stops while the upstream stream has not taken kGrpcWebHighWater bytes, and the upstream's
// window is given back only as the client's socket takes its bytes.
#include "downstreamconnection.h"

#include "forwarding.h"
#include "grpcprotocol.h"
#include "worker.h"

#include "http/http1writer.h"

#include <algorithm>
#include <cstring>

namespace Gatehouse {

namespace {

constexpr qint64 kGrpcWebHighWater = 256 * 1024;
constexpr qint64 kGrpcWebLowWater = 64 * 1024;

} // namespace

void DownstreamConnection::resetGrpcWeb()
{
    cancelGrpcWebUpstream();
    m_grpcWeb.reset();
    m_grpcWebCall = false;
    m_h2Rest = false;
    m_h2RestTrailers = false;
    m_grpcWebHasBody = false;
    m_grpcWebRequestEnded = false;
    m_grpcWebTrailersOnly = false;
    m_grpcDeadline.reset();
    m_grpcPending = QByteArray();
    m_grpcPendingPos = 0;
    m_transcode = nullptr;
    m_transcodeRequest = QByteArray();
    m_transcodeBody = QByteArray();
    m_transcodeGrpcStatus.clear();
    m_transcodeGrpcMessage.clear();
    m_transcodeHttpStatus = 0;
}

void DownstreamConnection::noteGrpcWebRequest()
{
    resetGrpcWeb();
    const Http1Head &head = parser().head();
    const QByteArrayView contentType = head.headers.value("content-type");
    const std::optional<GrpcWebMode> mode = grpcWebMode(contentType);
    if (!mode)
        return;
    const qint64 maxBody = exchange().limits().maxBodyBytes;
    m_grpcWeb.emplace(*mode, contentType, maxBody > 0 ? maxBody : GrpcWebCodec::kDefaultMaxMessageBytes);
    if (const QByteArrayView timeout = head.headers.value("grpc-timeout"); !timeout.isNull()) {
        if (const auto after = parseGrpcTimeout(timeout))   // a malformed value is ignored
            m_grpcDeadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(*after);
    }
}

bool DownstreamConnection::answersAsGrpcWeb() const
{
    // Unrouted gRPC-Web calls (an unknown method) are answered as gRPC too; a REST route that
    // happens to get this content type answers as REST.
    return m_grpcWeb
           && (!exchange().route() || (exchange().route()->kind == RouteKind::Grpc && !exchange().route()->transcode));
}

bool DownstreamConnection::startGrpcWebUpstream()
{
    m_grpcWebCall = true;
    GatewayError error;
    Http2UpstreamConnection *connection = exchange().acquireHttp2Upstream(error);
    if (!connection) {
        respondError(error, !m_requestComplete);
        return false;
    }
    const Http1Head &head = parser().head();
    FieldArray fields;
    ProxyExchange::UpstreamFieldBuffers buffers;
    exchange().appendGrpcUpstreamFields(fields, buffers, clientRequest(), clientView(), viaProtocol(),
                                        m_grpcWeb->upstreamContentType());   // text mode decodes the body
    QVarLengthArray<char, 256> target;
    exchange().appendUpstreamTarget(target);
    m_grpcWebHasBody = head.framing != Http1Framing::NoBody
                       && !(head.framing == Http1Framing::ContentLength && head.contentLength == 0);
    const qint32 stream = connection->openStream(this, "POST", {target.constData(), target.size()},
                                                 {fields.constData(), size_t(fields.size())}, m_grpcWebHasBody);
    if (stream < 0) {
        respondError(exchange().http2StreamRefused(true), !m_requestComplete);
        return false;
    }
    m_h2Upstream = connection;
    m_h2Stream = stream;
    armBodyTimeout();
    const Route *route = exchange().route();
    if (route->endpoints.timeout)
        setDeadline(Deadline::UpstreamResponse, *route->endpoints.timeout);
    else if (!m_grpcDeadline && !route->clientStreaming && !route->serverStreaming)
        setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
    else
        m_deadlineKind = Deadline::None;
    if (m_grpcPending.size() > m_grpcPendingPos || m_grpcWebRequestEnded)
        m_h2Upstream->resumeRequestBody(m_h2Stream);   // a retry: what was decoded goes again
    processInput();   // the body that may be buffered already (a no-op inside the parse loop)
    return true;
}

bool DownstreamConnection::grpcWebReadingStalled()
{
    return !m_h2Upstream || m_grpcPending.size() - m_grpcPendingPos > kGrpcWebHighWater;
}

void DownstreamConnection::grpcWebRequestBody(QByteArrayView data)
{
    if (m_h2Rest) {
        h2RestRequestBody(data);
        return;
    }
    if (!m_h2Upstream)
        return;   // answered already; the body is discarded
    if (!m_grpcWeb->requestBytes(data, m_grpcPending)) {
        respondError(m_grpcWeb->requestError(), true);
        return;
    }
    m_h2Upstream->resumeRequestBody(m_h2Stream);
}

void DownstreamConnection::grpcWebRequestComplete()
{
    if (m_h2Rest) {
        h2RestRequestComplete();
        return;
    }
    if (!m_h2Upstream)
        return;
    m_grpcWebRequestEnded = true;
    if (!m_grpcWeb->requestEnd()) {
        respondError(m_grpcWeb->requestError(), false);
        return;
    }
    if (m_grpcWebHasBody)
        m_h2Upstream->resumeRequestBody(m_h2Stream);
}

qint64 DownstreamConnection::h2UpstreamRequestBody(std::span<char> buffer, bool &end)
{
    const qsizetype available = m_grpcPending.size() - m_grpcPendingPos;
    const qsizetype n = std::min<qsizetype>(available, qsizetype(buffer.size()));
    if (n > 0) {
        std::memcpy(buffer.data(), m_grpcPending.constData() + m_grpcPendingPos, size_t(n));
        m_grpcPendingPos += n;
        m_requestBodyStarted = true;
        if (m_grpcPendingPos == m_grpcPending.size()) {
            m_grpcPending.resize(0);   // keeps its capacity
            m_grpcPendingPos = 0;
        } else if (m_grpcPendingPos >= kGrpcWebLowWater && m_grpcPendingPos * 2 >= m_grpcPending.size()) {
            // A client that keeps sending never lets the buffer drain: what was taken goes now,
            // else the buffer would grow by the whole body.
            m_grpcPending.remove(0, m_grpcPendingPos);
            m_grpcPendingPos = 0;
        }
        // Reading the client may go on: outside nghttp2's callback.
        if (m_state == State::Forwarding && !m_grpcWebResumeQueued) {
            m_grpcWebResumeQueued = true;
            QMetaObject::invokeMethod(
                this,
                [this] {
                    m_grpcWebResumeQueued = false;
                    if (!m_closed && m_state == State::Forwarding)
                        processInput();
                },
                Qt::QueuedConnection);
        }
    }
    if (m_grpcWebRequestEnded && m_grpcPending.size() == m_grpcPendingPos) {
        end = true;
        // A REST request's trailers (chunked, not read whole by body policies) follow its body.
        if (m_h2Rest && !m_requestBuffered && m_h2Upstream && !parser().trailers().isEmpty())
            m_h2Upstream->submitRequestTrailers(m_h2Stream, parser().trailers().fields());
        return n;
    }
    return n > 0 ? n : -1;
}

// ---------------------------------------------------------------- the response

void DownstreamConnection::h2UpstreamHead(int status, const Http1FieldList &upstreamFields, bool endStream)
{
    if (m_transcode) {
        m_deadlineKind = Deadline::None;
        transcodeHead(status, upstreamFields, endStream);
        return;
    }
    if (m_h2Rest) {
        restH2Head(status, upstreamFields, endStream);
        return;
    }
    m_deadlineKind = Deadline::None;
    if (endStream)
        m_h2Upstream = nullptr;   // h2UpstreamComplete() follows: the stream is done
    if (status != 200 && upstreamFields.value("grpc-status").isNull()) {
        // Not a gRPC answer: the status gRPC's HTTP mapping gives, as trailers-only.
        cancelGrpcWebUpstream();
        exchange().upstreamResponded(status);
        const GrpcStatus grpc = grpcStatusForHttpStatus(status);
        Http1FieldList trailers;
        const QByteArray code = QByteArray::number(int(grpc));
        const QByteArray message = encodeGrpcMessage(QStringLiteral("The upstream answered HTTP %1").arg(status));
        trailers.append("grpc-status", code);
        trailers.append("grpc-message", message);
        m_grpcWebTrailersOnly = true;
        Http1FieldList fields;
        grpcWebResponseFields(trailers, fields, m_grpcWeb->responseContentType());
        if (!writeResponseHead(200, "OK", fields, Http1Framing::ContentLength, 0)) {
            closeNow();
            return;
        }
        exchange().upstreamCompleted(HttpMethod::Post);
        endGrpcWebResponse();
        return;
    }
    exchange().responseHead(status, upstreamFields);
    Http1FieldList fields;
    grpcWebResponseFields(upstreamFields, fields, m_grpcWeb->responseContentType());
    // Trailers-only: grpc-status is in the head, the body is empty.
    m_grpcWebTrailersOnly = endStream;
    if (!writeResponseHead(200, "OK", fields, endStream ? Http1Framing::ContentLength : Http1Framing::Chunked, 0)) {
        cancelGrpcWebUpstream();
        exchange().attemptFailed(UpstreamFailure::BadResponse);
        closeNow();
        return;
    }
    exchange().upstreamResponded(status);
    m_stream->flush();   // the head goes now: a streaming call's first message may take a while
}

void DownstreamConnection::h2UpstreamData(QByteArrayView data)
{
    if (m_transcode) {
        transcodeData(data);
        return;
    }
    if (m_h2Rest) {
        restH2Data(data);
        return;
    }
    if (m_grpcWebTrailersOnly || m_headRequest) {
        if (m_h2Upstream)
            m_h2Upstream->consume(m_h2Stream, data.size());
        return;
    }
    m_h2Unconsumed += data.size();
    QByteArray &out = m_worker->scratchBuffer();
    m_grpcWeb->responseBytes(data, out);
    writeGrpcWebBody(out);
    // Message by message: what arrived leaves now.
    m_stream->flush();
    if (pendingOutput() < kGrpcWebHighWater)
        giveBackGrpcWebBytes();   // else once the client's socket takes it (streamWritten)
}

void DownstreamConnection::writeGrpcWebBody(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return;
    if (m_responseChunked) {
        QByteArray chunkHead;
        Http1Writer::appendChunkHeader(chunkHead, bytes.size());
        writeToClient(chunkHead);
        writeToClient(bytes);
        writeToClient("\r\n");
    } else {
        writeToClient(bytes);   // HTTP/1.0: the body ends when the connection closes
    }
}

void DownstreamConnection::h2UpstreamComplete(const Http1FieldList &trailers)
{
    if (m_transcode) {
        transcodeComplete(trailers);
        return;
    }
    if (m_h2Rest) {
        restH2Complete(trailers);
        return;
    }
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;
    exchange().upstreamCompleted(HttpMethod::Post);
    if (!m_grpcWebTrailersOnly) {
        QByteArray &out = m_worker->scratchBuffer();
        m_grpcWeb->responseTrailers(trailers, out);
        writeGrpcWebBody(out);
    }
    endGrpcWebResponse();
}

void DownstreamConnection::endGrpcWebResponse()
{
    if (m_responseChunked && !m_grpcWebTrailersOnly)
        writeToClient("0\r\n\r\n");
    m_stream->flush();
    m_deadlineKind = Deadline::None;
    m_grpcDeadline.reset();
    exchange().completeFilters();
    if (!m_requestComplete) {
        closeAfterWrite();   // the rest of the request body cannot be told from a next request
        return;
    }
    finishExchange();
}

void DownstreamConnection::h2UpstreamFailed(UpstreamFailure failure, quint32 errorCode, bool refused)
{
    if (m_transcode) {
        transcodeFailed(failure, errorCode, refused);
        return;
    }
    if (m_h2Rest) {
        restH2Failed(failure, errorCode, refused);
        return;
    }
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;
    m_deadlineKind = Deadline::None;
    exchange().attemptFailed(refused ? UpstreamFailure::ConnectFailed : failure);
    if (refused && !m_responseHeadSent && !m_requestBodyStarted
        && exchange().mayRetry(UpstreamFailure::ConnectFailed, HttpMethod::Post, false)) {
        startGrpcWebUpstream();   // nothing reached an upstream: the next endpoint gets the call
        return;
    }
    respondError(http2UpstreamError(failure, errorCode, exchange().target()), !m_requestComplete);
}

void DownstreamConnection::respondGrpcWeb(const GatewayError &error, bool close, std::span<const Http1Field> extra)
{
    cancelGrpcWebUpstream();
    m_deadlineKind = Deadline::None;
    m_grpcDeadline.reset();
    const GrpcStatus status = grpcStatusForError(error);
    const QString message = error.description.isEmpty() ? error.message : error.description;
    if (close || m_draining)
        m_keepAlive = false;
    if (!exchange().isRecording())
        beginExchange(HttpMethod::Other);
    if (m_responseHeadSent) {
        // Mid-response: what was sent stands; a trailer frame carries the status.
        if (!m_grpcWebTrailersOnly) {
            QByteArray &out = m_worker->scratchBuffer();
            m_grpcWeb->responseStatus(status, message, out);
            writeGrpcWebBody(out);
        }
        endGrpcWebResponse();
        return;
    }
    exchange().gatewayAnswered(error);
    const GrpcTrailersOnly t(status, message);
    FieldArray fields;
    fields.append({"content-type", m_grpcWeb->responseContentType()});
    for (const Http1Field &f : t.fields().subspan(1))
        fields.append(f);
    fields.append({"content-length", "0"});
    const qsizetype required = fields.size();
    for (const Http1Field &f : extra)
        fields.append(f);
    // A filter's answer brings its fields (CORS ...) in `extra`; other answers get the edits.
    if (const RequestContext *edits = exchange().edits(); edits && extra.empty()) {
        for (const OwnedField &f : std::as_const(edits->responseHeaders))
            fields.append({f.name, f.value});
    }
    if (!m_keepAlive)
        fields.append({"connection", "close"});
    const HttpVersion version = parser().head().version;
    QByteArray &out = m_worker->scratchBuffer();
    if (!Http1Writer::appendResponseHead(out, 200, "OK", version, {fields.constData(), size_t(fields.size())})) {
        // Only a policy-provided field can be invalid: answer without them.
        fields.resize(required);
        if (!m_keepAlive)
            fields.append({"connection", "close"});
        out.clear();
        (void)Http1Writer::appendResponseHead(out, 200, "OK", version, {fields.constData(), size_t(fields.size())});
    }
    writeToClient(out);
    m_stream->flush();
    m_responseHeadSent = true;
    exchange().completeFilters();
    if (!m_keepAlive) {
        closeAfterWrite();
        return;
    }
    if (m_state == State::Forwarding && !m_requestComplete)
        m_state = State::AwaitingResponse;
    finishExchange();
}

void DownstreamConnection::cancelGrpcWebUpstream()
{
    m_h2Unconsumed = 0;
    if (Http2UpstreamConnection *connection = std::exchange(m_h2Upstream, nullptr))
        connection->cancelStream(m_h2Stream, Http2ClientSession::kCancel);
}

void DownstreamConnection::giveBackGrpcWebBytes()
{
    if (m_h2Upstream && m_h2Unconsumed > 0)
        m_h2Upstream->consume(m_h2Stream, std::exchange(m_h2Unconsumed, 0));
}

bool DownstreamConnection::tickGrpcWeb(Clock::time_point now)
{
    if (m_grpcDeadline && now >= *m_grpcDeadline) {
        respondError({504, GatewayErrorCode::UpstreamTimeout, QStringLiteral("Deadline exceeded"),
                      QStringLiteral("The call's grpc-timeout passed before it completed")},
                     !m_requestComplete);
        return true;
    }
    if (m_h2Upstream && m_deadlineKind == Deadline::UpstreamResponse && now >= m_deadline) {
        if (m_h2Rest && m_state == State::Forwarding && !m_requestComplete && !m_responseHeadSent
            && !grpcWebReadingStalled()) {
            // A REST request still arriving at the client's pace: bodyTimeout guards that.
            setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
            return false;
        }
        exchange().attemptFailed(UpstreamFailure::Timeout);
        respondError(upstreamError(UpstreamFailure::Timeout), !m_requestComplete);
        return true;
    }
    return false;
}

} // namespace Gatehouse
