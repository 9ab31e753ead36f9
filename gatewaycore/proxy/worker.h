// A data-plane worker: one thread, one epoll event loop, its own listeners (SO_REUSEPORT), client
// connections, upstream pool and config snapshot. Nothing here is shared with other workers.
#pragma once

#include "coarseclock.h"
#include "http2connectionset.h"
#include "http1exchangestate.h"
#include "http2upstreampool.h"
#include "upstreampool.h"

#include "http/http1types.h"
#include "project/gatewayconfig.h"
#include "telemetry/tracecontext.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QSslConfiguration>

#include <atomic>
#include <chrono>
#include <memory>

class QTcpServer;
class QTimer;

namespace Gatehouse {

class DownstreamConnection;
class AccessLogQueue;
class MetricsShard;
class TraceRing;

class Worker : public QObject
{
    Q_OBJECT
public:
    using Clock = CoarseClock;

    // `metrics` is this worker's shard (MetricsRegistry::shard(index)) and `accessLog` its queue
    // (AccessLog::queue(index)); both outlive the worker.
    Worker(int index, MetricsShard &metrics, AccessLogQueue &accessLog, QObject *parent = nullptr);
    ~Worker() override;

    int index() const { return m_index; }

    // --- Called through queued invocations from the engine's thread ---
    // New requests use the new snapshot; requests in flight keep the one they started with.
    void applyConfig(std::shared_ptr<const GatewayConfig> config);
    // Takes a listening fd (see openListenSocket). tls: serve HTTPS with `tlsConfig`.
    void addListener(int fd, bool tls);
    void setServerTls(const QSslConfiguration &tlsConfig);
    // The ring traced requests go to (owned by the engine, which keeps it until no worker uses it;
    // nullptr = none).
    void setTraceRing(TraceRing *ring) { m_traceRing = ring; }
    // Stops accepting, finishes in-flight requests, closes idle connections; emits drained() when
    // no connection is left, or after `timeout` (remaining connections are then closed).
    void drain(std::chrono::milliseconds timeout);

    // --- Worker-thread API for connections ---
    const std::shared_ptr<const GatewayConfig> &config() const { return m_config; }
    UpstreamPool &pool() { return m_pool; }
    Http1ExchangePool &exchangePool() { return m_exchangePool; }
    Http2UpstreamPool &http2Pool() { return m_http2Pool; }   // HTTP/2 upstreams (gRPC)
    Http2ConnectionSet &http2Connections() { return m_http2; }
    MetricsShard &metrics() { return m_metrics; }
    AccessLogQueue &accessLog() { return m_accessLog; }
    TraceRing *traceRing() const { return m_traceRing; }
    TraceIdGenerator &traceIds() { return m_traceIds; }
    const Http1Limits &requestLimits() const { return m_requestLimits; }
    const QSslConfiguration &serverTls() const { return m_serverTls; }
    int nextRoundRobin(int routeId);
    // A parked connection has work again: it goes back to the ticked ones (see onTick).
    void unpark(DownstreamConnection *connection);
    // An empty buffer to build a head in and write it at once; never kept across calls. Its
    // capacity stays, so building a head allocates nothing.
    QByteArray &scratchBuffer()
    {
        m_scratch.resize(0);
        return m_scratch;
    }
    void acceptConnection(qintptr fd, bool tls);
    // Client connections this worker keeps open at most (0 = no limit); more are closed at once.
    void setConnectionLimit(int limit) { m_connectionLimit = limit; }

    // Readable from any thread (status, /health).
    int activeConnections() const { return m_active.load(std::memory_order_relaxed) + m_http2.count(); }

signals:
    void drained(int workerIndex);

private:
    void onTick();
    void releaseFreedMemory(Clock::time_point now);
    void onConnectionFinished(DownstreamConnection *connection);
    // Intrusive lists (DownstreamConnection::tickLinks): ticked connections in any order, parked
    // ones ordered by deadline.
    struct TickList
    {
        DownstreamConnection *head = nullptr;
        DownstreamConnection *tail = nullptr;
    };
    static void unlink(TickList &list, DownstreamConnection *connection);
    static void append(TickList &list, DownstreamConnection *connection);
    void park(DownstreamConnection *connection);
    void checkDrained();

    int m_index;
    MetricsShard &m_metrics;
    AccessLogQueue &m_accessLog;
    TraceRing *m_traceRing = nullptr;
    TraceIdGenerator m_traceIds;
    std::shared_ptr<const GatewayConfig> m_config;
    Http1Limits m_requestLimits;
    UpstreamPool m_pool;
    Http1ExchangePool m_exchangePool{this};
    Http2UpstreamPool m_http2Pool;      // before m_http2 too: its streams cancel their upstream streams
    Http2ConnectionSet m_http2{this};   // after m_pool: its streams give connections back
    QSslConfiguration m_serverTls;
    QList<QTcpServer *> m_listeners;
    QSet<DownstreamConnection *> m_connections;
    // Every connection is on one of the two lists. A tick visits every ticked connection but only
    // the parked ones whose deadline has passed: 8,000 idle keep-alive connections cost it
    // nothing (visiting each one touched 8,000 cold objects: 2 ms every tick).
    TickList m_ticked;
    TickList m_parked;
    QHash<int, quint32> m_roundRobin;
    QByteArray m_scratch;
    QTimer *m_tick;
    bool m_draining = false;
    Clock::time_point m_drainDeadline{};
    static constexpr qint64 kTrimAfterBytes = 4 * 1024 * 1024;
    static constexpr std::chrono::seconds kTrimInterval{1};
    qint64 m_freedSinceTrim = 0;
    Clock::time_point m_lastTrim{};
    std::atomic<int> m_active{0};
    int m_connectionLimit = 0;
};

} // namespace Gatehouse
