// The gRPC side of a transcoded call for both client protocols: request framing, response
// messages cut and rendered as JSON (one object, or a streamed array), the answer's status.
#include "transcodereply.h"

#include "grpcprotocol.h"

#include "project/gatewayconfig.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace Gatehouse {

namespace {

constexpr qsizetype kPrefixBytes = 5;   // compressed flag + 4-byte big-endian length

qint64 messageLength(QByteArrayView b)
{
    return qint64(quint8(b[1])) << 24 | qint64(quint8(b[2])) << 16 | qint64(quint8(b[3])) << 8
           | qint64(quint8(b[4]));
}

} // namespace

bool transcodeRequestFrame(const TranscodeRoute &route, QByteArrayView path, QByteArrayView query,
                           QByteArrayView jsonBody, QByteArray &frame, GatewayError &error)
{
    if (route.clientStreaming) {
        // A REST request is one message: a call that reads a stream of them has no JSON form.
        error = {501, GatewayErrorCode::NotImplemented, QStringLiteral("Not implemented"),
                 QStringLiteral("JSON transcoding does not serve the %1 method %2")
                     .arg(route.serverStreaming ? QStringLiteral("bidirectional streaming")
                                                : QStringLiteral("client-streaming"),
                          route.methodName)};
        return false;
    }
    const TranscodeRule &rule = route.rule;
    const auto bindings = rule.path.match(path);
    if (!bindings) {
        error = {404, GatewayErrorCode::NoMatchingResource, QStringLiteral("Resource not found"),
                 QStringLiteral("The path does not match %1").arg(rule.path.text())};
        return false;
    }
    if (query.startsWith('?'))
        query = query.sliced(1);
    const auto message = buildRequestMessage(*route.types, rule, *bindings, query, jsonBody);
    if (!message) {
        error = {400, GatewayErrorCode::BadRequest, QStringLiteral("Bad request"), message.error().message};
        return false;
    }
    const quint32 n = quint32(message->size());
    frame.resize(0);
    frame.reserve(kPrefixBytes + message->size());
    frame.append(char(0));
    frame.append(char(n >> 24));
    frame.append(char(n >> 16));
    frame.append(char(n >> 8));
    frame.append(char(n));
    frame.append(*message);
    return true;
}

TranscodeStatus transcodeStatus(int httpStatus, QByteArrayView grpcStatus, QByteArrayView grpcMessage)
{
    bool known = false;
    const int status = grpcStatus.isNull() ? -1 : QByteArray(grpcStatus.data(), grpcStatus.size()).toInt(&known);
    if (known && status >= 0)
        return {status, QUrl::fromPercentEncoding(QByteArray(grpcMessage.data(), grpcMessage.size()))};
    // Not a gRPC answer: gRPC's HTTP mapping says what it stands for.
    return {int(grpcStatusForHttpStatus(httpStatus)),
            QStringLiteral("The upstream answered HTTP %1 without a gRPC status").arg(httpStatus)};
}

bool takeTranscodedMessages(const TranscodeRoute &route, QByteArray &buffer, qint64 maxBytes,
                            QByteArray &json, int &count, TranscodeStatus &status)
{
    qsizetype at = 0;
    bool ok = true;
    while (buffer.size() - at >= kPrefixBytes) {
        const QByteArrayView b = QByteArrayView(buffer).sliced(at);
        const qint64 n = messageLength(b);
        if (b[0] != 0) {
            status = {int(GrpcStatus::Internal), QStringLiteral("The upstream's response message is compressed")};
            ok = false;
            break;
        }
        if (n > maxBytes) {
            status = {int(GrpcStatus::Internal),
                      QStringLiteral("The upstream's response message exceeds the %1 bytes a transcoded call takes")
                          .arg(maxBytes)};
            ok = false;
            break;
        }
        if (b.size() - kPrefixBytes < n)
            break;   // the rest of it is still on its way
        auto rendered = renderResponseMessage(*route.types, route.rule, b.sliced(kPrefixBytes, n), {});
        if (!rendered) {
            status = {int(GrpcStatus::Internal), rendered.error().message};
            ok = false;
            break;
        }
        if (count > 0)
            json.append(',');
        json.append(*rendered);
        ++count;
        at += kPrefixBytes + n;
    }
    buffer.remove(0, at);
    return ok;
}

std::optional<QByteArray> transcodedUnaryJson(const TranscodeRoute &route, QByteArrayView body,
                                              TranscodeStatus &status)
{
    // Exactly one uncompressed message.
    const qint64 n = body.size() >= kPrefixBytes ? messageLength(body) : -1;
    if (n < 0 || body[0] != 0 || n != body.size() - kPrefixBytes) {
        status = {int(GrpcStatus::Internal), QStringLiteral("The upstream's response is not one uncompressed message")};
        return std::nullopt;
    }
    auto rendered = renderResponseMessage(*route.types, route.rule, body.sliced(kPrefixBytes), {});
    if (!rendered) {
        status = {int(GrpcStatus::Internal), rendered.error().message};
        return std::nullopt;
    }
    return *rendered;
}

QByteArray transcodedStreamEnd(const TranscodeStatus &status, bool afterMessages)
{
    if (status.grpcStatus == 0)
        return QByteArrayLiteral("]");
    QByteArray out = afterMessages ? QByteArrayLiteral(",{\"error\":") : QByteArrayLiteral("{\"error\":");
    out.append(transcodedErrorBody(status.grpcStatus, status.message));
    out.append("}]");
    return out;
}

} // namespace Gatehouse
