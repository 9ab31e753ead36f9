// gRPC status mapping, grpc-timeout, grpc-message encoding and trailers-only fields.
#include "grpcprotocol.h"

namespace Gatehouse {

GrpcStatus grpcStatusForError(const GatewayError &error)
{
    switch (error.code) {
    case GatewayErrorCode::InvalidCredentials:
    case GatewayErrorCode::MissingCredentials:
        return GrpcStatus::Unauthenticated;
    case GatewayErrorCode::ApiForbidden:
    case GatewayErrorCode::ScopeForbidden:
        return GrpcStatus::PermissionDenied;
    case GatewayErrorCode::ApiThrottled:
    case GatewayErrorCode::ResourceThrottled:
    case GatewayErrorCode::ApplicationThrottled:
    case GatewayErrorCode::SubscriptionThrottled:
    case GatewayErrorCode::ClientThrottled:
    case GatewayErrorCode::RequestTooLarge:
    case GatewayErrorCode::HeadersTooLarge:
        return GrpcStatus::ResourceExhausted;
    case GatewayErrorCode::NoMatchingResource:
    case GatewayErrorCode::MethodNotAllowed:
    case GatewayErrorCode::NotImplemented:
        return GrpcStatus::Unimplemented;
    case GatewayErrorCode::AuthServiceUnavailable:
    case GatewayErrorCode::RateLimitStoreUnavailable:
    case GatewayErrorCode::UpstreamUnavailable:
    case GatewayErrorCode::UpstreamError:
        return GrpcStatus::Unavailable;
    case GatewayErrorCode::RequestTimeout:
    case GatewayErrorCode::PolicyTimeout:
    case GatewayErrorCode::UpstreamTimeout:
        return GrpcStatus::DeadlineExceeded;
    case GatewayErrorCode::BadRequest:
    case GatewayErrorCode::UnsupportedMediaType:
    case GatewayErrorCode::ValidationFailed:
    case GatewayErrorCode::UriTooLong:
    case GatewayErrorCode::VersionNotSupported:
        break;
    }
    // Policies' own answers (mock-response, Lua respond()) and malformed requests: by status.
    switch (error.status) {
    case 401:
        return GrpcStatus::Unauthenticated;
    case 403:
        return GrpcStatus::PermissionDenied;
    case 404:
    case 405:
    case 501:
        return GrpcStatus::Unimplemented;
    case 408:
    case 504:
        return GrpcStatus::DeadlineExceeded;
    case 413:
    case 429:
    case 431:
        return GrpcStatus::ResourceExhausted;
    case 502:
    case 503:
        return GrpcStatus::Unavailable;
    default:
        return error.status >= 400 && error.status < 500 ? GrpcStatus::Internal : GrpcStatus::Unknown;
    }
}

GrpcStatus grpcStatusForHttpStatus(int httpStatus)
{
    switch (httpStatus) {
    case 400:
        return GrpcStatus::Internal;
    case 401:
        return GrpcStatus::Unauthenticated;
    case 403:
        return GrpcStatus::PermissionDenied;
    case 404:
        return GrpcStatus::Unimplemented;
    case 429:
    case 502:
    case 503:
    case 504:
        return GrpcStatus::Unavailable;
    default:
        return GrpcStatus::Unknown;
    }
}

bool isGrpcContentType(QByteArrayView contentType)
{
    // "application/grpc" exactly, or followed by "+codec" or ";params" (gRPC spec, Content-Type).
    constexpr QByteArrayView kPrefix = "application/grpc";
    if (contentType.size() < kPrefix.size() || !httpEqualsIgnoreCase(contentType.first(kPrefix.size()), kPrefix))
        return false;
    if (contentType.size() == kPrefix.size())
        return true;
    const char next = contentType[kPrefix.size()];
    return next == '+' || next == ';';
}

std::optional<std::chrono::nanoseconds> parseGrpcTimeout(QByteArrayView value)
{
    // TimeoutValue: 1 to 8 digits, then the unit. 99,999,999 hours would overflow 64-bit
    // nanoseconds: hours are capped (every other unit fits).
    if (value.size() < 2 || value.size() > 9)
        return std::nullopt;
    qint64 amount = 0;
    for (char c : value.first(value.size() - 1)) {
        if (c < '0' || c > '9')
            return std::nullopt;
        amount = amount * 10 + (c - '0');
    }
    using namespace std::chrono;
    constexpr qint64 kMaxHours = 2'000'000;   // ~228 years: beyond any deadline that matters
    switch (value.back()) {
    case 'H':
        return duration_cast<nanoseconds>(hours(std::min(amount, kMaxHours)));
    case 'M':
        return duration_cast<nanoseconds>(minutes(amount));
    case 'S':
        return duration_cast<nanoseconds>(seconds(amount));
    case 'm':
        return duration_cast<nanoseconds>(milliseconds(amount));
    case 'u':
        return duration_cast<nanoseconds>(microseconds(amount));
    case 'n':
        return nanoseconds(amount);
    default:
        return std::nullopt;
    }
}

QByteArray encodeGrpcMessage(QStringView message)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    const QByteArray utf8 = message.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c <= 0x7e && c != '%') {
            out.append(ch);
        } else {
            out.append('%');
            out.append(kHex[c >> 4]);
            out.append(kHex[c & 0xf]);
        }
    }
    return out;
}

GrpcTrailersOnly::GrpcTrailersOnly(GrpcStatus status, QStringView message)
    : m_status(QByteArray::number(int(status))), m_message(encodeGrpcMessage(message))
{
    m_fields.append({"content-type", "application/grpc"});
    m_fields.append({"grpc-status", m_status});
    if (!m_message.isEmpty())
        m_fields.append({"grpc-message", m_message});
}

} // namespace Gatehouse
