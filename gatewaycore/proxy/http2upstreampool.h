// Per-worker HTTP/2 upstream connections, per endpoint: streams are multiplexed onto an open
// connection until the upstream's MAX_CONCURRENT_STREAMS; then another connection opens. Lives
// on one worker thread; no locks.
#pragma once

#include "coarseclock.h"
#include "http2upstreamconnection.h"

#include "project/projectsettings.h"

#include <QList>
#include <QObject>
#include <QSslConfiguration>

#include <vector>

namespace Gatehouse {

struct Route;

// A REST route whose endpoints speak HTTP/2 (h2c:// URLs or `http2: true`): its exchanges are
// streams of this pool's connections, from HTTP/1.1 and HTTP/2 clients alike.
bool restRouteUsesHttp2(const Route &route);

class Http2UpstreamPool : public QObject
{
    Q_OBJECT
public:
    using Clock = CoarseClock;

    explicit Http2UpstreamPool(QObject *parent = nullptr);
    ~Http2UpstreamPool() override;

    void configure(const UpstreamSettings &settings, const Http2ClientLimits &limits);

    // A connection to the target that can take another stream now (connected or still
    // connecting), or a new one. Never null; openStream() on it may still fail (-1) when the
    // connection failed in between.
    Http2UpstreamConnection *acquire(const UpstreamTarget &target);

    // Closes connections that carried no stream for the idle timeout.
    void tick(Clock::time_point now);
    // GOAWAY on every connection: streams in progress finish.
    void drain();
    void closeAll();
    int connectionCount() const;

private:
    struct Entry
    {
        Http2UpstreamConnection *connection;
        Clock::time_point lastUsed;
    };
    void onClosed(Http2UpstreamConnection *connection);

    UpstreamSettings m_settings;
    Http2ClientLimits m_limits;
    QSslConfiguration m_tls;
    std::vector<QList<Entry>> m_connections;   // by UpstreamEndpoint::id
};

} // namespace Gatehouse
