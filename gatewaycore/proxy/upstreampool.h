// Per-worker pool of keep-alive upstream connections, plus per-endpoint health (circuit breaker).
// Lives on one worker thread; no locks.
#pragma once

#include "coarseclock.h"
#include "upstreamconnection.h"

#include "project/projectsettings.h"

#include <QList>
#include <QObject>
#include <QSslConfiguration>

#include <chrono>
#include <vector>

namespace Gatehouse {

class UpstreamPool : public QObject
{
    Q_OBJECT
public:
    using Clock = CoarseClock;

    explicit UpstreamPool(QObject *parent = nullptr);
    ~UpstreamPool() override;

    void configure(const UpstreamSettings &settings, const Http1Limits &responseLimits);
    const UpstreamSettings &settings() const { return m_settings; }

    // An idle connection to the target, or a new one (not yet connected).
    UpstreamConnection *acquire(const UpstreamTarget &target);
    // Gives a connection back after an exchange; kept when reusable and the pool has room.
    void release(UpstreamConnection *connection);

    // Circuit breaker, per endpoint (UpstreamEndpoint::id).
    bool isAvailable(int endpointId, Clock::time_point now) const;
    void recordSuccess(int endpointId);
    void recordFailure(int endpointId, Clock::time_point now);

    // Closes idle connections older than the idle timeout.
    void tick(Clock::time_point now);
    void closeAll();
    int idleCount() const;

private:
    // Idle for less than this, a pooled connection is lent without peeking at its socket.
    static constexpr auto kUnpeekedIdle = std::chrono::milliseconds(200);

    struct Idle
    {
        UpstreamConnection *connection;
        Clock::time_point since;
    };
    struct Health
    {
        int consecutiveFailures = 0;
        Clock::time_point openUntil{};
    };
    void onClosed(UpstreamConnection *connection);

    UpstreamSettings m_settings;
    Http1Limits m_limits;
    QSslConfiguration m_tls;
    // Indexed by UpstreamEndpoint::id: no string hashed per request.
    std::vector<QList<Idle>> m_idle;
    std::vector<Health> m_health;
};

} // namespace Gatehouse
