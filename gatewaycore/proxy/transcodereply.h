// The gRPC side of a transcoded call, shared by both client protocols (downstreamtranscode.cpp for
// HTTP/1.1, http2streamtranscode.cpp for HTTP/2): the request message framed for the upstream,
// the response's messages cut from its DATA and rendered as JSON, and the answer's status. A
// unary method answers one JSON object; a server-streaming one answers a JSON array whose
// elements leave as the messages arrive (docs/grpc.md, "Streaming").
#pragma once

#include "errorresponse.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Gatehouse {

struct TranscodeRoute;

// The framed request message (one uncompressed length-prefixed message) for a REST request on
// the route; false with the error to answer (404 path, 400 binding, 501 client streaming).
bool transcodeRequestFrame(const TranscodeRoute &route, QByteArrayView path, QByteArrayView query,
                           QByteArrayView jsonBody, QByteArray &frame, GatewayError &error);

// What a transcoded call's answer says: the gRPC status from the trailers (or a trailers-only
// head) and its message, else gRPC's mapping of the upstream's HTTP status.
struct TranscodeStatus
{
    int grpcStatus = 0;
    QString message;
};
TranscodeStatus transcodeStatus(int httpStatus, QByteArrayView grpcStatus, QByteArrayView grpcMessage);

// Cuts the whole messages at the front of `buffer` (the upstream's DATA so far) and renders each
// as JSON, appended to `json` with a ',' between them (none before the first when `first`). The
// taken bytes leave `buffer`; `count` grows by the messages taken. An incomplete message stays.
// False with `status` set for a compressed message, one over `maxBytes` or one that is not the
// method's output type.
bool takeTranscodedMessages(const TranscodeRoute &route, QByteArray &buffer, qint64 maxBytes,
                            QByteArray &json, int &count, TranscodeStatus &status);

// A unary answer: exactly one message in `body` as JSON; otherwise `status` says why (13).
std::optional<QByteArray> transcodedUnaryJson(const TranscodeRoute &route, QByteArrayView body,
                                              TranscodeStatus &status);

// A streamed array's last bytes: "]" after an OK, else an error element then "]":
// `,{"error":{"code":..,"message":..,"details":[]}}]` (no ',' when no message came before).
QByteArray transcodedStreamEnd(const TranscodeStatus &status, bool afterMessages);

} // namespace Gatehouse
