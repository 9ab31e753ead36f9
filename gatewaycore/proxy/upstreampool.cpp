// Per-worker pool of keep-alive upstream connections, plus per-endpoint health (circuit breaker).
#include "upstreampool.h"

#include <QSslCertificate>

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
    const QString key = target.key;
    auto it = m_idle.find(key);
    if (it != m_idle.end()) {
        while (!it->isEmpty()) {
            // Most recently used first: the one least likely to have been closed by the upstream.
            const Idle idle = it->takeLast();
            if (idle.connection->isReusableNow())
                return idle.connection;
            idle.connection->abort();
        }
    }
    auto *connection = new UpstreamConnection(target, target.tls ? &m_tls : nullptr, m_limits, this);
    connect(connection, &UpstreamConnection::closed, this, &UpstreamPool::onClosed);
    return connection;
}

void UpstreamPool::release(UpstreamConnection *connection)
{
    connection->end();
    if (!connection->isReusable()) {
        connection->abort();
        return;
    }
    QList<Idle> &idle = m_idle[connection->target().key];
    if (idle.size() >= m_settings.maxIdleConnectionsPerHost) {
        connection->abort();
        return;
    }
    idle.append({connection, Clock::now()});
}

void UpstreamPool::onClosed(UpstreamConnection *connection)
{
    auto it = m_idle.find(connection->target().key);
    if (it != m_idle.end()) {
        it->removeIf([connection](const Idle &i) { return i.connection == connection; });
    }
    connection->deleteLater();
}

bool UpstreamPool::isAvailable(const QString &endpointKey, Clock::time_point now) const
{
    const auto it = m_health.constFind(endpointKey);
    if (it == m_health.constEnd())
        return true;
    // Open circuit: refuse until openUntil; then half-open lets requests probe again.
    return it->consecutiveFailures < m_settings.circuitBreaker.failureThreshold || now >= it->openUntil;
}

void UpstreamPool::recordSuccess(const QString &endpointKey)
{
    auto it = m_health.find(endpointKey);
    if (it != m_health.end())
        it->consecutiveFailures = 0;
}

void UpstreamPool::recordFailure(const QString &endpointKey, Clock::time_point now)
{
    Health &h = m_health[endpointKey];
    ++h.consecutiveFailures;
    if (h.consecutiveFailures >= m_settings.circuitBreaker.failureThreshold)
        h.openUntil = now + m_settings.circuitBreaker.openDuration;
}

void UpstreamPool::tick(Clock::time_point now)
{
    for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
        QList<Idle> expired;
        it->removeIf([&](const Idle &i) {
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
    const auto idle = m_idle;
    m_idle.clear();
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
