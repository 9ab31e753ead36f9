// JSON transcoding for an HTTP/1.1 client: a REST request on a route compiled from a gRPC
// method's google.api.http binding becomes a gRPC call on the method's HTTP/2 upstream.
// The request body was collected (bounded) by the body hooks' buffer. A unary method's response
// message is collected (bounded the same way) and answered as JSON with grpc-gateway's status
// mapping; a server-streaming method's messages leave as elements of a chunked JSON array as they
// arrive, the upstream's window given back as the client takes them (transcodereply.h).
#include "downstreamconnection.h"

#include "forwarding.h"
#include "grpcprotocol.h"
#include "transcodereply.h"
#include "worker.h"

#include "http/http1writer.h"

namespace Gatehouse {

namespace {

constexpr qint64 kDefaultTranscodeBytes = 4 * 1024 * 1024;   // when limits.maxBodyBytes sets none
constexpr qint64 kTranscodeHighWater = 256 * 1024;   // client output before the upstream's window waits

} // namespace

qint64 DownstreamConnection::transcodeLimit() const
{
    const qint64 limit = exchange().requestBodyLimit();
    const qint64 maxBody = exchange().limits().maxBodyBytes;
    return limit > 0 ? limit : (maxBody > 0 ? maxBody : kDefaultTranscodeBytes);
}

bool DownstreamConnection::startTranscodedUpstream()
{
    m_transcode = exchange().route()->transcode.get();
    m_grpcWebCall = true;   // an HTTP/2 upstream call: tickGrpcWeb() keeps its deadlines
    const QByteArray body = m_requestBuffered ? m_requestBuffer.bytes() : QByteArray();
    GatewayError error;
    if (!transcodeRequestFrame(*m_transcode, exchange().path(), exchange().query(), body, m_transcodeRequest,
                               error)) {
        respondError(error, !m_requestComplete);
        return false;
    }
    m_grpcWebRequestEnded = true;
    m_grpcWebHasBody = true;
    m_transcodeBody.clear();
    return openTranscodedStream();
}

bool DownstreamConnection::openTranscodedStream()
{
    m_grpcPending = m_transcodeRequest;   // again in full when a refused call is retried
    m_grpcPendingPos = 0;
    GatewayError error;
    Http2UpstreamConnection *connection = exchange().acquireHttp2Upstream(error);
    if (!connection) {
        respondError(error, !m_requestComplete);
        return false;
    }
    FieldArray fields;
    ProxyExchange::UpstreamFieldBuffers buffers;
    exchange().appendGrpcUpstreamFields(fields, buffers, clientRequest(), clientView(), viaProtocol(), "application/grpc",
                                        {"accept", "accept-encoding"});
    const QByteArray target = exchange().target()->pathPrefix + m_transcode->grpcPath;
    const qint32 stream = connection->openStream(this, "POST", target, {fields.constData(), size_t(fields.size())}, true);
    if (stream < 0) {
        respondError(exchange().http2StreamRefused(true), !m_requestComplete);
        return false;
    }
    m_h2Upstream = connection;
    m_h2Stream = stream;
    setDeadline(Deadline::UpstreamResponse, exchange().callTimeout(m_worker->pool().settings().requestTimeout));
    return true;
}

void DownstreamConnection::transcodeHead(int status, const Http1FieldList &fields, bool endStream)
{
    exchange().responseHead(status, fields);
    m_transcodeHttpStatus = status;
    m_transcodeGrpcStatus = fields.value("grpc-status").toByteArray();
    m_transcodeGrpcMessage = fields.value("grpc-message").toByteArray();
    if (endStream)
        m_h2Upstream = nullptr;   // trailers-only: h2UpstreamComplete() follows
}

void DownstreamConnection::transcodeData(QByteArrayView data)
{
    if (!m_transcode->serverStreaming) {
        if (m_h2Upstream)
            m_h2Upstream->consume(m_h2Stream, data.size());   // held here, bounded below
        if (m_transcodeBody.size() + data.size() > transcodeLimit() + 5) {
            cancelGrpcWebUpstream();
            exchange().attemptFailed(UpstreamFailure::BadResponse);
            respondError({502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                          QStringLiteral("The upstream's response exceeds the %1 bytes a transcoded call takes")
                              .arg(transcodeLimit())},
                         !m_requestComplete);
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
    // Server streaming: each whole message leaves as an array element now; the upstream's window
    // comes back as the client's socket takes them (streamWritten).
    m_h2Unconsumed += data.size();
    m_transcodeBody.append(data.data(), data.size());
    QByteArray json;
    int count = m_responseHeadSent ? 1 : 0;   // the head leaves with the first element
    TranscodeStatus failed;
    const bool ok = takeTranscodedMessages(*m_transcode, m_transcodeBody, transcodeLimit(), json, count, failed);
    if (!json.isEmpty()) {
        if (!m_responseHeadSent) {
            Http1FieldList fields;
            fields.append("content-type", "application/json");
            if (!writeResponseHead(200, {}, fields, Http1Framing::Chunked, 0)) {
                cancelGrpcWebUpstream();
                closeNow();
                return;
            }
            exchange().upstreamResponded(200);
            json.prepend('[');
        }
        writeGrpcWebBody(json);
        m_stream->flush();
    }
    if (!ok) {
        cancelGrpcWebUpstream();
        exchange().attemptFailed(UpstreamFailure::BadResponse);
        if (m_responseHeadSent) {
            writeGrpcWebBody(transcodedStreamEnd(failed, true));   // the array ends with the error
            endGrpcWebResponse();
            return;
        }
        respondError({502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"), failed.message},
                     !m_requestComplete);
        return;
    }
    // A message larger than the window must still arrive whole: while nothing waits for the
    // client, the window comes back at once.
    if (pendingOutput() < kTranscodeHighWater || !m_responseHeadSent)
        giveBackGrpcWebBytes();
}

void DownstreamConnection::transcodeComplete(const Http1FieldList &trailers)
{
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;
    exchange().upstreamCompleted(HttpMethod::Post);
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
            writeGrpcWebBody(transcodedStreamEnd(end, true));
            endGrpcWebResponse();
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
    const int status = httpStatusForGrpcStatus(end.grpcStatus);
    Http1FieldList fields;
    fields.append("content-type", "application/json");
    // HEAD on a streaming binding: the array's length is not known without its messages.
    const bool unknownLength = m_headRequest && m_transcode->serverStreaming;
    if (!writeResponseHead(status, {}, fields, unknownLength ? Http1Framing::NoBody : Http1Framing::ContentLength,
                           json.size())) {
        closeNow();
        return;
    }
    exchange().upstreamResponded(status);
    if (!m_headRequest)
        writeToClient(json);
    m_stream->flush();
    m_deadlineKind = Deadline::None;
    exchange().completeFilters();
    if (!m_requestComplete) {
        closeAfterWrite();
        return;
    }
    finishExchange();
}

void DownstreamConnection::transcodeFailed(UpstreamFailure failure, quint32 errorCode, bool refused)
{
    m_h2Upstream = nullptr;
    m_h2Unconsumed = 0;
    m_deadlineKind = Deadline::None;
    exchange().attemptFailed(refused ? UpstreamFailure::ConnectFailed : failure);
    if (refused && !m_responseHeadSent && exchange().mayRetry(UpstreamFailure::ConnectFailed, HttpMethod::Post, false)) {
        openTranscodedStream();   // nothing reached an upstream: the next endpoint gets the call
        return;
    }
    if (m_responseHeadSent) {
        // A streamed array had begun: it ends with the failure as its last element.
        const GatewayError error = http2UpstreamError(failure, errorCode, exchange().target());
        writeGrpcWebBody(transcodedStreamEnd({int(grpcStatusForError(error)), error.description}, true));
        endGrpcWebResponse();
        return;
    }
    respondError(http2UpstreamError(failure, errorCode, exchange().target()), !m_requestComplete);
}

} // namespace Gatehouse
