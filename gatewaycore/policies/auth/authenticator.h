// One way of proving who calls (a security scheme's kind): JWT, API key, Basic, mTLS, introspection.
#pragma once

#include "base/diagnostic.h"
#include "http/http1head.h"
#include "pipeline/requestcontext.h"

#include <QByteArray>
#include <QLatin1StringView>
#include <QString>

#include <cstring>
#include <memory>

namespace Gatehouse {

struct GatewayConfig;
struct Route;
struct SecurityScheme;
class GatewayServices;

enum class AuthResult {
    Authenticated = 1,   // ctx.principal set (subject, scopes, claims ...)
    Missing,             // no credential of this kind in the request
    Invalid,             // a credential is present and refused (forged, expired, revoked, unknown)
    Forbidden,           // a valid credential that may not call this API (403, not 401)
    Unavailable,         // could not be checked now (key source or introspection endpoint down)
    Pending,             // ctx.suspend() was called; the authenticator calls rerun() on its handle
                         // once the answer is cached, and then answers from the cache
};

// Whether an Authorization value starts with the "Bearer " scheme (any case; the usual spelling
// is compared first, without a call).
inline bool hasBearerPrefix(QByteArrayView value)
{
    return value.size() >= 7
           && (std::memcmp(value.data(), "Bearer ", 7) == 0 || httpEqualsIgnoreCase(value.first(7), "bearer "));
}

// The credential after "Bearer " (hasBearerPrefix(value) holds), without the ASCII whitespace
// QByteArrayView::trimmed() drops (space, \t, \n, \v, \f, \r) at either end; inline, as a token
// is read on every request.
inline QByteArrayView bearerCredential(QByteArrayView value)
{
    const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    const char *b = value.data() + 7;
    const char *e = value.data() + value.size();
    while (b < e && space(*b))
        ++b;
    while (e > b && space(e[-1]))
        --e;
    return QByteArrayView(b, e - b);
}

// Shared by every worker thread: authenticate() is const and thread-safe.
class Authenticator
{
public:
    virtual ~Authenticator() = default;
    virtual QLatin1StringView method() const = 0;   // "jwt", "apikey", "basic", "mtls" ...
    // The WWW-Authenticate challenge of this kind (`Bearer realm="gatehouse"`), or empty.
    virtual QByteArray challenge() const = 0;
    // Looks for this kind's credential and checks it. `reason` explains Invalid/Unavailable to
    // the caller and the explain view: "token expired 3 min ago", "unknown user 'bob'".
    virtual AuthResult authenticate(RequestContext &ctx, QString &reason) const = 0;
};

// Factories, one per kind. nullptr (with a diagnostic) when the project cannot validate the
// scheme; the route then refuses every request for that requirement (fail closed).
using AuthenticatorFactory = std::shared_ptr<const Authenticator> (*)(
    const SecurityScheme &scheme, const Route &route, const GatewayConfig &config,
    GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
