// Per-worker pool of keep-alive upstream connections, plus per-endpoint health (circuit breaker).
#include "upstreampool.h"

#include <QSslCertificate>

#include <utility>

namespace Gatehouse {

UpstreamPool::UpstreamPool(QObject *parent) : QObject(parent), m_tls(QSslConfiguration::defaultConfiguration()) {}

UpstreamPool::~UpstreamPool()
{
    closeAll();
}

void UpstreamPool::configure(const UpstreamSettings &settings, const Http1Limits &responseLimits)
{
    m_settings = settings;
    m_limits = responseLimits;
    m_tls = QSslConfiguration::defaultConfiguration();
    m_tls.setPeerVerifyMode(settings.verifyTls ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
    m_tls.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    if (!settings.caFile.isEmpty()) {
        QList<QSslCertificate> cas = m_tls.caCertificates();
        cas += QSslCertificate::fromPath(settings.caFile, QSsl::Pem);
        m_tls.setCaCertificates(cas);
    }
}

UpstreamConnection *UpstreamPool::acquire(const UpstreamTarget &target)
{
    if (size_t(target.id) < m_idle.size()) {
        QList<Idle> &idle = m_idle[size_t(target.id)];
        const Clock::time_point now = idle.isEmpty() ? Clock::time_point() : Clock::now();
        while (!idle.isEmpty()) {
            // Most recently used first: the one least likely to have been closed by the upstream.
            const Idle last = idle.takeLast();
            // An idle connection is watched: bytes or a close that earlier waits reported have taken
            // it out of the pool already, and the current wait's are known without a system call.
            // Only what arrived since that wait needs a look at the socket (one system call in
            // five of a proxied request's); upstreams close idle connections after seconds, so it
            // is taken for connections idle a while. A close no check sees fails the attempt,
            // which is retried when that is safe.
            const bool peek = now - last.since >= kUnpeekedIdle;
            if (last.connection->isReusableNow(peek))
                return last.connection;
            last.connection->abort();
        }
    }
    auto *connection = new UpstreamConnection(target, target.tls ? &m_tls : nullptr, m_limits, this);
    connect(connection, &UpstreamConnection::closed, this, &UpstreamPool::onClosed);
    return connection;
}

void UpstreamPool::release(UpstreamConnection *connection)
{
    connection->end();
    const int id = connection->target().id;
    if (!connection->isReusable() || id < 0) {
        connection->abort();
        return;
    }
    if (size_t(id) >= m_idle.size())
        m_idle.resize(size_t(id) + 1);
    QList<Idle> &idle = m_idle[size_t(id)];
    if (idle.size() >= m_settings.maxIdleConnectionsPerHost) {
        connection->abort();
        return;
    }
    idle.append({connection, Clock::now()});
}

void UpstreamPool::onClosed(UpstreamConnection *connection)
{
    const auto id = size_t(connection->target().id);
    if (id < m_idle.size())
        m_idle[id].removeIf([connection](const Idle &i) { return i.connection == connection; });
    connection->deleteLater();
}

bool UpstreamPool::isAvailable(int endpointId, Clock::time_point now) const
{
    if (size_t(endpointId) >= m_health.size())
        return true;
    const Health &h = m_health[size_t(endpointId)];
    // Open circuit: refuse until openUntil; then half-open lets requests probe again.
    return h.consecutiveFailures < m_settings.circuitBreaker.failureThreshold || now >= h.openUntil;
}

void UpstreamPool::recordSuccess(int endpointId)
{
    if (size_t(endpointId) < m_health.size())
        m_health[size_t(endpointId)].consecutiveFailures = 0;
}

void UpstreamPool::recordFailure(int endpointId, Clock::time_point now)
{
    if (endpointId < 0)
        return;
    if (size_t(endpointId) >= m_health.size())
        m_health.resize(size_t(endpointId) + 1);
    Health &h = m_health[size_t(endpointId)];
    ++h.consecutiveFailures;
    if (h.consecutiveFailures >= m_settings.circuitBreaker.failureThreshold)
        h.openUntil = now + m_settings.circuitBreaker.openDuration;
}

void UpstreamPool::tick(Clock::time_point now)
{
    for (QList<Idle> &list : m_idle) {
        QList<Idle> expired;
        list.removeIf([&](const Idle &i) {
            if (now - i.since < m_settings.idleTimeout)
                return false;
            expired.append(i);
            return true;
        });
        for (const Idle &i : expired)
            i.connection->abort();
    }
}

void UpstreamPool::closeAll()
{
    const auto idle = std::exchange(m_idle, {});
    for (const QList<Idle> &list : idle) {
        for (const Idle &i : list)
            i.connection->abort();
    }
}

int UpstreamPool::idleCount() const
{
    int n = 0;
    for (const QList<Idle> &list : m_idle)
        n += int(list.size());
    return n;
}

} // namespace Gatehouse
