// Gateway-generated error responses: JSON {"code", "message", "description"} with the right status.
#pragma once

#include "http/http1head.h"

#include <QByteArray>
#include <QString>

#include <span>

namespace Gatehouse {

// Numeric codes follow WSO2 API Microgateway's, so clients written against MGW keep working.
enum class GatewayErrorCode {
    // Authentication and authorization (MGW's codes)
    InvalidCredentials = 900901,        // 401
    MissingCredentials = 900902,        // 401
    AuthServiceUnavailable = 900903,    // 503: introspection endpoint or key source down
    NoMatchingResource = 900906,        // 404
    MethodNotAllowed = 900907,          // 405
    ApiForbidden = 900908,              // 403: the credential is not allowed to call this API
    ScopeForbidden = 900910,            // 403: a required scope is missing
    // Rate limiting (MGW's codes; the level is named in the description)
    ApiThrottled = 900800,              // 429
    ResourceThrottled = 900802,         // 429
    ApplicationThrottled = 900803,      // 429
    SubscriptionThrottled = 900804,     // 429
    ClientThrottled = 900806,           // 429: unauthenticated callers, per client address
    RateLimitStoreUnavailable = 900809, // 503: the shared store (Redis) is down and onStoreFailure is closed
    // Protocol errors found by the gateway itself (status in the last three digits)
    BadRequest = 900400,                // 400 and other malformed-request answers
    RequestTimeout = 900408,            // 408
    RequestTooLarge = 900413,           // 413
    UriTooLong = 900414,                // 414
    UnsupportedMediaType = 900415,      // 415: a body type the operation does not declare
    ValidationFailed = 900422,          // 422: the body or parameters break the operation's schema
    HeadersTooLarge = 900431,           // 431
    NotImplemented = 900501,            // 501
    VersionNotSupported = 900505,       // 505
    PolicyTimeout = 900504,             // 504: a policy (introspection, Redis) did not decide in time
    // Upstream
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
    // A policy's own answer (mock-response, CORS preflight, Lua respond()): with a non-empty
    // contentType the body is sent as is instead of the JSON error; 1xx, 204 and 304 get none.
    QByteArray contentType{};
    QByteArray body{};

    // Still as default-constructed (nothing set it): cheaper to ask than to assign a fresh one.
    bool isUnset() const noexcept
    {
        return status == 500 && code == GatewayErrorCode::BadRequest && message.isNull() && description.isNull()
               && contentType.isNull() && body.isNull();
    }
};

// A complete HTTP/1.1 response (head + JSON body). `extraFields` are written as given (Allow,
// Retry-After, WWW-Authenticate ...). With keepAlive == false "Connection: close" is added.
QByteArray buildErrorResponse(const GatewayError &error, bool keepAlive,
                              std::span<const Http1Field> extraFields = {}, bool headRequest = false);

// The body sent for `error`: the policy's own, none for a status without body, else the JSON.
QByteArray errorBody(const GatewayError &error);
// Its Content-Type ("" when the status has no body).
QByteArrayView errorContentType(const GatewayError &error);
// 1xx, 204 and 304 answers carry neither a body nor Content-Length (RFC 9110 §6.4.1, §8.6).
bool statusHasBody(int status);

} // namespace Gatehouse
