// Per-worker HTTP/2 upstream connections: lend one with room for a stream, open another when all
// are full, close idle ones.
#include "http2upstreampool.h"

#include "project/gatewayconfig.h"

#include <QSslCertificate>

#include <utility>

namespace Gatehouse {

bool restRouteUsesHttp2(const Route &route)
{
    return route.kind == RouteKind::Rest && speaksHttp2(route.upstreams);
}

Http2UpstreamPool::Http2UpstreamPool(QObject *parent)
    : QObject(parent), m_tls(QSslConfiguration::defaultConfiguration())
{
}

Http2UpstreamPool::~Http2UpstreamPool()
{
    closeAll();
}

void Http2UpstreamPool::configure(const UpstreamSettings &settings, const Http2ClientLimits &limits)
{
    m_settings = settings;
    m_limits = limits;
    m_tls = QSslConfiguration::defaultConfiguration();
    m_tls.setPeerVerifyMode(settings.verifyTls ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
    m_tls.setAllowedNextProtocols({QByteArrayLiteral("h2")});
    if (!settings.caFile.isEmpty()) {
        QList<QSslCertificate> cas = m_tls.caCertificates();
        cas += QSslCertificate::fromPath(settings.caFile, QSsl::Pem);
        m_tls.setCaCertificates(cas);
    }
}

Http2UpstreamConnection *Http2UpstreamPool::acquire(const UpstreamTarget &target)
{
    const auto id = size_t(std::max(target.id, 0));
    if (id >= m_connections.size())
        m_connections.resize(id + 1);
    QList<Entry> &list = m_connections[id];
    const auto now = Clock::now();
    // The busiest connection with room first: streams concentrate, idle ones time out.
    Entry *best = nullptr;
    for (Entry &e : list) {
        if (e.connection->hasCapacity() && (!best || e.connection->streamCount() > best->connection->streamCount()))
            best = &e;
    }
    if (best) {
        best->lastUsed = now;
        return best->connection;
    }
    auto *connection = new Http2UpstreamConnection(target, target.tls ? &m_tls : nullptr, m_limits,
                                                   m_settings.connectTimeout, this);
    connect(connection, &Http2UpstreamConnection::closed, this, &Http2UpstreamPool::onClosed);
    list.append({connection, now});
    return connection;
}

void Http2UpstreamPool::onClosed(Http2UpstreamConnection *connection)
{
    const auto id = size_t(std::max(connection->target().id, 0));
    if (id < m_connections.size())
        m_connections[id].removeIf([connection](const Entry &e) { return e.connection == connection; });
    connection->deleteLater();
}

void Http2UpstreamPool::tick(Clock::time_point now)
{
    QList<Http2UpstreamConnection *> idle;
    for (QList<Entry> &list : m_connections) {
        for (Entry &e : list) {
            if (e.connection->streamCount() > 0)
                e.lastUsed = now;
            else if (now - e.lastUsed >= m_settings.idleTimeout)
                idle.append(e.connection);
        }
    }
    for (Http2UpstreamConnection *c : std::as_const(idle))
        c->drain();   // no stream: closes at once, after a GOAWAY
}

void Http2UpstreamPool::drain()
{
    for (const QList<Entry> &list : std::as_const(m_connections)) {
        for (const Entry &e : list)
            e.connection->drain();
    }
}

void Http2UpstreamPool::closeAll()
{
    const auto all = std::exchange(m_connections, {});
    for (const QList<Entry> &list : all) {
        for (const Entry &e : list) {
            e.connection->disconnect(this);
            e.connection->abort();
            e.connection->deleteLater();
        }
    }
}

int Http2UpstreamPool::connectionCount() const
{
    int n = 0;
    for (const QList<Entry> &list : m_connections)
        n += int(list.size());
    return n;
}

} // namespace Gatehouse
