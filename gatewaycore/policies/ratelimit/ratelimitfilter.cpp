// The rate-limit stage: API, resource, subscription, application and per-address levels.
#include "ratelimitfilter.h"

#include "base/textutil.h"
#include "pipeline/gatewayservices.h"
#include "pipeline/requestcontext.h"
#include "project/gatewayconfig.h"

#include <QDateTime>

#include <algorithm>
#include <array>
#include <charconv>

namespace Gatehouse {

namespace {

GatewayErrorCode errorCode(RateLimitLevel level)
{
    switch (level) {
    case RateLimitLevel::Api: return GatewayErrorCode::ApiThrottled;
    case RateLimitLevel::Resource: return GatewayErrorCode::ResourceThrottled;
    case RateLimitLevel::Subscription: return GatewayErrorCode::SubscriptionThrottled;
    case RateLimitLevel::Application: return GatewayErrorCode::ApplicationThrottled;
    case RateLimitLevel::Client: return GatewayErrorCode::ClientThrottled;
    }
    return GatewayErrorCode::ApiThrottled;
}

qint64 ceilSeconds(qint64 ns)
{
    return (ns + 999'999'999) / 1'000'000'000;
}

void addHeaders(RequestContext &ctx, RateLimitHeaders style, const RateLimitTier &tier, qint64 remaining,
                qint64 resetNs)
{
    const qint64 r = qMax<qint64>(0, remaining);
    const qint64 t = ceilSeconds(resetNs);
    switch (style) {
    case RateLimitHeaders::Ietf: {
        // draft-ietf-httpapi-ratelimit-headers (-08 on): the policy named after the tier. The
        // value is written in place: one allocation per admitted request.
        std::array<char, 48> numbers;
        char *end = std::to_chars(numbers.data(), numbers.data() + 20, r).ptr;
        end = std::copy_n(";t=", 3, end);
        end = std::to_chars(end, numbers.data() + numbers.size(), t).ptr;
        const qsizetype n = end - numbers.data();
        const QByteArray &name = tier.quotedName;
        QByteArray value(name.size() + 3 + n, Qt::Uninitialized);
        char *out = std::copy_n(name.constData(), name.size(), value.data());
        out = std::copy_n(";r=", 3, out);
        std::copy_n(numbers.data(), n, out);
        ctx.responseHeaders.append({QByteArrayLiteral("RateLimit-Policy"), tier.ietfPolicy});
        ctx.responseHeaders.append({QByteArrayLiteral("RateLimit"), std::move(value)});
        break;
    }
    case RateLimitHeaders::XRateLimit:
        ctx.responseHeaders.append({QByteArrayLiteral("X-RateLimit-Limit"), tier.countText});
        ctx.responseHeaders.append({QByteArrayLiteral("X-RateLimit-Remaining"), QByteArray::number(r)});
        ctx.responseHeaders.append({QByteArrayLiteral("X-RateLimit-Reset"), QByteArray::number(t)});
        break;
    case RateLimitHeaders::None:
        break;
    }
}

} // namespace

RateLimitFilter::RateLimitFilter(const Route &route, Options options) : m_options(std::move(options))
{
    // Keys name what is counted, never the route's index: they stay the same across reloads.
    // gRPC: the service is the API level, "pkg.Service/Method" the resource level.
    QByteArray api, resource;
    if (route.kind == RouteKind::Grpc) {
        const QString service = route.operationId.section(u'/', 0, 0);
        m_apiIdentity = service.toUtf8();
        api = "grpc:" + m_apiIdentity;
        resource = "grpc:" + route.operationId.toUtf8();
    } else {
        m_apiIdentity = route.api ? (route.api->name + u'/' + route.api->version).toUtf8() : QByteArray();
        api = "api:" + m_apiIdentity;
        resource = "op:" + m_apiIdentity + ':' + route.method.toUtf8() + ' ' + route.pathTemplate.toUtf8();
    }
    addStatic(RateLimitLevel::Api, route.apiTier, api);
    addStatic(RateLimitLevel::Resource, route.resourceTier, resource);
    const auto client = m_options.tiers->constFind(m_options.unauthenticatedTier);
    if (client != m_options.tiers->cend())
        m_clientTier = &client.value();
    if (m_options.redis && !m_static.isEmpty())
        m_staticRedis = RedisRateLimitStore::prepare(m_static);
}

void RateLimitFilter::addStatic(RateLimitLevel level, const QString &tierName, const QByteArray &identity)
{
    const auto it = m_options.tiers->constFind(tierName);
    if (it == m_options.tiers->cend())
        return;   // none, Unlimited, or unknown (reported by the factory)
    m_static.append({identity + it->keySuffix, it->limit, it->enforce});
    m_staticLevels.append({level, &it.value()});
}

void RateLimitFilter::addDynamic(RequestContext &ctx, Checks &checks, Levels &levels) const
{
    if (!ctx.principal) {
        if (m_clientTier) {
            checks.append({"ip:" + ctx.peer.toString().toLatin1() + m_clientTier->keySuffix, m_clientTier->limit,
                           m_clientTier->enforce});
            levels.append({RateLimitLevel::Client, m_clientTier});
        }
        return;
    }
    const Principal &p = *ctx.principal;
    const QByteArray caller = (p.issuer + u':' + (p.application.isEmpty() ? p.subject : p.application)).toUtf8();
    auto add = [&](RateLimitLevel level, const QString &tierName, const QByteArray &identity) {
        if (tierName.isEmpty() || tierName == kUnlimitedTier)
            return;
        const auto it = m_options.tiers->constFind(tierName);
        if (it == m_options.tiers->cend()) {
            if (ctx.recordDecisions)
                ctx.decide(Phase::RateLimit, QStringLiteral("ratelimit"), true,
                           QStringLiteral("the credential names %1 tier '%2', which gatehouse.yaml does not "
                                          "define: not limited at that level")
                               .arg(rateLimitLevelName(level), tierName));
            return;
        }
        checks.append({identity + it->keySuffix, it->limit, it->enforce});
        levels.append({level, &it.value()});
    };
    // A subscription is the caller's use of one API; an application's tier spans every API.
    add(RateLimitLevel::Subscription, p.subscriptionTier, "sub:" + caller + '@' + m_apiIdentity);
    add(RateLimitLevel::Application, p.applicationTier, "app:" + caller);
}

bool RateLimitFilter::hasDynamicLevels(const RequestContext &ctx) const
{
    if (!ctx.principal)
        return m_clientTier != nullptr;
    const Principal &p = *ctx.principal;
    return m_options.tokenTiers && !(p.subscriptionTier.isEmpty() && p.applicationTier.isEmpty());
}

FilterStatus RateLimitFilter::onRequest(RequestContext &ctx) const
{
    // Most requests count only the route's own levels: those are used as they are, uncopied.
    const bool dynamic = hasDynamicLevels(ctx);
    Checks merged;
    Levels mergedLevels;
    if (dynamic) {
        merged = m_static;
        mergedLevels = m_staticLevels;
        addDynamic(ctx, merged, mergedLevels);
    }
    const Checks &checks = dynamic ? merged : m_static;
    const Levels &levels = dynamic ? mergedLevels : m_staticLevels;
    if (checks.isEmpty())
        return FilterStatus::Continue;
    if (!m_options.redis || !ctx.worker)
        return decideLocally(ctx, checks, levels, QString());

    std::shared_ptr<ResumeHandle> handle = ctx.suspend();
    RequestContext *request = &ctx;
    bool sent = false;
    if (!dynamic) {
        // The route's own levels: the completion refers to them, nothing is copied per request,
        // and their RESP was written once.
        auto done = [this, handle, request](const RedisDecision &d) {
            if (handle->isCancelled())
                return;   // the request is gone; its context may already serve another
            handle->resume(d.ok ? finish(*request, m_staticLevels, d.results, d.rejected, QString())
                                : withoutStore(*request, m_static, m_staticLevels,
                                               QStringLiteral("The rate-limit store did not answer in time; "
                                                              "try again shortly")));
        };
        sent = m_options.redis->acquire(ctx.workerIndex, ctx.worker, checks, std::move(done), &m_staticRedis);
    } else {
        auto done = [this, handle, request, checks, levels](const RedisDecision &d) {
            if (handle->isCancelled())
                return;
            handle->resume(d.ok ? finish(*request, levels, d.results, d.rejected, QString())
                                : withoutStore(*request, checks, levels,
                                               QStringLiteral("The rate-limit store did not answer in time; "
                                                              "try again shortly")));
        };
        sent = m_options.redis->acquire(ctx.workerIndex, ctx.worker, checks, std::move(done));
    }
    if (sent)
        return FilterStatus::Suspend;
    // Known to be down: decide now, as a failed round trip would.
    handle->cancel();
    ctx.pending.reset();
    return withoutStore(ctx, checks, levels, QStringLiteral("The rate-limit store is unreachable; try again shortly"));
}

FilterStatus RateLimitFilter::withoutStore(RequestContext &ctx, const Checks &checks, const Levels &levels,
                                           const QString &description) const
{
    if (m_options.failureMode == StoreFailureMode::Open)
        return decideLocally(ctx, checks, levels, QStringLiteral(" (Redis unreachable: this gateway's own counters)"));
    ctx.respond(503, GatewayErrorCode::RateLimitStoreUnavailable, QStringLiteral("Service unavailable"), description);
    ctx.decide(Phase::RateLimit, QStringLiteral("ratelimit"), false,
               QStringLiteral("Redis unreachable and throttling.onStoreFailure is closed"));
    return FilterStatus::Respond;
}

FilterStatus RateLimitFilter::decideLocally(RequestContext &ctx, const Checks &checks, const Levels &levels,
                                            const QString &note) const
{
    std::array<GcraResult, LocalRateLimitStore::kMaxChecks> results;
    const int rejected = m_options.local->acquire(checks, results);
    return finish(ctx, levels, {results.data(), size_t(checks.size())}, rejected, note);
}

FilterStatus RateLimitFilter::finish(RequestContext &ctx, const Levels &levels, std::span<const GcraResult> results,
                                     int rejected, const QString &note) const
{
    if (rejected >= 0 && rejected < levels.size()) {
        const Level &l = levels[rejected];
        const GcraResult &r = results[size_t(rejected)];
        const qint64 retry = qMax<qint64>(1, ceilSeconds(r.retryAfterNs));
        const QString detail = QStringLiteral("%1: %2 exceeded, retry in %3 s")
                                   .arg(l.tier->labels[size_t(l.level)], l.tier->rate)
                                   .arg(retry);
        ctx.respond(429, errorCode(l.level), QStringLiteral("Message throttled out"), detail);
        ctx.responseHeaders.append({QByteArrayLiteral("Retry-After"), QByteArray::number(retry)});
        addHeaders(ctx, m_options.headers, *l.tier, 0, r.resetNs);
        if (ctx.recordDecisions) {
            // The explain view says "retry in 12 s" relative to when it is read.
            ctx.decide(Phase::RateLimit, QStringLiteral("ratelimit"), false,
                       QStringLiteral("%1: %2 exceeded").arg(l.tier->labels[size_t(l.level)], l.tier->rate) + note,
                       DecisionTime::RetryAt, QDateTime::currentMSecsSinceEpoch() + r.retryAfterNs / 1'000'000);
        }
        return FilterStatus::Respond;
    }
    // Admitted: report the level closest to its limit. The decision reuses prepared texts; it
    // formats only when a level is over its quota without enforcing it.
    qsizetype tightest = 0;
    QString detail;
    for (qsizetype i = 0; i < levels.size(); ++i) {
        const GcraResult &r = results[size_t(i)];
        if (r.remaining < results[size_t(tightest)].remaining)
            tightest = i;
        if (!ctx.recordDecisions)
            continue;
        const QString &label = levels[i].tier->labels[size_t(levels[i].level)];
        if (levels.size() == 1 && r.admitted) {
            detail = label;
            break;
        }
        if (!detail.isEmpty())
            detail += QStringLiteral("; ");
        detail += label;
        if (!r.admitted)
            detail += QStringLiteral(": ") + levels[i].tier->rate
                      + QStringLiteral(" exceeded, not enforced (stopOnQuotaReach: false)");
    }
    const GcraResult &t = results[size_t(tightest)];
    addHeaders(ctx, m_options.headers, *levels[tightest].tier, t.remaining, t.resetNs);
    ctx.decide(Phase::RateLimit, QStringLiteral("ratelimit"), true, note.isEmpty() ? detail : detail + note);
    return FilterStatus::Continue;
}

std::shared_ptr<const Filter> makeRateLimitFilter(const Route &route, const GatewayConfig &config,
                                                  GatewayServices &services, Diagnostics &diagnostics)
{
    const ThrottlingSettings &throttling = config.settings.throttling;
    const std::shared_ptr<RateLimitService> service = services.rateLimits();
    // Tier names were checked where they are written (validate.cpp); a route compiled from
    // elsewhere still must not run with a level silently dropped.
    for (const QString &tier : {route.apiTier, route.resourceTier}) {
        if (!tier.isEmpty() && !throttling.tiers.contains(tier)) {
            const QStringList known = throttling.tiers.keys();
            diagnostics.error(route.location, QStringLiteral("unknown throttling tier '%1'%2 (known: %3)")
                                                  .arg(tier, didYouMean(tier, known), known.join(QStringLiteral(", "))));
            return nullptr;
        }
    }
    RateLimitFilter::Options options;
    options.local = service->local();
    options.redis = service->redis();
    options.tiers = service->tiers();
    options.failureMode = service->failureMode();
    options.headers = service->headers();
    options.unauthenticatedTier = throttling.unauthenticatedTier;
    const SecuritySettings &security = config.settings.security;
    auto namesTiers = [](const ClaimMapping &c) { return !c.applicationTier.isEmpty() || !c.subscriptionTier.isEmpty(); };
    for (const JwtIssuer &issuer : security.issuers)
        options.tokenTiers = options.tokenTiers || namesTiers(issuer.claims);
    for (const KeyManager &km : security.keyManagers)
        options.tokenTiers = options.tokenTiers || namesTiers(km.claims);
    auto filter = std::make_shared<const RateLimitFilter>(route, std::move(options));
    return filter->isEmpty() ? nullptr : filter;
}

} // namespace Gatehouse
