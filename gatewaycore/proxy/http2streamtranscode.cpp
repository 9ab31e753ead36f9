// JSON transcoding for an HTTP/2 client (h2 and h2c): a REST request on a route compiled from a
// gRPC method's google.api.http binding becomes a gRPC call on the method's HTTP/2 upstream, as
// for HTTP/1.1 clients (downstreamtranscode.cpp; both share transcodereply.h). The request body
// was collected (bounded) by the body hooks' buffer. A unary answer is collected and sent whole;
// a server-streaming one leaves as a JSON array, element by element, the upstream's window given
// back as the client's window takes the elements.
#include "http2stream.h"

#include "forwarding.h"
#include "grpcprotocol.h"
#include "http2connection.h"
#include "worker.h"

#include "project/gatewayconfig.h"

namespace Gatehouse {

namespace {

constexpr qint64 kStreamTranscodeBytes = 4 * 1024 * 1024;   // when limits.maxBodyBytes sets none
constexpr qint64 kStreamedOutput = 64 * 1024;   // JSON waiting for the client before the upstream waits

} // namespace

qint64 Http2Stream::transcodeLimit() const
{
    const qint64 limit = m_exchange.requestBodyLimit();
    const qint64 maxBody = m_exchange.limits().maxBodyBytes;
    return limit > 0 ? limit : (maxBody > 0 ? maxBody : kStreamTranscodeBytes);
}

bool Http2Stream::startTranscodedUpstream()
{
    m_transcode = m_exchange.route()->transcode.get();
    const QByteArray body = m_requestBuffered ? m_requestBuffer.bytes() : QByteArray();
    GatewayError error;
    if (!transcodeRequestFrame(*m_transcode, m_exchange.path(), m_exchange.query(), body, m_transcodeRequest,
                               error)) {
        respondError(error);
        return false;
    }
    m_transcodeBody.clear();
    return openTranscodedStream();
}

bool Http2Stream::openTranscodedStream()
{
    m_pendingBody = m_transcodeRequest;   // again in full when a refused call is retried
    m_pendingPos = 0;
    GatewayError error;
    Http2UpstreamConnection *connection = m_exchange.acquireHttp2Upstream(error);
    if (!connection) {
        respondError(error);
        return false;
    }
    // The client's fields as forwarded, but those describing the JSON exchange.
    FieldArray fields;
    ProxyExchange::UpstreamFieldBuffers buffers;
    m_exchange.appendGrpcUpstreamFields(fields, buffers, clientRequest(), clientView(), "2", "application/grpc",
                                        {"accept", "accept-encoding"});
    const QByteArray target = m_exchange.target()->pathPrefix + m_transcode->grpcPath;
    const qint32 stream = connection->openStream(this, "POST", target, {fields.constData(), size_t(fields.size())}, true);
    if (stream < 0) {
        respondError(m_exchange.http2StreamRefused(true));
        return false;
    }
    m_h2Upstream = connection;
    m_h2Stream = stream;
    setDeadline(Deadline::UpstreamResponse, m_exchange.callTimeout(m_connection->worker()->pool().settings().requestTimeout));
    return true;
}

void Http2Stream::transcodeHead(int status, const Http1FieldList &fields, bool endStream)
{
    m_deadlineKind = Deadline::None;
    m_exchange.responseHead(status, fields);
    m_transcodeHttpStatus = status;
    m_transcodeGrpcStatus = fields.value("grpc-status").toByteArray();
    m_transcodeGrpcMessage = fields.value("grpc-message").toByteArray();
    if (endStream)
        m_h2Upstream = nullptr;   // trailers-only: h2UpstreamComplete() follows
}

void Http2Stream::submitTranscodedHead(int status, qint64 contentLength)
{
    Http1FieldList answer;
    answer.append("content-type", "application/json");
    FieldArray fields;
    ValueBuffer via;
    appendResponseFields(fields, via, answer, m_exchange.edits(), "via");
    if (const QByteArrayView timing = m_exchange.serverTiming(); !timing.isEmpty())
        fields.append({"server-timing", timing});
    std::array<char, 24> length;
    if (contentLength >= 0)
        fields.append({"content-length", decimal(length, contentLength)});
    submitHead(status, {fields.constData(), size_t(fields.size())}, !m_headRequest && contentLength != 0);
}

void Http2Stream::transcodeData(QByteArrayView data)
{
    if (!m_transcode->serverStreaming) {
        if (m_h2Upstream)
            m_h2Upstream->consume(m_h2Stream, data.size());   // held here, bounded below
        if (m_transcodeBody.size() + data.size() > transcodeLimit() + 5) {
            m_exchange.attemptFailed(UpstreamFailure::BadResponse);
            respondError({502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                          QStringLiteral("The upstream's response exceeds the %1 bytes a transcoded call takes")
                              .arg(transcodeLimit())});
            return;
        }
        m_transcodeBody.append(data.data(), data.size());
        return;
    }
    if (m_headRequest) {
        // HEAD: the answer is the head alone (transcodeComplete); messages are dropped.
        if (m_h2Upstream)
            m_h2Upstream->consume(m_h2Stream, data.size());
        return;
    }
    // Server streaming: each whole message leaves as an array element now.
    m_transcodeBody.append(data.data(), data.size());
    QByteArray json;
    int count = m_responseHeadSent ? 1 : 0;   // the head leaves with the first element
    TranscodeStatus failed;
    const bool ok = takeTranscodedMessages(*m_transcode, m_transcodeBody, transcodeLimit(), json, count, failed);
    if (!json.isEmpty()) {
        if (!m_responseHeadSent) {
            submitTranscodedHead(200, -1);
            if (m_closed)
                return;
            json.prepend('[');
        }
        if (!m_headRequest)
            appendResponseBody(json);
    }
    if (!ok) {
        m_exchange.attemptFailed(UpstreamFailure::BadResponse);
        if (m_responseHeadSent) {
            cancelGrpcUpstream(Http2ServerSession::kCancel);
            endTranscodedArray(failed);
            return;
        }
        respondError({502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"), failed.message});
        return;
    }
    // The upstream's window comes back as the client takes the JSON (readBody), once some waits;
    // a message larger than the window still arrives whole while little waits.
    if (m_out.size() - m_outPos < kStreamedOutput) {
        if (m_h2Upstream)
            m_h2Upstream->consume(m_h2Stream, data.size());
    } else {
        m_h2Unconsumed += data.size();
    }
}

// A streamed array ends: "]" after OK, else the error as its last element.
void Http2Stream::endTranscodedArray(const TranscodeStatus &end)
{
    if (!m_headRequest)
        appendResponseBody(transcodedStreamEnd(end, true));
    m_deadlineKind = Deadline::None;
    m_responseComplete = true;
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;
    m_exchange.completeFilters();
    m_connection->session().resumeData(m_id);
    m_connection->requestSend();
}

void Http2Stream::transcodeComplete(const Http1FieldList &trailers)
{
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;
    m_exchange.upstreamCompleted(m_methodKind);
    if (const QByteArrayView s = trailers.value("grpc-status"); !s.isNull()) {
        m_transcodeGrpcStatus = s.toByteArray();
        m_transcodeGrpcMessage = trailers.value("grpc-message").toByteArray();
    }
    TranscodeStatus end = transcodeStatus(m_transcodeHttpStatus, m_transcodeGrpcStatus, m_transcodeGrpcMessage);
    QByteArray json;
    if (m_transcode->serverStreaming) {
        if (end.grpcStatus == 0 && !m_transcodeBody.isEmpty())
            end = {int(GrpcStatus::Internal), QStringLiteral("The upstream's response ends inside a message")};
        if (m_responseHeadSent) {
            endTranscodedArray(end);
            return;
        }
        if (end.grpcStatus == 0)
            json = QByteArrayLiteral("[]");   // no message: an empty array
    } else if (end.grpcStatus == 0) {
        if (auto rendered = transcodedUnaryJson(*m_transcode, m_transcodeBody, end))
            json = std::move(*rendered);
    }
    if (end.grpcStatus != 0)
        json = transcodedErrorBody(end.grpcStatus, end.message);
    m_deadlineKind = Deadline::None;
    m_out = m_headRequest ? QByteArray() : json;
    m_outPos = 0;
    m_responseComplete = true;
    // HEAD on a streaming binding: the array's length is not known without its messages.
    submitTranscodedHead(httpStatusForGrpcStatus(end.grpcStatus),
                         m_headRequest && m_transcode->serverStreaming ? -1 : json.size());
    if (!m_requestEnded)
        m_discardBody = true;
    dropPendingBody();
    m_exchange.completeFilters();
    m_connection->requestSend();
}

void Http2Stream::transcodeFailed(UpstreamFailure failure, bool refused)
{
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;
    m_deadlineKind = Deadline::None;
    m_exchange.attemptFailed(refused ? UpstreamFailure::ConnectFailed : failure);
    if (refused && !m_responseHeadSent && m_exchange.mayRetry(UpstreamFailure::ConnectFailed, HttpMethod::Post, false)) {
        openTranscodedStream();   // nothing reached an upstream: the next endpoint gets the call
        return;
    }
    if (m_responseHeadSent) {
        // A streamed array had begun: it ends with the failure as its last element.
        const GatewayError error = upstreamError(failure);
        endTranscodedArray({int(grpcStatusForError(error)), error.description});
        return;
    }
    respondError(http2UpstreamError(failure, m_h2FailureCode, m_exchange.target()));
}

} // namespace Gatehouse
