// Per-worker pool of keep-alive upstream connections, plus per-endpoint health (circuit breaker).
// Lives on one worker thread; no locks.
#pragma once

#include "upstreamconnection.h"

#include "project/projectsettings.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSslConfiguration>

#include <chrono>

namespace Gatehouse {

class UpstreamPool : public QObject
{
    Q_OBJECT
public:
    using Clock = std::chrono::steady_clock;

    explicit UpstreamPool(QObject *parent = nullptr);
    ~UpstreamPool() override;

    void configure(const UpstreamSettings &settings, const Http1Limits &responseLimits);
    const UpstreamSettings &settings() const { return m_settings; }

    // An idle connection to the target, or a new one (not yet connected).
    UpstreamConnection *acquire(const UpstreamTarget &target);
    // Gives a connection back after an exchange; kept when reusable and the pool has room.
    void release(UpstreamConnection *connection);

    // Circuit breaker, per endpoint key (UpstreamTarget::key()).
    bool isAvailable(const QString &endpointKey, Clock::time_point now) const;
    void recordSuccess(const QString &endpointKey);
    void recordFailure(const QString &endpointKey, Clock::time_point now);

    // Closes idle connections older than the idle timeout.
    void tick(Clock::time_point now);
    void closeAll();
    int idleCount() const;

private:
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
    QHash<QString, QList<Idle>> m_idle;
    QHash<QString, Health> m_health;
};

} // namespace Gatehouse
