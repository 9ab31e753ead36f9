// HTTP Basic authentication against gatehouse.yaml's users, with slow hashes verified off the
// worker threads and verified credentials cached per worker.
#pragma once

#include "authenticator.h"

#include <QHash>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

namespace Gatehouse {

struct ProjectSettings;

// The users of one config and what was learnt about credentials. Owned by GatewayServices and
// shared by every route's Basic authenticator (a login verified once serves every operation).
class BasicUserStore
{
public:
    struct User
    {
        QString passwordHash;      // encoded hash (passwordhash.h), or empty
        QByteArray password;       // resolved ${env:}/${file:} reference, or empty
        QStringList scopes;
        std::shared_ptr<const Principal> principal;   // who a verified login names, shared
    };

    BasicUserStore(const ProjectSettings &settings, const QString &projectDir, int workerCount,
                   Diagnostics &diagnostics);

    const User *user(const QString &name) const;

    // Per-worker cache of verified credentials: key = SHA-256(user ":" password), value =
    // whether it matched and until when (monotonic seconds). Only the owning worker touches it.
    struct Verdict
    {
        bool matches = false;
        qint64 until = 0;
    };
    const Verdict *cached(int worker, const QByteArray &key, qint64 now) const;
    void remember(int worker, const QByteArray &key, bool matches, qint64 now);

    // Verifies a password against a slow hash on the store's own threads, then calls `done` on the
    // calling thread (its ThreadMailbox) unless `context` is gone by then. False when too many
    // verifications wait already (a login flood).
    bool verifyAsync(const QString &encodedHash, const QByteArray &password, QObject *context,
                     std::function<void(bool matches)> done);

    static constexpr int kMaxPending = 64;
    static constexpr qint64 kPositiveTtl = 300;   // seconds
    static constexpr qint64 kNegativeTtl = 30;
    static constexpr int kCacheEntries = 4096;    // per worker; cleared when full

private:
    QHash<QString, User> m_users;
    mutable std::vector<QHash<QByteArray, Verdict>> m_cache;   // one per worker
    std::atomic<int> m_pending{0};
    QThreadPool m_pool;   // last: destroyed first, waiting for its tasks while the rest lives
};

class BasicAuthenticator final : public Authenticator
{
public:
    BasicAuthenticator(std::shared_ptr<BasicUserStore> users, QByteArray header);
    QLatin1StringView method() const override { return QLatin1StringView("basic"); }
    QByteArray challenge() const override { return QByteArrayLiteral("Basic realm=\"gatehouse\", charset=\"UTF-8\""); }
    AuthResult authenticate(RequestContext &ctx, QString &reason) const override;

private:
    std::shared_ptr<BasicUserStore> m_users;
    QByteArray m_header;   // lowercase field name carrying "Basic ..." (the route's auth header)
};

std::shared_ptr<const Authenticator> makeBasicAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                            const GatewayConfig &config,
                                                            GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
