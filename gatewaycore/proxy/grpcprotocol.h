// The gRPC-over-HTTP/2 details the gateway needs itself: status codes for its own errors and for
// upstream HTTP statuses, the grpc-timeout header, grpc-message encoding, trailers-only responses.
#pragma once

#include "errorresponse.h"

#include "http/http1head.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>
#include <QVarLengthArray>

#include <chrono>
#include <optional>
#include <span>

namespace Gatehouse {

// The values are gRPC's wire codes (OK is 0 by the protocol).
enum class GrpcStatus {
    Ok = 0,
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
};

// The status a gRPC caller gets for an error the gateway generated (authentication 16, scopes 7,
// rate limits 8, unknown method 12, upstream down 14, timeouts 4 ...).
GrpcStatus grpcStatusForError(const GatewayError &error);
// The status for an upstream answer that is not gRPC (an HTTP status without grpc-status), as
// gRPC's "HTTP to gRPC status code mapping" says.
GrpcStatus grpcStatusForHttpStatus(int httpStatus);

// Whether a content-type names gRPC (application/grpc, application/grpc+proto ...); gRPC-Web
// (application/grpc-web...) is not.
bool isGrpcContentType(QByteArrayView contentType);

// A grpc-timeout value ("1*8DIGIT unit", unit one of H M S m u n). Nothing when malformed.
std::optional<std::chrono::nanoseconds> parseGrpcTimeout(QByteArrayView value);

// grpc-message's percent-encoding (gRPC spec: bytes outside 0x20-0x7E and '%' as %XX, UTF-8).
QByteArray encodeGrpcMessage(QStringView message);

// The fields of a trailers-only response (one HEADERS frame with END_STREAM, HTTP 200):
// content-type, grpc-status and grpc-message. The views point into the object.
class GrpcTrailersOnly
{
public:
    GrpcTrailersOnly(GrpcStatus status, QStringView message);
    std::span<const Http1Field> fields() const { return {m_fields.constData(), size_t(m_fields.size())}; }
    QByteArrayView statusText() const { return m_status; }

private:
    QByteArray m_status;
    QByteArray m_message;
    QVarLengthArray<Http1Field, 3> m_fields;
};

} // namespace Gatehouse
