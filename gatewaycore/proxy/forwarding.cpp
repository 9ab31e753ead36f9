// The gateway's own answers to routing and upstream failures, shared by HTTP/1.1 and HTTP/2.
#include "forwarding.h"

namespace Gatehouse {

GatewayError upstreamError(UpstreamFailure failure)
{
    switch (failure) {
    case UpstreamFailure::ConnectTimeout:
    case UpstreamFailure::Timeout:
        return {504, GatewayErrorCode::UpstreamTimeout, QStringLiteral("Gateway timeout"),
                QStringLiteral("The upstream did not answer in time")};
    case UpstreamFailure::BadResponse:
        return {502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                QStringLiteral("The upstream sent a response the gateway could not accept")};
    case UpstreamFailure::ConnectFailed:
        return {502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                QStringLiteral("The gateway could not connect to the upstream")};
    case UpstreamFailure::Reset:
        break;
    }
    return {502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
            QStringLiteral("The upstream closed the connection before responding")};
}

GatewayError noConfigError()
{
    return {503, GatewayErrorCode::UpstreamUnavailable, QStringLiteral("Service unavailable"),
            QStringLiteral("The gateway has no configuration loaded")};
}

GatewayError invalidPathError()
{
    return {400, GatewayErrorCode::BadRequest, QStringLiteral("Bad request"),
            QStringLiteral("The request path is not a valid absolute path")};
}

GatewayError routeNotFoundError(QByteArrayView method, QByteArrayView path)
{
    return {404, GatewayErrorCode::NoMatchingResource, QStringLiteral("Resource not found"),
            QStringLiteral("No API resource matches %1 %2")
                .arg(QString::fromLatin1(method), QString::fromUtf8(path))};
}

GatewayError methodNotAllowedError(QByteArrayView method, QByteArrayView path, QByteArrayView allow)
{
    return {405, GatewayErrorCode::MethodNotAllowed, QStringLiteral("Method not allowed"),
            QStringLiteral("%1 is not allowed on %2 (allowed: %3)")
                .arg(QString::fromLatin1(method), QString::fromUtf8(path), QString::fromLatin1(allow))};
}

GatewayError noEndpointError()
{
    return {503, GatewayErrorCode::UpstreamUnavailable, QStringLiteral("Service unavailable"),
            QStringLiteral("The resource has no upstream endpoint")};
}

GatewayError circuitOpenError()
{
    return {503, GatewayErrorCode::UpstreamUnavailable, QStringLiteral("Service unavailable"),
            QStringLiteral("Every upstream endpoint of this resource is failing (circuit open)")};
}

GatewayError policyTimeoutError()
{
    return {504, GatewayErrorCode::PolicyTimeout, QStringLiteral("Gateway timeout"),
            QStringLiteral("A policy of this operation did not decide in time")};
}

GatewayError requestTimeoutError(const QString &description)
{
    return {408, GatewayErrorCode::RequestTimeout, QStringLiteral("Request timeout"), description};
}

std::optional<qint64> contentLengthOf(const Http1FieldList &fields)
{
    const QByteArrayView text = fields.value("content-length");
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

} // namespace Gatehouse
