// The backend-jwt policy: declaration, settings rules, the filter and its per-caller token cache.
#include "backendjwtpolicy.h"

#include "pipeline/gatewayservices.h"
#include "pipeline/requestcontext.h"
#include "policies/headers/headerpolicies.h"
#include "policies/registry/policyregistry.h"
#include "project/gatewayconfig.h"
#include "security/apikeyissuer.h"
#include "security/tokenservices.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUuid>

namespace Gatehouse {

Q_LOGGING_CATEGORY(lcBackendJwt, "gatehouse.policy.backendjwt")

namespace {

qint64 systemClock()
{
    return QDateTime::currentSecsSinceEpoch();
}

// Claims the policy sets itself: a mapping may not replace them.
const QStringList &reservedClaims()
{
    static const QStringList names{QStringLiteral("iss"), QStringLiteral("sub"), QStringLiteral("aud"),
                                   QStringLiteral("iat"), QStringLiteral("exp"), QStringLiteral("nbf"),
                                   QStringLiteral("jti"), QStringLiteral("scope"), QStringLiteral("application"),
                                   QStringLiteral("api"), QStringLiteral("apiVersion"), QStringLiteral("authMethod"),
                                   QStringLiteral("callerIssuer")};
    return names;
}

} // namespace

BackendJwtFilter::BackendJwtFilter(BackendJwtOptions options, std::shared_ptr<const ApiKeyIssuer> signer,
                                   int workerCount, Clock clock)
    : m_options(std::move(options)), m_signer(std::move(signer)), m_clock(clock ? clock : &systemClock)
{
    m_slots.resize(size_t(qMax(1, workerCount)));
    for (auto &slot : m_slots)
        slot = std::make_unique<Slot>();
}

BackendJwtFilter::~BackendJwtFilter() = default;

qint64 BackendJwtFilter::signatures(int workerIndex) const
{
    return workerIndex >= 0 && size_t(workerIndex) < m_slots.size() ? m_slots[size_t(workerIndex)]->signatures : 0;
}

QJsonObject BackendJwtFilter::claimsFor(const Principal &principal, qint64 now) const
{
    QJsonObject claims;
    for (const auto &[outgoing, incoming] : m_options.claimMap) {
        const QJsonValue value = principal.claims.value(incoming);
        if (!value.isUndefined())
            claims.insert(outgoing, value);
    }
    claims.insert(QStringLiteral("iss"), m_options.issuer);
    claims.insert(QStringLiteral("sub"), principal.subject);
    if (!m_options.audience.isEmpty())
        claims.insert(QStringLiteral("aud"), m_options.audience);
    qint64 exp = now + m_options.ttlSeconds;
    if (principal.expiresAt > now && principal.expiresAt < exp)
        exp = principal.expiresAt;   // never vouch for a caller longer than its own credential
    claims.insert(QStringLiteral("iat"), now);
    claims.insert(QStringLiteral("exp"), exp);
    claims.insert(QStringLiteral("jti"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    if (!principal.scopes.isEmpty())
        claims.insert(QStringLiteral("scope"), principal.scopes.join(u' '));
    if (!principal.application.isEmpty())
        claims.insert(QStringLiteral("application"), principal.application);
    claims.insert(QStringLiteral("api"), m_options.apiName);
    claims.insert(QStringLiteral("apiVersion"), m_options.apiVersion);
    claims.insert(QStringLiteral("authMethod"), principal.method);
    claims.insert(QStringLiteral("callerIssuer"), principal.issuer);
    return claims;
}

QByteArray BackendJwtFilter::cacheKey(const Principal &principal) const
{
    // Everything the claims are made of, except the times.
    QByteArray key;
    for (const QString *part : {&principal.method, &principal.issuer, &principal.subject, &principal.application}) {
        key.append(part->toUtf8());
        key.append('\0');
    }
    key.append(principal.scopes.join(u' ').toUtf8());
    key.append('\0');
    key.append(QByteArray::number(principal.expiresAt));
    for (const auto &[outgoing, incoming] : m_options.claimMap) {
        key.append('\0');
        const QJsonValue value = principal.claims.value(incoming);
        if (!value.isUndefined())
            key.append(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
    }
    return key;
}

FilterStatus BackendJwtFilter::onRequest(RequestContext &ctx) const
{
    // A client never forwards an assertion of its own: only the gateway speaks for callers.
    removeUpstreamHeader(ctx, m_options.header);
    if (!ctx.principal)
        return FilterStatus::Continue;
    Slot &slot = *m_slots[size_t(ctx.workerIndex) % m_slots.size()];
    const qint64 now = m_clock();
    const QByteArray key = cacheKey(*ctx.principal);
    if (const auto it = slot.tokens.constFind(key); it != slot.tokens.constEnd() && now < it->reuseUntil) {
        setUpstreamHeader(ctx, m_options.header, it->token);
        return FilterStatus::Continue;
    }
    const QJsonObject claims = claimsFor(*ctx.principal, now);
    Result<QByteArray> token = m_signer->signClaims(claims);
    if (!token) {
        qCWarning(lcBackendJwt, "signing the backend JWT failed: %s", qUtf8Printable(token.error().message));
        ctx.respond(500, GatewayErrorCode::BadRequest, QStringLiteral("Internal error"),
                    QStringLiteral("The gateway could not sign the caller's identity for the upstream"));
        return FilterStatus::Respond;
    }
    ++slot.signatures;
    const qint64 exp = claims.value(u"exp").toInteger();
    // Reused until a fifth of its life (at least 5 s) is left: the upstream never gets one that
    // expires while the request is on its way.
    const qint64 margin = qMax<qint64>(5, (exp - now) / 5);
    if (slot.tokens.size() >= m_options.maxCachedCallers) {
        slot.tokens.removeIf([now](const auto &entry) { return entry.value().reuseUntil <= now; });
        if (slot.tokens.size() >= m_options.maxCachedCallers)
            slot.tokens.clear();
    }
    slot.tokens.insert(key, Cached{token.value(), exp - margin});
    setUpstreamHeader(ctx, m_options.header, token.value());
    return FilterStatus::Continue;
}

// ---------------------------------------------------------------- declaration

namespace {

void checkBackendJwt(const QJsonObject &settings, QStringList &problems)
{
    const QByteArray header = settings.value(u"header").toString().toLatin1();
    if (isManagedHeader(header))
        problems.append(QStringLiteral("settings.header: '%1' is managed by the gateway; choose another name")
                            .arg(QString::fromLatin1(header)));
    const QJsonObject map = settings.value(u"claims").toObject();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        if (reservedClaims().contains(it.key()))
            problems.append(QStringLiteral("settings.claims.%1: '%1' is set by the policy itself (reserved: %2)")
                                .arg(it.key(), reservedClaims().join(QStringLiteral(", "))));
        else if (it.value().toString().isEmpty())
            problems.append(QStringLiteral("settings.claims.%1: name the caller's claim to copy").arg(it.key()));
    }
}

std::shared_ptr<const Filter> buildBackendJwt(const PolicyBuildContext &ctx)
{
    const auto tokens = ctx.services.tokens();
    std::shared_ptr<const ApiKeyIssuer> signer = tokens ? tokens->issuer() : nullptr;
    if (!signer) {
        ctx.error(QStringLiteral("backend-jwt signs with the gateway's own key, and security.apiKeys is disabled "
                                 "(or its key could not be loaded): enable it in gatehouse.yaml"));
        return nullptr;
    }
    BackendJwtOptions options;
    options.header = ctx.settings.value(u"header").toString().toLatin1();
    options.issuer = ctx.settings.value(u"issuer").toString();
    options.audience = ctx.settings.value(u"audience").toString();
    options.ttlSeconds = ctx.settings.value(u"ttlSeconds").toInteger();
    if (ctx.route.api) {
        options.apiName = ctx.route.api->name;
        options.apiVersion = ctx.route.api->version;
    }
    const QJsonObject map = ctx.settings.value(u"claims").toObject();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        options.claimMap.append({it.key(), it.value().toString()});
    return std::make_shared<const BackendJwtFilter>(std::move(options), std::move(signer), ctx.services.workerCount());
}

} // namespace

PolicyDescriptor backendJwtPolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("backend-jwt");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral(
        "Forwards the authenticated caller's identity to the upstream as a short-lived JWT signed with the "
        "gateway's own key (the one /apikey signs with, published at /.well-known/jwks.json), in a header. "
        "Without an authenticated caller the header is removed, never forwarded from the client.");
    d.priority = 650;
    d.requestPhase = true;
    d.settings = SettingSchema::object({
        {QStringLiteral("header"), SettingSchema::text(QStringLiteral("The request header carrying the token"))
                                       .withPattern(QStringLiteral("[!#$%&'*+.^_`|~0-9A-Za-z-]+"),
                                                    QStringLiteral("a header name"))
                                       .withDefault(QStringLiteral("X-JWT-Assertion"))},
        {QStringLiteral("issuer"), SettingSchema::text(QStringLiteral("The token's iss"))
                                       .withPattern(QStringLiteral(".+"), QStringLiteral("not empty"))
                                       .withDefault(QStringLiteral("https://gatehouse.local/backend"))},
        {QStringLiteral("audience"), SettingSchema::text(QStringLiteral("The token's aud (empty: none)"))
                                         .withDefault(QString())},
        {QStringLiteral("ttlSeconds"),
         SettingSchema::integer(QStringLiteral("Validity (seconds); never past the caller's own credential"))
             .withRange(10, 3600)
             .withDefault(300)},
        {QStringLiteral("claims"),
         SettingSchema::map(SettingSchema::text(QStringLiteral("The caller's verified claim copied into it")),
                            QStringLiteral("More claims: outgoing name: the caller's claim (absent claims are left out)"))
             .withDefault(QJsonObject())},
    });
    d.notes = QStringLiteral(
        "The token carries `iss`, `sub` (the caller's subject), `aud` (when set), `iat`, `exp`, `jti`, "
        "`scope` (space-separated), `application`, `api` and `apiVersion` (the API's title and version), "
        "`authMethod` (jwt, apikey, basic, mtls, introspection), `callerIssuer` and the mapped claims. Its "
        "header has `kid` and `alg` (RS256 or ES256, as `security.apiKeys.algorithm`); upstreams verify it "
        "with the gateway's JWKS (`/.well-known/jwks.json` on the admin port, `keys/jwks.json`). Use an "
        "`issuer` other than `security.apiKeys.issuer`: the gateway then refuses a forwarded token presented "
        "to it as an API key.\n\n"
        "Each worker keeps the token of each caller (subject, issuer, application, scopes, mapped claim "
        "values and the credential's expiry) and forwards it again until a fifth of its life is left (at "
        "least 5 s), so a caller calling again costs no signature; at most 10,000 callers per worker are "
        "kept. A request without an authenticated caller goes on without the header (a client's own is "
        "removed). A signing failure answers 500 and is logged (category `gatehouse.policy.backendjwt`).");
    d.check = &checkBackendJwt;
    d.build = &buildBackendJwt;
    return d;
}

} // namespace Gatehouse
