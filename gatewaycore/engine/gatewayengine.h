// GatewayEngine: the one facade the workbench and gatehoused use to run a project's gateway.
// Owns the worker threads, their listeners, the admin API and the current config snapshot.
#pragma once

#include "base/diagnostic.h"
#include "base/threadmailbox.h"
#include "project/gatewayconfig.h"
#include "telemetry/metricssnapshot.h"
#include "telemetry/tracerecord.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

class QThread;
class QTimer;

namespace Gatehouse {

class AccessLog;
class AdminServer;
class GatewayServices;
class MetricsRegistry;
class OtlpExporter;
class TraceRing;
class Worker;
struct MetricFamily;

// Threading: create and call on one thread (the UI thread or the daemon's main thread); that
// thread never blocks on the data plane. Signals are emitted on that thread.
class GatewayEngine : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped = 1, Starting, Running, Stopping };
    Q_ENUM(State)

    struct Options
    {
        QString projectDir;
        std::optional<quint16> httpPort;     // overrides gatehouse.yaml; 0 = any free port
        std::optional<quint16> httpsPort;
        std::optional<quint16> adminPort;
        int workers = 0;                     // 0 = gatehouse.yaml, else one per core
        bool https = true;
        bool admin = true;
    };

    explicit GatewayEngine(QObject *parent = nullptr);
    ~GatewayEngine() override;   // stops at once (no drain)

    // Loads, compiles and starts serving. Returns false with the reasons in `diagnostics` (the
    // project's errors, a port in use ...); then nothing is left running.
    bool start(const Options &options, Diagnostics &diagnostics);
    // Graceful: stop accepting, let requests in flight finish within limits.drainTimeout, then
    // stop the threads. Returns at once; stateChanged(Stopped) follows.
    void stop();
    // stop() and wait for it (the daemon's shutdown path).
    void stopAndWait();

    // Reloads the project from disk. On errors the running config stays and false is returned.
    bool reload(Diagnostics &diagnostics);
    // Configures the services for a compiled config and builds its filter chains. False with
    // errors in diagnostics: the config must not be applied.
    bool prepare(GatewayConfig &config, Diagnostics &diagnostics);
    // Publishes a compiled, prepared config to every worker (new requests use it; in-flight ones finish on
    // the old snapshot). Returns the new config version.
    quint64 apply(std::shared_ptr<GatewayConfig> config);

    State state() const { return m_state; }
    quint64 configVersion() const { return m_configVersion; }
    std::shared_ptr<const GatewayConfig> config() const { return m_config; }
    // The services of the running gateway (nullptr when stopped): key stores, counters, metrics.
    std::shared_ptr<GatewayServices> services() const { return m_services; }
    // The metrics of the workers and the engine; kept after stop() until the next start().
    std::shared_ptr<MetricsRegistry> metrics() const { return m_metrics; }
    // Everything /metrics shows, aggregated now (empty before the first start()).
    QList<MetricFamily> collectMetrics() const;
    QString projectDir() const { return m_options.projectDir; }
    quint16 httpPort() const { return m_httpPort; }
    quint16 httpsPort() const { return m_httpsPort; }
    quint16 adminPort() const;
    int workerCount() const { return int(m_workers.size()); }
    int activeConnections() const;
    QDateTime startedAt() const { return m_startedAt; }

    // Traced requests each worker may hold until the engine drains them (every 100 ms): more are
    // dropped and counted (gatehouse_traces_dropped_total{reason="ring_full"}). -1 (default):
    // telemetry.tracing.ringBuffer.capacity of gatehouse.yaml. Applies at once when running.
    void setTraceRingCapacity(int perWorker);
    int traceRingCapacity() const;
    // Request capture for Replay (telemetry.tracing.capture, off by default): true turns it on
    // whatever gatehouse.yaml says (the workbench, for its embedded gateway; gatehoused never
    // does). Captured requests reach traceBatch receivers only, never the OTLP exporter, and only
    // while someone is connected to traceBatch. Applies from the next drain (within 100 ms).
    void setCaptureForced(bool forced) { m_captureForced = forced; }
    bool isCaptureForced() const { return m_captureForced; }
    // The bytes kept of each body when capture is on now (0: capture is off).
    qint64 captureBodyBytes() const;

signals:
    void stateChanged(Gatehouse::GatewayEngine::State state);
    void configApplied(quint64 version);
    void reloadFailed(const QString &diagnostics);
    // Every second while running, when connected: the shards' counters summed on this thread
    // (no HTTP scrape). Cumulative since start(); consumers chart the differences.
    void metricsSnapshot(const Gatehouse::MetricsSnapshot &snapshot);
    // Sampled requests completed since the last batch, oldest first per worker; emitted at most
    // every 100 ms while running and once more when the workers stopped. Never for an empty list.
    void traceBatch(const QList<Gatehouse::TraceRecord> &records);

private:
    struct WorkerThread
    {
        QThread *thread = nullptr;
        Worker *worker = nullptr;   // lives on `thread`: reached only through `mailbox`
        ThreadMailbox mailbox;
    };
    bool openListeners(const ProjectSettings &settings, Diagnostics &diagnostics);
    void setState(State state);
    void onWorkerDrained();
    void teardown();
    void emitMetricsSnapshot();
    void applyTracing(const TracingSettings &tracing);
    void installTraceRings(int capacity);
    void retireExporter();
    void drainTraces();
    // Whether the rings keep records, explanations and captures: who reads them now.
    void tellRingsWhoReads();

    Options m_options;
    State m_state = State::Stopped;
    std::shared_ptr<const GatewayConfig> m_config;
    std::shared_ptr<GatewayServices> m_services;   // across reloads; created by start()
    std::shared_ptr<MetricsRegistry> m_metrics;    // one shard per worker; created by start()
    std::unique_ptr<AccessLog> m_accessLog;        // one queue per worker; while running
    // Tracing: the rings the workers write now, rings replaced by a capacity change (drained until
    // teardown, as a worker may still write one), the exporter (when an endpoint is configured).
    std::vector<std::unique_ptr<TraceRing>> m_traceRings;
    std::vector<std::unique_ptr<TraceRing>> m_retiredTraceRings;
    std::unique_ptr<OtlpExporter> m_exporter;
    QTimer *m_traceTimer = nullptr;
    int m_traceCapacityOverride = -1;
    int m_traceCapacity = -1;                      // of m_traceRings
    bool m_captureForced = false;
    quint64 m_traceDroppedBefore = 0;              // by rings and exporters already gone
    quint64 m_exportFailedBefore = 0, m_queueDroppedBefore = 0, m_exportedBefore = 0,
            m_spansExportedBefore = 0, m_retriesBefore = 0;
    quint64 m_configVersion = 0;
    QList<WorkerThread> m_workers;
    AdminServer *m_admin = nullptr;
    quint16 m_httpPort = 0;
    quint16 m_httpsPort = 0;
    int m_drainPending = 0;
    QDateTime m_startedAt;
    QTimer *m_snapshotTimer = nullptr;   // metricsSnapshot, while running
};

} // namespace Gatehouse
