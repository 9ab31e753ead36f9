// HTTP Basic authentication against gatehouse.yaml's users, with slow hashes verified off the
// worker threads and verified credentials cached per worker.
#include "basicauthenticator.h"

#include "base/threadcrypto.h"
#include "base/threadmailbox.h"
#include "export/environmentoverrides.h"
#include "pipeline/gatewayservices.h"
#include "project/gatewayconfig.h"
#include "security/passwordhash.h"
#include "security/secretresolver.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QPointer>

#include <openssl/crypto.h>

#include <time.h>

namespace Gatehouse {

namespace {

qint64 monotonicSeconds()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return qint64(ts.tv_sec);
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    // Compare digests, so that the length of the secret does not leak either.
    const QByteArray da = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray db = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    return CRYPTO_memcmp(da.constData(), db.constData(), size_t(da.size())) == 0;
}

} // namespace

BasicUserStore::BasicUserStore(const ProjectSettings &settings, const QString &projectDir, int workerCount,
                               Diagnostics &diagnostics)
    : m_cache(size_t(qMax(1, workerCount)))
{
    // A project under development starts without a user's secret (that user cannot log in, and a
    // warning says why); an exported bundle refuses to start without every secret it references.
    const bool strict = isExportedBundle(projectDir);
    auto missing = [&](const SourceLocation &where, const QString &what, const QString &user, const QString &why) {
        if (strict)
            diagnostics.error(where, QStringLiteral("%1 of user '%2': %3").arg(what, user, why));
        else
            diagnostics.warning(where, QStringLiteral("%1 of user '%2': %3; the user cannot log in")
                                           .arg(what, user, why));
    };
    for (const BasicUser &u : settings.security.users) {
        User user;
        user.scopes = u.scopes;
        user.passwordHash = u.passwordHash;
        if (!u.password.isEmpty()) {
            auto secret = resolveSecret(u.password, projectDir);
            if (!secret) {
                missing(u.password.location, QStringLiteral("password"), u.name, secret.error().message);
                continue;
            }
            user.password = *secret;
        }
        if (!u.passwordHashRef.isEmpty()) {
            auto hash = resolveSecret(u.passwordHashRef, projectDir);
            if (!hash) {
                missing(u.passwordHashRef.location, QStringLiteral("password hash"), u.name, hash.error().message);
                continue;
            }
            const Result<PasswordHashInfo> info = parsePasswordHash(QString::fromUtf8(*hash));
            if (!info) {
                diagnostics.error(u.passwordHashRef.location,
                                  QStringLiteral("password hash of user '%1': %2").arg(u.name, info.error().message));
                continue;
            }
            user.passwordHash = QString::fromUtf8(*hash);
        }
        auto principal = std::make_shared<Principal>();
        principal->method = QStringLiteral("basic");
        principal->subject = u.name;
        principal->scopes = user.scopes;
        principal->issuer = QStringLiteral("gatehouse");
        user.principal = std::move(principal);
        m_users.insert(u.name, user);
    }
    m_pool.setMaxThreadCount(2);
    m_pool.setObjectName(QStringLiteral("gatehouse-password-hash"));
}

const BasicUserStore::User *BasicUserStore::user(const QString &name) const
{
    const auto it = m_users.constFind(name);
    return it == m_users.cend() ? nullptr : &it.value();
}

const BasicUserStore::Verdict *BasicUserStore::cached(int worker, const QByteArray &key, qint64 now) const
{
    const auto &cache = m_cache[size_t(worker) % m_cache.size()];
    const auto it = cache.constFind(key);
    if (it == cache.cend() || it->until < now)
        return nullptr;
    return &it.value();
}

void BasicUserStore::remember(int worker, const QByteArray &key, bool matches, qint64 now)
{
    auto &cache = m_cache[size_t(worker) % m_cache.size()];
    if (cache.size() >= kCacheEntries)
        cache.clear();
    cache.insert(key, {matches, now + (matches ? kPositiveTtl : kNegativeTtl)});
}

bool BasicUserStore::verifyAsync(const QString &encodedHash, const QByteArray &password, QObject *context,
                                 std::function<void(bool)> done)
{
    if (m_pending.fetch_add(1, std::memory_order_relaxed) >= kMaxPending) {
        m_pending.fetch_sub(1, std::memory_order_relaxed);
        return false;
    }
    QPointer<QObject> target(context);
    m_pool.start([this, encodedHash, password, target, done = std::move(done),
                  back = ThreadMailbox::current()] {
        const bool matches = verifyPassword(password, encodedHash);
        // A pool thread: it may end at any time after this (base/threadcrypto.h). Freeing the error
        // queue costs little beside a PBKDF2 run.
        releaseThreadCryptoState();
        m_pending.fetch_sub(1, std::memory_order_relaxed);
        // `target` is checked on its own thread: here it could be deleted right after the check.
        back.post([target, done, matches] {
            if (target)
                done(matches);
        });
    });
    return true;
}

BasicAuthenticator::BasicAuthenticator(std::shared_ptr<BasicUserStore> users, QByteArray header)
    : m_users(std::move(users)), m_header(std::move(header))
{
}

AuthResult BasicAuthenticator::authenticate(RequestContext &ctx, QString &reason) const
{
    const QByteArrayView value = ctx.header(m_header);
    if (value.size() < 6 || !httpEqualsIgnoreCase(value.first(6), "basic "))
        return AuthResult::Missing;
    QByteArrayView encoded = value.sliced(6).trimmed();
    const auto decoded = QByteArray::fromBase64Encoding(encoded.toByteArray(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
    if (!decoded || colon < 0) {
        reason = QStringLiteral("the Basic credentials are not base64 of user:password");
        return AuthResult::Invalid;
    }
    const QString name = QString::fromUtf8(decoded.decoded.first(colon));
    const QByteArray password = decoded.decoded.sliced(colon + 1);
    const BasicUserStore::User *user = m_users->user(name);
    if (!user) {
        reason = QStringLiteral("unknown user or wrong password");
        return AuthResult::Invalid;
    }

    auto grant = [&] {
        ctx.principal = user->principal;
        return AuthResult::Authenticated;
    };
    if (!user->password.isEmpty()) {
        if (constantTimeEquals(password, user->password))
            return grant();
        reason = QStringLiteral("unknown user or wrong password");
        return AuthResult::Invalid;
    }

    // A slow hash: look in this worker's cache, else verify on the hashing threads and rerun.
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(decoded.decoded);
    h.addData(user->passwordHash.toUtf8());   // a changed hash invalidates what was learnt
    const QByteArray key = h.result();
    const qint64 now = monotonicSeconds();
    if (const BasicUserStore::Verdict *v = m_users->cached(ctx.workerIndex, key, now)) {
        if (v->matches)
            return grant();
        reason = QStringLiteral("unknown user or wrong password");
        return AuthResult::Invalid;
    }
    if (!ctx.worker) {
        // No thread to come back to (a direct call in a test): verify here.
        const bool matches = verifyPassword(password, user->passwordHash);
        m_users->remember(ctx.workerIndex, key, matches, now);
        if (matches)
            return grant();
        reason = QStringLiteral("unknown user or wrong password");
        return AuthResult::Invalid;
    }
    std::shared_ptr<ResumeHandle> handle = ctx.suspend();
    const int worker = ctx.workerIndex;
    std::weak_ptr<BasicUserStore> store = m_users;   // never the last owner on a hashing thread
    const bool queued = m_users->verifyAsync(user->passwordHash, password, ctx.worker,
                                             [store, worker, key, handle](bool matches) {
                                                 if (auto s = store.lock())
                                                     s->remember(worker, key, matches, monotonicSeconds());
                                                 handle->rerun();
                                             });
    if (!queued) {
        handle->cancel();
        ctx.pending.reset();
        reason = QStringLiteral("too many password checks are in progress; try again shortly");
        return AuthResult::Unavailable;
    }
    return AuthResult::Pending;
}

std::shared_ptr<const Authenticator> makeBasicAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                            const GatewayConfig &config,
                                                            GatewayServices &services, Diagnostics &diagnostics)
{
    (void)scheme;
    (void)config;
    (void)diagnostics;
    return std::make_shared<const BasicAuthenticator>(services.basicUsers(),
                                                      route.authHeader.toLatin1().toLower());
}

} // namespace Gatehouse
