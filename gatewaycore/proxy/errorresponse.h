// Gateway-generated error responses: JSON {"code", "message", "description"} with the right status.
#pragma once

#include "http/http1head.h"

#include <QByteArray>
#include <QString>

#include <span>

namespace Gatehouse {

// Numeric codes follow WSO2 API Microgateway's, so clients written against MGW keep working.
enum class GatewayErrorCode {
    InvalidCredentials = 900901,        // 401
    MissingCredentials = 900902,        // 401
    NoMatchingResource = 900906,        // 404
    MethodNotAllowed = 900907,          // 405
    BadRequest = 900800,                // 400 and other malformed-request answers
    RequestTooLarge = 900801,           // 413
    UriTooLong = 900802,                // 414
    HeadersTooLarge = 900803,           // 431
    NotImplemented = 900804,            // 501
    VersionNotSupported = 900805,       // 505
    RequestTimeout = 900806,            // 408
    UpstreamUnavailable = 101503,       // 503 (no healthy endpoint, circuit open, draining)
    UpstreamError = 101500,             // 502 (connection refused/reset, bad response)
    UpstreamTimeout = 101504,           // 504
};

struct GatewayError
{
    int status = 500;
    GatewayErrorCode code = GatewayErrorCode::BadRequest;
    QString message;       // short: "Resource not found"
    QString description;   // a sentence for the caller: "No resource matches GET /pets/x"
};

// A complete HTTP/1.1 response (head + JSON body). `extraFields` are written as given (Allow,
// Retry-After, WWW-Authenticate ...). With keepAlive == false "Connection: close" is added.
QByteArray buildErrorResponse(const GatewayError &error, bool keepAlive,
                              std::span<const Http1Field> extraFields = {}, bool headRequest = false);

QByteArray errorBody(const GatewayError &error);

} // namespace Gatehouse
