// JSON transcoding for an HTTP/1.1 client: a REST request on a route compiled from a gRPC
// method's google.api.http binding becomes a unary gRPC call on the method's HTTP/2 upstream.
// The request body was collected (bounded) by the body hooks' buffer; the response message is
// collected (bounded the same way) and answered as JSON with grpc-gateway's status mapping.
#include "downstreamconnection.h"

#include "forwarding.h"
#include "grpcprotocol.h"
#include "worker.h"

#include "http/http1writer.h"

#include <QUrl>

namespace Gatehouse {

namespace {

constexpr qint64 kDefaultTranscodeBytes = 4 * 1024 * 1024;   // when limits.maxBodyBytes sets none

} // namespace

qint64 DownstreamConnection::transcodeLimit() const
{
    const qint64 limit = m_exchange.requestBodyLimit();
    const qint64 maxBody = m_exchange.limits().maxBodyBytes;
    return limit > 0 ? limit : (maxBody > 0 ? maxBody : kDefaultTranscodeBytes);
}

bool DownstreamConnection::startTranscodedUpstream()
{
    m_transcode = m_exchange.route()->transcode.get();
    m_grpcWebCall = true;   // an HTTP/2 upstream call: tickGrpcWeb() keeps its deadlines
    const TranscodeRule &rule = m_transcode->rule;
    const auto bindings = rule.path.match(m_exchange.path());
    if (!bindings) {
        respondError({404, GatewayErrorCode::NoMatchingResource, QStringLiteral("Resource not found"),
                      QStringLiteral("The path does not match %1").arg(rule.path.text())},
                     !m_requestComplete);
        return false;
    }
    QByteArrayView query = m_exchange.query();
    if (query.startsWith('?'))
        query = query.sliced(1);
    const QByteArray body = m_requestBuffered ? m_requestBuffer.bytes() : QByteArray();
    const auto message = buildRequestMessage(*m_transcode->types, rule, *bindings, query, body);
    if (!message) {
        respondError({400, GatewayErrorCode::BadRequest, QStringLiteral("Bad request"), message.error().message},
                     !m_requestComplete);
        return false;
    }
    // One length-prefixed message, uncompressed.
    const quint32 n = quint32(message->size());
    m_transcodeRequest.resize(0);
    m_transcodeRequest.append(char(0));
    m_transcodeRequest.append(char(n >> 24));
    m_transcodeRequest.append(char(n >> 16));
    m_transcodeRequest.append(char(n >> 8));
    m_transcodeRequest.append(char(n));
    m_transcodeRequest.append(*message);
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
    const UpstreamEndpoint *endpoint = m_exchange.chooseEndpoint(error);
    if (!endpoint) {
        respondError(error, !m_requestComplete);
        return false;
    }
    Http2UpstreamConnection *connection = m_worker->http2Pool().acquire(*endpoint);
    FieldArray fields;
    ProxyExchange::UpstreamFieldBuffers buffers;
    appendGrpcUpstreamFields(fields, buffers, "application/grpc", {"accept", "accept-encoding"});
    const QByteArray target = endpoint->pathPrefix + m_transcode->grpcPath;
    const qint32 stream = connection->openStream(this, "POST", target, {fields.constData(), size_t(fields.size())}, true);
    if (stream < 0) {
        m_exchange.attemptFailed(UpstreamFailure::BadResponse);
        respondError({502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                      QStringLiteral("The call cannot be forwarded as HTTP/2 (a field is not valid there)")},
                     !m_requestComplete);
        return false;
    }
    m_h2Upstream = connection;
    m_h2Stream = stream;
    const Route *route = m_exchange.route();
    setDeadline(Deadline::UpstreamResponse,
                route->endpoints.timeout ? *route->endpoints.timeout : m_worker->pool().settings().requestTimeout);
    return true;
}

void DownstreamConnection::transcodeHead(int status, const Http1FieldList &fields, bool endStream)
{
    m_exchange.responseHead(status, fields);
    m_transcodeHttpStatus = status;
    m_transcodeGrpcStatus = fields.value("grpc-status").toByteArray();
    m_transcodeGrpcMessage = fields.value("grpc-message").toByteArray();
    if (endStream)
        m_h2Upstream = nullptr;   // trailers-only: h2UpstreamComplete() follows
}

void DownstreamConnection::transcodeData(QByteArrayView data)
{
    if (m_h2Upstream)
        m_h2Upstream->consume(m_h2Stream, data.size());   // held here, bounded below
    if (m_transcodeBody.size() + data.size() > transcodeLimit() + 5) {
        cancelGrpcWebUpstream();
        m_exchange.attemptFailed(UpstreamFailure::BadResponse);
        respondError({502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                      QStringLiteral("The upstream's response exceeds the %1 bytes a transcoded call takes")
                          .arg(transcodeLimit())},
                     !m_requestComplete);
        return;
    }
    m_transcodeBody.append(data.data(), data.size());
}

void DownstreamConnection::transcodeComplete(const Http1FieldList &trailers)
{
    m_h2Upstream = nullptr;
    m_exchange.upstreamCompleted(HttpMethod::Post);
    if (const QByteArrayView s = trailers.value("grpc-status"); !s.isNull()) {
        m_transcodeGrpcStatus = s.toByteArray();
        m_transcodeGrpcMessage = trailers.value("grpc-message").toByteArray();
    }
    bool known = false;
    int grpcStatus = m_transcodeGrpcStatus.toInt(&known);
    QString message = QUrl::fromPercentEncoding(m_transcodeGrpcMessage);
    if (!known) {
        // Not a gRPC answer: gRPC's HTTP mapping says what it stands for.
        grpcStatus = int(grpcStatusForHttpStatus(m_transcodeHttpStatus));
        message = QStringLiteral("The upstream answered HTTP %1 without a gRPC status").arg(m_transcodeHttpStatus);
    }
    QByteArray json;
    int status = httpStatusForGrpcStatus(grpcStatus);
    if (grpcStatus == 0) {
        // Exactly one uncompressed message.
        const QByteArrayView b = m_transcodeBody;
        const qint64 n = b.size() >= 5 ? (qint64(quint8(b[1])) << 24 | qint64(quint8(b[2])) << 16
                                          | qint64(quint8(b[3])) << 8 | qint64(quint8(b[4])))
                                       : -1;
        if (n < 0 || b[0] != 0 || n != b.size() - 5) {
            grpcStatus = int(GrpcStatus::Internal);
            message = QStringLiteral("The upstream's response is not one uncompressed message");
        } else if (auto rendered = renderResponseMessage(*m_transcode->types, m_transcode->rule, b.sliced(5), {})) {
            json = *rendered;
        } else {
            grpcStatus = int(GrpcStatus::Internal);
            message = rendered.error().message;
        }
        status = httpStatusForGrpcStatus(grpcStatus);
    }
    if (grpcStatus != 0)
        json = transcodedErrorBody(grpcStatus, message);
    Http1FieldList fields;
    fields.append("content-type", "application/json");
    if (!writeResponseHead(status, {}, fields, Http1Framing::ContentLength, json.size())) {
        closeNow();
        return;
    }
    m_exchange.upstreamResponded(status);
    writeToClient(json);
    m_stream->flush();
    m_deadlineKind = Deadline::None;
    m_exchange.completeFilters();
    if (!m_requestComplete) {
        closeAfterWrite();
        return;
    }
    finishExchange();
}

void DownstreamConnection::transcodeFailed(UpstreamFailure failure, bool refused)
{
    m_h2Upstream = nullptr;
    m_deadlineKind = Deadline::None;
    m_exchange.attemptFailed(refused ? UpstreamFailure::ConnectFailed : failure);
    if (refused && m_exchange.mayRetry(UpstreamFailure::ConnectFailed, HttpMethod::Post, false)) {
        openTranscodedStream();   // nothing reached an upstream: the next endpoint gets the call
        return;
    }
    respondError(upstreamError(failure), !m_requestComplete);
}

} // namespace Gatehouse
