// API keys issued by the gateway: verified, checked against revocation and the allowed APIs.
#include "apikeyauthenticator.h"

#include "jwtauthenticator.h"

#include "base/textutil.h"
#include "pipeline/gatewayservices.h"
#include "project/gatewayconfig.h"
#include "security/tokenservices.h"


namespace Gatehouse {

namespace {

// The value of `name` in "a=1&b=2" (percent-decoded), or empty.
QByteArray queryValue(QByteArrayView query, QByteArrayView name)
{
    if (query.startsWith('?'))
        query = query.sliced(1);
    while (!query.isEmpty()) {
        const qsizetype amp = query.indexOf('&');
        const QByteArrayView pair = amp < 0 ? query : query.first(amp);
        query = amp < 0 ? QByteArrayView() : query.sliced(amp + 1);
        const qsizetype eq = pair.indexOf('=');
        if (eq >= 0 && pair.first(eq) == name)
            return QByteArray::fromPercentEncoding(pair.sliced(eq + 1).toByteArray());
    }
    return {};
}

QByteArray cookieValue(QByteArrayView cookies, QByteArrayView name)
{
    while (!cookies.isEmpty()) {
        const qsizetype semi = cookies.indexOf(';');
        const QByteArrayView pair = (semi < 0 ? cookies : cookies.first(semi)).trimmed();
        cookies = semi < 0 ? QByteArrayView() : cookies.sliced(semi + 1);
        const qsizetype eq = pair.indexOf('=');
        if (eq >= 0 && pair.first(eq).trimmed() == name)
            return pair.sliced(eq + 1).trimmed().toByteArray();
    }
    return {};
}

} // namespace

ApiKeyAuthenticator::ApiKeyAuthenticator(std::shared_ptr<const TokenVerifier> verifier,
                                         std::shared_ptr<const RevocationList> revocations, Options options)
    : m_verifier(std::move(verifier)), m_revocations(std::move(revocations)), m_options(std::move(options))
{
}

QByteArray ApiKeyAuthenticator::challenge() const
{
    return QByteArrayLiteral("APIKey realm=\"gatehouse\"");
}

QByteArrayView ApiKeyAuthenticator::credential(const RequestContext &ctx, QByteArray &storage) const
{
    switch (m_options.in) {
    case ApiKeyLocation::Header: return ctx.header(m_options.name).trimmed();
    case ApiKeyLocation::Query: storage = queryValue(ctx.query, m_options.name); return storage;
    case ApiKeyLocation::Cookie: storage = cookieValue(ctx.header("cookie"), m_options.name); return storage;
    }
    return {};
}

AuthResult ApiKeyAuthenticator::authenticate(RequestContext &ctx, QString &reason) const
{
    QByteArray storage;
    const QByteArrayView key = credential(ctx, storage);
    if (key.isEmpty())
        return AuthResult::Missing;
    std::shared_ptr<const VerifiedToken> verified;
    const TokenCheck check = m_verifier->verify(key, ctx.nowSeconds, ctx.workerIndex, verified, reason);
    if (check != TokenCheck::Valid) {
        if (check == TokenCheck::Invalid && verified)
            ctx.credentialExpiredAt = verified->expiresAt;
        reason = QStringLiteral("API key refused: %1").arg(reason);
        return check == TokenCheck::Unavailable ? AuthResult::Unavailable : AuthResult::Invalid;
    }
    if (m_revocations && m_revocations->isRevoked(verified->tokenId)) {
        reason = QStringLiteral("API key '%1' has been revoked").arg(verified->tokenId);
        return AuthResult::Invalid;
    }
    if (!verified->allowedApis.isEmpty() && !verified->allowedApis.contains(m_options.apiName)) {
        reason = QStringLiteral("the API key does not allow API '%1' (it allows %2)")
                     .arg(m_options.apiName, quotedList(verified->allowedApis.mid(0, 5)));
        return AuthResult::Forbidden;
    }
    ctx.principal = std::move(verified);   // the cache's own Principal (method "apikey"), shared
    if (m_options.in == ApiKeyLocation::Header && m_options.stripHeader)
        ctx.removeUpstreamHeaders.append(m_options.name);
    return AuthResult::Authenticated;
}

std::shared_ptr<const Authenticator> makeApiKeyAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                             const GatewayConfig &config,
                                                             GatewayServices &services, Diagnostics &diagnostics)
{
    const std::shared_ptr<const TokenServices> tokens = services.tokens();
    if (!tokens || !tokens->apiKeys()) {
        services.warnOnce(diagnostics, scheme.location,
                          QStringLiteral("security scheme '%1' takes API keys, but the gateway's API-key issuer "
                                         "is disabled (security.apiKeys.enabled): requests that need it are refused")
                              .arg(scheme.name));
        return nullptr;
    }
    ApiKeyAuthenticator::Options options;
    options.in = scheme.apiKeyIn;
    options.name = scheme.apiKeyIn == ApiKeyLocation::Header ? scheme.apiKeyName.toLatin1().toLower()
                                                             : scheme.apiKeyName.toUtf8();
    options.apiName = route.api ? route.api->name : QString();
    options.stripHeader = !config.settings.security.forwardAuthorization;
    return std::make_shared<const ApiKeyAuthenticator>(tokens->apiKeys(), tokens->revocations(), std::move(options));
}

} // namespace Gatehouse
