// Opaque OAuth2 tokens checked by RFC 7662 introspection at the project's key managers:
// asynchronous (the request suspends, never the worker), cached per worker, deduplicated.
#include "introspectionauthenticator.h"

#include "http/http1head.h"
#include "security/secretresolver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

#include <time.h>

namespace Gatehouse {

namespace {

constexpr qsizetype kMaxIntrospectedTokenBytes = 4096;
constexpr qint64 kMaxResponseBytes = 64 * 1024;

qint64 introspectionClockSeconds()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return qint64(ts.tv_sec);
}

QString ago(qint64 seconds)
{
    if (seconds < 120)
        return QStringLiteral("%1 s ago").arg(seconds);
    if (seconds < 7200)
        return QStringLiteral("%1 min ago").arg(seconds / 60);
    return QStringLiteral("%1 h ago").arg(seconds / 3600);
}

QStringList scopesOf(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().split(u' ', Qt::SkipEmptyParts);
    QStringList out;
    const QJsonArray a = v.toArray();
    for (const QJsonValue &s : a) {
        if (s.isString())
            out.append(s.toString());
    }
    return out;
}

QString textClaim(const QJsonObject &o, const QString &name)
{
    const QJsonValue v = o.value(name);
    return v.isString() ? v.toString() : QString();
}

// One token being looked up on one worker. Holds what the answer needs, so that a config
// replaced meanwhile (and its authenticator destroyed) changes nothing.
struct Lookup
{
    std::shared_ptr<IntrospectionRuntime> runtime;
    std::shared_ptr<const QList<IntrospectionEndpoint>> endpoints;
    quint64 generation = 0;
    QByteArray key;              // SHA-256 of the token
    QByteArray token;
    int worker = 0;
    int endpoint = 0;            // the key manager being asked
    QString unavailable;         // the first endpoint failure, if every one fails
    QObject *context = nullptr;  // the worker object (parent of the network manager)
};

// What one key manager's answer means.
// What one key manager's answer (its HTTP exchange) means.
IntrospectionRuntime::Verdict judge(const IntrospectionEndpoint &endpoint, QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString networkError = reply->error() != QNetworkReply::NoError && status == 0 ? reply->errorString()
                                                                                        : QString();
    return judgeIntrospectionAnswer(endpoint.settings, status, networkError, reply->read(kMaxResponseBytes + 1),
                                    introspectionClockSeconds(), QDateTime::currentSecsSinceEpoch());
}

} // namespace

IntrospectionRuntime::Verdict judgeIntrospectionAnswer(const KeyManager &km, int httpStatus,
                                                       const QString &networkError, const QByteArray &body,
                                                       qint64 now, qint64 wallNow)
{
    IntrospectionRuntime::Verdict v;
    auto failed = [&](const QString &why) {
        v.result = km.onError == IntrospectionFailure::Unauthorized ? AuthResult::Invalid : AuthResult::Unavailable;
        v.reason = QStringLiteral("token introspection at key manager '%1' failed: %2").arg(km.name, why);
        v.until = now + IntrospectionRuntime::kUnavailableTtl;
        return v;
    };
    if (!networkError.isEmpty())
        return failed(networkError);
    if (httpStatus != 200)
        return failed(QStringLiteral("HTTP status %1").arg(httpStatus));
    if (body.size() > kMaxResponseBytes)
        return failed(QStringLiteral("the answer is larger than %1 bytes").arg(kMaxResponseBytes));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    const QJsonObject o = doc.object();
    if (error.error != QJsonParseError::NoError || !doc.isObject() || !o.value(QStringLiteral("active")).isBool())
        return failed(QStringLiteral("the answer is not an RFC 7662 JSON object with a boolean 'active'"));

    const qint64 skew = 60;
    v.until = now + km.cacheTtl.count();
    v.result = AuthResult::Invalid;
    if (!o.value(QStringLiteral("active")).toBool()) {
        v.reason = QStringLiteral("the token is not active (key manager '%1')").arg(km.name);
        return v;
    }
    const qint64 exp = o.value(QStringLiteral("exp")).toInteger(0);
    const qint64 nbf = o.value(QStringLiteral("nbf")).toInteger(0);
    if (exp && exp + skew < wallNow) {
        v.reason = QStringLiteral("token expired %1").arg(ago(wallNow - exp));
        v.expiresAt = exp;   // for the explain view
        return v;
    }
    if (nbf && nbf - skew > wallNow) {
        v.reason = QStringLiteral("token not valid before %1").arg(QDateTime::fromSecsSinceEpoch(nbf, Qt::UTC).toString(Qt::ISODate));
        v.until = now + qMin<qint64>(km.cacheTtl.count(), nbf - wallNow);
        return v;
    }
    const ClaimMapping &m = km.claims;
    v.expiresAt = exp;
    auto principal = std::make_shared<Principal>();
    Principal &p = *principal;
    p.method = QStringLiteral("introspection");
    p.issuer = km.name;
    p.subject = textClaim(o, m.subject);
    if (p.subject.isEmpty())
        p.subject = textClaim(o, QStringLiteral("username"));
    p.application = textClaim(o, m.application);
    if (p.application.isEmpty())
        p.application = textClaim(o, QStringLiteral("client_id"));
    if (!m.applicationTier.isEmpty())
        p.applicationTier = textClaim(o, m.applicationTier);
    if (!m.subscriptionTier.isEmpty())
        p.subscriptionTier = textClaim(o, m.subscriptionTier);
    p.scopes = scopesOf(o.value(m.scopes));
    if (p.scopes.isEmpty() && m.scopes == u"scope")
        p.scopes = scopesOf(o.value(QStringLiteral("scp")));
    p.tokenId = textClaim(o, QStringLiteral("jti"));
    p.expiresAt = exp;
    p.claims = o;
    v.principal = std::move(principal);
    v.result = AuthResult::Authenticated;
    if (exp)
        v.until = qMin(v.until, now + (exp - wallNow));   // never cached past its expiry
    return v;
}

namespace {

void finish(const std::shared_ptr<Lookup> &lookup, IntrospectionRuntime::Verdict verdict)
{
    IntrospectionRuntime::Slot &slot = lookup->runtime->slot(lookup->worker);
    verdict.generation = lookup->generation;
    const QList<std::shared_ptr<ResumeHandle>> waiting = slot.waiting.take(lookup->key);
    if (slot.delivered.size() >= IntrospectionRuntime::kMaxInFlight)
        slot.delivered.clear();   // left by requests whose clients went away
    slot.delivered.insert(lookup->key, {verdict, int(waiting.size())});
    if (verdict.until > introspectionClockSeconds()) {
        if (slot.cache.size() >= IntrospectionRuntime::kCacheEntries)
            slot.cache.clear();
        slot.cache.insert(lookup->key, std::move(verdict));
    }
    for (const auto &handle : waiting)
        handle->rerun();   // each request answers from the cache now
}

void query(const std::shared_ptr<Lookup> &lookup)
{
    const IntrospectionEndpoint &endpoint = lookup->endpoints->at(lookup->endpoint);
    QNetworkRequest request(endpoint.settings.introspectionUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("Authorization", endpoint.authorization);
    request.setTransferTimeout(int(endpoint.settings.timeout.count()));
    const QByteArray body = "token=" + QUrl::toPercentEncoding(QString::fromLatin1(lookup->token))
                            + "&token_type_hint=access_token";
    QNetworkReply *reply = lookup->runtime->slot(lookup->worker).network->post(request, body);
    QObject::connect(reply, &QNetworkReply::finished, lookup->context, [lookup, reply] {
        reply->deleteLater();
        IntrospectionRuntime::Verdict verdict = judge(lookup->endpoints->at(lookup->endpoint), reply);
        if (verdict.result != AuthResult::Authenticated) {
            if (verdict.result == AuthResult::Unavailable && lookup->unavailable.isEmpty())
                lookup->unavailable = verdict.reason;
            if (lookup->endpoint + 1 < lookup->endpoints->size()) {
                ++lookup->endpoint;   // another key manager may know the token
                query(lookup);
                return;
            }
            if (!lookup->unavailable.isEmpty() && verdict.result == AuthResult::Invalid) {
                // Refused by the last one, but a failing one might have known it.
                verdict.result = AuthResult::Unavailable;
                verdict.reason = lookup->unavailable;
                verdict.until = introspectionClockSeconds() + IntrospectionRuntime::kUnavailableTtl;
            }
        }
        finish(lookup, std::move(verdict));
    });
}

} // namespace

IntrospectionAuthenticator::IntrospectionAuthenticator(std::shared_ptr<IntrospectionRuntime> runtime,
                                                       std::shared_ptr<const QList<IntrospectionEndpoint>> endpoints,
                                                       quint64 generation, QByteArray header)
    : m_runtime(std::move(runtime)), m_endpoints(std::move(endpoints)), m_generation(generation),
      m_header(std::move(header))
{
}

QByteArrayView IntrospectionAuthenticator::bearerToken(const RequestContext &ctx, QByteArrayView header)
{
    const QByteArrayView value = ctx.header(header);
    if (!hasBearerPrefix(value))
        return {};
    return bearerCredential(value);
}

AuthResult IntrospectionAuthenticator::authenticate(RequestContext &ctx, QString &reason) const
{
    const QByteArrayView token = bearerToken(ctx, m_header);
    if (token.isEmpty())
        return AuthResult::Missing;
    if (token.size() > kMaxIntrospectedTokenBytes) {
        reason = QStringLiteral("the bearer token is longer than %1 bytes").arg(kMaxIntrospectedTokenBytes);
        return AuthResult::Invalid;
    }
    const QByteArray key = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    IntrospectionRuntime::Slot &slot = m_runtime->slot(ctx.workerIndex);
    const qint64 now = introspectionClockSeconds();
    auto answer = [&](const IntrospectionRuntime::Verdict &v) {
        reason = v.reason;
        if (v.result != AuthResult::Authenticated) {
            if (v.result == AuthResult::Invalid)
                ctx.credentialExpiredAt = v.expiresAt;
            return v.result;
        }
        // exp is absolute: a remembered answer never outlives the token.
        if (v.expiresAt && v.expiresAt < ctx.nowSeconds) {
            reason = QStringLiteral("token expired %1").arg(ago(ctx.nowSeconds - v.expiresAt));
            ctx.credentialExpiredAt = v.expiresAt;
            return AuthResult::Invalid;
        }
        ctx.principal = v.principal;
        return AuthResult::Authenticated;
    };
    if (auto d = slot.delivered.find(key); d != slot.delivered.end() && d->verdict.generation == m_generation) {
        const IntrospectionRuntime::Verdict v = d->verdict;
        if (--d->remaining <= 0)
            slot.delivered.erase(d);
        return answer(v);
    }
    if (const auto it = slot.cache.constFind(key);
        it != slot.cache.cend() && it->until >= now && it->generation == m_generation)
        return answer(*it);
    if (!ctx.worker) {
        reason = QStringLiteral("token introspection needs a worker thread");
        return AuthResult::Unavailable;
    }

    // Another request of this worker asks about the same token already: wait with it.
    if (auto it = slot.waiting.find(key); it != slot.waiting.end()) {
        it->append(ctx.suspend());
        return AuthResult::Pending;
    }
    if (slot.waiting.size() >= IntrospectionRuntime::kMaxInFlight) {
        reason = QStringLiteral("too many token introspections are in progress; try again shortly");
        return AuthResult::Unavailable;
    }
    if (!slot.network) {
        slot.network = new QNetworkAccessManager(ctx.worker);
        slot.network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }
    slot.waiting.insert(key, {ctx.suspend()});
    auto lookup = std::make_shared<Lookup>();
    lookup->runtime = m_runtime;
    lookup->endpoints = m_endpoints;
    lookup->generation = m_generation;
    lookup->key = key;
    lookup->token = token.toByteArray();
    lookup->worker = ctx.workerIndex;
    lookup->context = ctx.worker;
    query(lookup);
    return AuthResult::Pending;
}

std::shared_ptr<const QList<IntrospectionEndpoint>> resolveIntrospectionEndpoints(
    const SecuritySettings &security, const QString &projectDir, Diagnostics &diagnostics)
{
    auto out = std::make_shared<QList<IntrospectionEndpoint>>();
    for (const KeyManager &km : security.keyManagers) {
        IntrospectionEndpoint e{km, {}};
        if (km.auth == IntrospectionAuth::Bearer) {
            auto token = resolveSecret(km.bearerToken, projectDir);
            if (!token) {
                diagnostics.error(km.bearerToken.location,
                                  QStringLiteral("key manager '%1': %2").arg(km.name, token.error().message));
                continue;
            }
            e.authorization = "Bearer " + *token;
        } else {
            auto secret = resolveSecret(km.clientSecret, projectDir);
            if (!secret) {
                diagnostics.error(km.clientSecret.location,
                                  QStringLiteral("key manager '%1': %2").arg(km.name, secret.error().message));
                continue;
            }
            // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
            e.authorization = "Basic " + (QUrl::toPercentEncoding(km.clientId) + ':'
                                          + QUrl::toPercentEncoding(QString::fromUtf8(*secret)))
                                             .toBase64();
        }
        out->append(std::move(e));
    }
    return out;
}

} // namespace Gatehouse
