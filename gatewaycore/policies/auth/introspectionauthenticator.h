// Opaque OAuth2 tokens checked by RFC 7662 introspection at the project's key managers:
// asynchronous (the request suspends, never the worker), cached per worker, deduplicated.
#pragma once

#include "authenticator.h"

#include "project/projectsettings.h"

#include <QHash>
#include <QList>

#include <memory>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace Gatehouse {

// One key manager of a config, with its secret resolved.
struct IntrospectionEndpoint
{
    KeyManager settings;
    QByteArray authorization;   // the Authorization value sent to the endpoint
};

// Per-worker runtime state, kept across reloads (GatewayServices owns it): a network access
// manager living on the worker thread, the verdict cache and the requests waiting on a lookup.
// Only the owning worker thread touches its slot.
class IntrospectionRuntime
{
public:
    explicit IntrospectionRuntime(int workerCount) : m_workers(size_t(qMax(1, workerCount))) {}

    struct Verdict
    {
        AuthResult result = AuthResult::Invalid;
        QString reason;
        std::shared_ptr<const Principal> principal;   // set when Authenticated, shared by every hit
        qint64 expiresAt = 0;    // the token's exp (seconds since the epoch), 0 = none
        qint64 until = 0;        // monotonic seconds
        quint64 generation = 0;  // the config that learnt it: other configs map claims anew
    };
    struct Slot
    {
        QNetworkAccessManager *network = nullptr;   // child of the worker object
        QHash<QByteArray, Verdict> cache;
        QHash<QByteArray, QList<std::shared_ptr<ResumeHandle>>> waiting;
        // Answers handed to the requests that waited for them, each taken once by a rerun (so
        // that cacheTtl: 0s still answers the requests that asked).
        struct Delivered
        {
            Verdict verdict;
            int remaining = 0;
        };
        QHash<QByteArray, Delivered> delivered;
    };
    Slot &slot(int worker) { return m_workers[size_t(worker) % m_workers.size()]; }

    static constexpr int kCacheEntries = 10'000;   // per worker; cleared when full
    static constexpr int kMaxInFlight = 256;       // distinct tokens being looked up per worker
    static constexpr qint64 kUnavailableTtl = 1;   // seconds an endpoint failure is remembered

private:
    std::vector<Slot> m_workers;
};

class IntrospectionAuthenticator final : public Authenticator
{
public:
    IntrospectionAuthenticator(std::shared_ptr<IntrospectionRuntime> runtime,
                               std::shared_ptr<const QList<IntrospectionEndpoint>> endpoints,
                               quint64 generation, QByteArray header);
    QLatin1StringView method() const override { return QLatin1StringView("introspection"); }
    QByteArray challenge() const override { return QByteArrayLiteral("Bearer realm=\"gatehouse\""); }
    AuthResult authenticate(RequestContext &ctx, QString &reason) const override;

    // The bearer token of a request (`Bearer <token>` in the route's header), or a null view.
    static QByteArrayView bearerToken(const RequestContext &ctx, QByteArrayView header);

private:
    std::shared_ptr<IntrospectionRuntime> m_runtime;
    std::shared_ptr<const QList<IntrospectionEndpoint>> m_endpoints;
    quint64 m_generation;
    QByteArray m_header;
};

// What an introspection endpoint's answer means (pure: for the authenticator, tests and the fuzzer).
// networkError: empty unless the exchange failed below HTTP; now: monotonic seconds (cache
// deadlines); wallNow: seconds since the epoch (exp/nbf).
IntrospectionRuntime::Verdict judgeIntrospectionAnswer(const KeyManager &km, int httpStatus,
                                                       const QString &networkError, const QByteArray &body,
                                                       qint64 now, qint64 wallNow);

// The key managers of a config, secrets resolved (errors as diagnostics at their place).
std::shared_ptr<const QList<IntrospectionEndpoint>> resolveIntrospectionEndpoints(
    const SecuritySettings &security, const QString &projectDir, Diagnostics &diagnostics);

} // namespace Gatehouse
