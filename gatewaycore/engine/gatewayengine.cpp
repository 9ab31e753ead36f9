// GatewayEngine: worker threads, listeners, admin API, config snapshots and reloads.
#include "gatewayengine.h"

#include "admin/adminserver.h"
#include "pipeline/gatewayservices.h"
#include "pipeline/pipelinebuilder.h"
#include "project/project.h"
#include "proxy/epolleventdispatcher.h"
#include "proxy/listensocket.h"
#include "proxy/worker.h"
#include "security/secretresolver.h"
#include "security/tlscertificate.h"
#include "telemetry/accesslog.h"
#include "telemetry/metricsregistry.h"
#include "telemetry/otlpexporter.h"
#include "telemetry/tracering.h"

#include <QDir>
#include <QEventLoop>
#include <QHostAddress>
#include <QMetaMethod>
#include <QThread>
#include <QTimer>

#include <algorithm>

namespace Gatehouse {

namespace {

QString absoluteIn(const QString &projectDir, const QString &path)
{
    return QDir::isAbsolutePath(path) ? path : QDir(projectDir).filePath(path);
}

QHostAddress listenAddress(const QString &text, const char *fallback)
{
    const QHostAddress a(text.isEmpty() ? QString::fromLatin1(fallback) : text);
    return a.isNull() ? QHostAddress(QString::fromLatin1(fallback)) : a;
}

// The exporter a tracing section asks for; headers whose secret cannot be read are left out
// (prepare() reported them).
OtlpExporterOptions exporterOptions(const TracingSettings &t, const QString &projectDir)
{
    OtlpExporterOptions o;
    o.endpoint = t.otlp.endpoint;
    o.serviceName = t.serviceName;
    o.timeout = t.otlp.timeout;
    o.batchSize = t.otlp.batchSize;
    o.queueSize = t.otlp.queueSize;
    for (const OtlpHeader &h : t.otlp.headers) {
        if (auto value = resolveSecret(h.value, projectDir))
            o.headers.append({h.name.toLatin1(), *value});
    }
    return o;
}

bool sameExporter(const OtlpExporterOptions &a, const OtlpExporterOptions &b)
{
    return a.endpoint == b.endpoint && a.headers == b.headers && a.serviceName == b.serviceName
           && a.timeout == b.timeout && a.batchSize == b.batchSize && a.queueSize == b.queueSize;
}

// How often the engine drains the workers' trace rings (and emits traceBatch).
constexpr std::chrono::milliseconds kTraceDrainInterval{100};

} // namespace

GatewayEngine::GatewayEngine(QObject *parent) : QObject(parent) {}

GatewayEngine::~GatewayEngine()
{
    teardown();
}

quint16 GatewayEngine::adminPort() const
{
    return m_admin ? m_admin->port() : 0;
}

int GatewayEngine::activeConnections() const
{
    int n = 0;
    for (const WorkerThread &w : m_workers)
        n += w.worker->activeConnections();
    return n;
}

QList<MetricFamily> GatewayEngine::collectMetrics() const
{
    if (!m_metrics)
        return {};
    ScrapeInputs inputs;
    inputs.activeConnections = activeConnections();
    inputs.configVersion = m_configVersion;
    if (m_accessLog) {
        inputs.accessLogEnabled = m_accessLog->isEnabled();
        inputs.accessLogDropped = m_accessLog->dropped();
    }
    inputs.tracingEnabled = m_config && m_config->settings.telemetry.tracing.enabled;
    inputs.traceRingDropped = m_traceDroppedBefore;
    for (const auto *rings : {&m_traceRings, &m_retiredTraceRings}) {
        for (const auto &ring : *rings)
            inputs.traceRingDropped += ring->dropped();
    }
    inputs.traceExportEnabled = m_exporter != nullptr || m_exportedBefore + m_exportFailedBefore > 0;
    inputs.traceQueueDropped = m_queueDroppedBefore;
    inputs.traceExportFailed = m_exportFailedBefore;
    inputs.traceExportedRequests = m_exportedBefore;
    inputs.traceExportedSpans = m_spansExportedBefore;
    inputs.traceExportRetries = m_retriesBefore;
    if (m_exporter) {
        const OtlpExporterStats st = m_exporter->stats();
        inputs.traceQueueDropped += st.droppedQueueFull;
        inputs.traceExportFailed += st.droppedFailed;
        inputs.traceExportedRequests += st.exportedRequests;
        inputs.traceExportedSpans += st.exportedSpans;
        inputs.traceExportRetries += st.retries;
    }
    return m_metrics->collect(inputs);
}

void GatewayEngine::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

bool GatewayEngine::start(const Options &options, Diagnostics &diagnostics)
{
    if (m_state != State::Stopped) {
        diagnostics.error({}, QStringLiteral("the gateway is already running"));
        return false;
    }
    m_options = options;
    setState(State::Starting);

    const Project project = Project::load(options.projectDir, diagnostics);
    std::shared_ptr<GatewayConfig> config;
    if (!diagnostics.hasErrors())
        config = compileProject(project, diagnostics);
    if (!config) {
        setState(State::Stopped);
        return false;
    }
    m_options.projectDir = project.rootDir;

    int workers = options.workers > 0 ? options.workers : config->settings.workers;
    if (workers <= 0)
        workers = qMax(1, QThread::idealThreadCount());
    m_services = std::make_shared<GatewayServices>(workers, m_options.projectDir);
    m_metrics = std::make_shared<MetricsRegistry>(workers);
    m_traceDroppedBefore = m_exportFailedBefore = m_queueDroppedBefore = m_exportedBefore = 0;
    m_spansExportedBefore = m_retriesBefore = 0;
    m_accessLog = std::make_unique<AccessLog>(workers, m_metrics);
    if (!prepare(*config, diagnostics)) {
        m_services.reset();
        setState(State::Stopped);
        return false;
    }
    for (int i = 0; i < workers; ++i) {
        WorkerThread wt;
        wt.thread = new QThread;
        wt.thread->setObjectName(QStringLiteral("gatehouse-worker-%1").arg(i));
        wt.thread->setEventDispatcher(new EpollEventDispatcher);
        wt.worker = new Worker(i, m_metrics->shard(i), m_accessLog->queue(i));
        wt.worker->moveToThread(wt.thread);
        wt.mailbox = ThreadMailbox::create(wt.thread);
        connect(wt.worker, &Worker::drained, this, &GatewayEngine::onWorkerDrained, Qt::QueuedConnection);
        wt.thread->start();
        m_workers.append(wt);
    }
    apply(config);

    if (!openListeners(config->settings, diagnostics)) {
        teardown();
        setState(State::Stopped);
        return false;
    }
    if (options.admin && config->settings.listeners.admin.enabled) {
        m_admin = new AdminServer(this, this);
        const ListenerSettings &a = config->settings.listeners.admin;
        const quint16 port = options.adminPort.value_or(a.port);
        if (auto r = m_admin->listen(listenAddress(a.address, "127.0.0.1"), port); !r) {
            diagnostics.error(a.location, r.error().message);
            teardown();
            setState(State::Stopped);
            return false;
        }
    }
    m_startedAt = QDateTime::currentDateTimeUtc();
    if (!m_snapshotTimer) {
        m_snapshotTimer = new QTimer(this);
        m_snapshotTimer->setInterval(std::chrono::seconds(1));
        connect(m_snapshotTimer, &QTimer::timeout, this, &GatewayEngine::emitMetricsSnapshot);
    }
    m_snapshotTimer->start();
    setState(State::Running);
    return true;
}

bool GatewayEngine::openListeners(const ProjectSettings &settings, Diagnostics &diagnostics)
{
    const Listeners &l = settings.listeners;
    auto openAll = [&](const ListenerSettings &ls, quint16 port, bool tls, quint16 &boundPort) {
        const QHostAddress address = listenAddress(ls.address, "0.0.0.0");
        if (auto free = checkPortFree(address, port); !free) {
            diagnostics.error(ls.location, free.error().message);
            return false;
        }
        for (const WorkerThread &w : std::as_const(m_workers)) {
            auto sock = openListenSocket(address, port);
            if (!sock) {
                diagnostics.error(ls.location, sock.error().message);
                return false;
            }
            port = sock->port;   // workers after the first share the port the first one got
            boundPort = sock->port;
            const int fd = sock->fd;
            w.mailbox.post([worker = w.worker, fd, tls] { worker->addListener(fd, tls); });
        }
        return true;
    };

    if (l.http.enabled && !openAll(l.http, m_options.httpPort.value_or(l.http.port), false, m_httpPort))
        return false;
    if (m_options.https && l.https.enabled) {
        const QString cert = absoluteIn(m_options.projectDir, l.https.certificateFile.isEmpty()
                                                                  ? QStringLiteral("keys/server.crt")
                                                                  : l.https.certificateFile);
        const QString key = absoluteIn(m_options.projectDir, l.https.privateKeyFile.isEmpty()
                                                                 ? QStringLiteral("keys/server.key")
                                                                 : l.https.privateKeyFile);
        if (auto r = ensureSelfSignedCertificate(cert, key); !r) {
            diagnostics.error(l.https.location, r.error().message);
            return false;
        }
        auto tls = serverTlsConfiguration(cert, key, l.https.clientCertificates,
                                          l.https.clientCaFile.isEmpty() ? QString()
                                                                         : absoluteIn(m_options.projectDir, l.https.clientCaFile),
                                          l.https.alpn);
        if (!tls) {
            diagnostics.error(l.https.location, tls.error().message);
            return false;
        }
        for (const WorkerThread &w : std::as_const(m_workers)) {
            w.mailbox.post([worker = w.worker, c = *tls] { worker->setServerTls(c); });
        }
        if (!openAll(l.https, m_options.httpsPort.value_or(l.https.port), true, m_httpsPort))
            return false;
    }
    return true;
}

bool GatewayEngine::prepare(GatewayConfig &config, Diagnostics &diagnostics)
{
    const int errorsBefore = diagnostics.errorCount();
    for (const OtlpHeader &h : config.settings.telemetry.tracing.otlp.headers) {
        if (auto value = resolveSecret(h.value, m_options.projectDir); !value)
            diagnostics.error(h.value.location, value.error().message);
    }
    m_services->configure(config, diagnostics);
    buildFilterChains(config, *m_services, diagnostics);
    return diagnostics.errorCount() == errorsBefore;
}

quint64 GatewayEngine::apply(std::shared_ptr<GatewayConfig> config)
{
    config->version = ++m_configVersion;
    m_config = config;
    if (m_accessLog)
        m_accessLog->configure(config->settings.telemetry.accessLog, m_options.projectDir);
    applyTracing(config->settings.telemetry.tracing);
    // limits.maxConnections is per process: each worker takes an even share (rounded up).
    const int maxConnections = config->settings.limits.maxConnections;
    const int workers = int(m_workers.size());
    const int perWorker = maxConnections > 0 && workers > 0 ? (maxConnections + workers - 1) / workers : 0;
    for (const WorkerThread &w : std::as_const(m_workers)) {
        w.mailbox.post([worker = w.worker, c = m_config, perWorker] {
            worker->setConnectionLimit(perWorker);
            worker->applyConfig(c);
        });
    }
    emit configApplied(m_configVersion);
    return m_configVersion;
}

bool GatewayEngine::reload(Diagnostics &diagnostics)
{
    if (m_state != State::Running) {
        diagnostics.error({}, QStringLiteral("the gateway is not running"));
        return false;
    }
    const Project project = Project::load(m_options.projectDir, diagnostics);
    std::shared_ptr<GatewayConfig> config;
    if (!diagnostics.hasErrors())
        config = compileProject(project, diagnostics);
    if (!config || !prepare(*config, diagnostics)) {
        m_metrics->countReload(false);
        diagnostics.sort();
        emit reloadFailed(diagnostics.toString());
        return false;
    }
    const Listeners &now = config->settings.listeners, &before = m_config->settings.listeners;
    if (now.http.port != before.http.port || now.https.port != before.https.port
        || now.http.address != before.http.address || now.https.address != before.https.address
        || now.http.enabled != before.http.enabled || now.https.enabled != before.https.enabled) {
        diagnostics.warning({config->settings.file, 0, 0},
                            QStringLiteral("listener changes take effect after a restart; the gateway "
                                           "keeps its current ports"));
    }
    apply(config);
    m_metrics->countReload(true);
    return true;
}

void GatewayEngine::stop()
{
    if (m_state != State::Running)
        return;
    setState(State::Stopping);
    delete m_admin;
    m_admin = nullptr;
    m_drainPending = int(m_workers.size());
    const auto timeout = m_config ? m_config->settings.limits.drainTimeout : std::chrono::milliseconds(10'000);
    for (const WorkerThread &w : std::as_const(m_workers)) {
        w.mailbox.post([worker = w.worker, timeout] { worker->drain(timeout); });
    }
    if (m_drainPending == 0)
        onWorkerDrained();
}

void GatewayEngine::onWorkerDrained()
{
    if (m_state != State::Stopping)
        return;
    if (--m_drainPending > 0)
        return;
    teardown();
    setState(State::Stopped);
}

void GatewayEngine::stopAndWait()
{
    if (m_state == State::Running)
        stop();
    if (m_state != State::Stopping)
        return;
    QEventLoop loop;
    connect(this, &GatewayEngine::stateChanged, &loop, [&loop](State s) {
        if (s == State::Stopped)
            loop.quit();
    });
    // Workers cut connections at their drain deadline; this bound is only a safety net.
    const auto timeout = m_config ? m_config->settings.limits.drainTimeout : std::chrono::milliseconds(10'000);
    QTimer::singleShot(timeout + std::chrono::seconds(5), &loop, &QEventLoop::quit);
    loop.exec();
    if (m_state != State::Stopped) {
        teardown();
        setState(State::Stopped);
    }
}

void GatewayEngine::emitMetricsSnapshot()
{
    // The daemon has no chart: nobody connected, nothing summed.
    if (!m_metrics || !isSignalConnected(QMetaMethod::fromSignal(&GatewayEngine::metricsSnapshot)))
        return;
    MetricsSnapshot snapshot = MetricsSnapshot::take(*m_metrics);
    snapshot.activeConnections = activeConnections();
    snapshot.configVersion = m_configVersion;
    emit metricsSnapshot(snapshot);
}

void GatewayEngine::teardown()
{
    if (m_snapshotTimer)
        m_snapshotTimer->stop();
    delete m_admin;
    m_admin = nullptr;
    for (const WorkerThread &w : std::as_const(m_workers)) {
        // Destroy the worker on its own thread: it owns sockets and timers that live there.
        w.mailbox.stopThread(w.thread, [worker = w.worker] { delete worker; });
        delete w.thread;
    }
    m_workers.clear();
    // The workers are gone: what they traced last goes out, then the exporter sends what it holds.
    drainTraces();
    delete m_traceTimer;
    m_traceTimer = nullptr;
    retireExporter();
    for (auto *rings : {&m_traceRings, &m_retiredTraceRings}) {
        for (const auto &ring : *rings)
            m_traceDroppedBefore += ring->dropped();
        rings->clear();
    }
    m_traceCapacity = -1;
    m_config.reset();   // its filters hold services; both go once no worker runs
    m_services.reset();
    m_accessLog.reset();   // writes what the workers queued
    m_httpPort = m_httpsPort = 0;
}

void GatewayEngine::setTraceRingCapacity(int perWorker)
{
    m_traceCapacityOverride = perWorker < 0 ? -1 : perWorker;
    if (m_config && !m_workers.isEmpty())
        applyTracing(m_config->settings.telemetry.tracing);
}

int GatewayEngine::traceRingCapacity() const
{
    if (m_traceCapacityOverride >= 0)
        return m_traceCapacityOverride;
    return m_config ? m_config->settings.telemetry.tracing.ringBufferCapacity
                    : TracingSettings().ringBufferCapacity;
}

void GatewayEngine::applyTracing(const TracingSettings &tracing)
{
    installTraceRings(tracing.enabled ? traceRingCapacity() : 0);
    if (!tracing.enabled || tracing.otlp.endpoint.isEmpty()) {
        retireExporter();
    } else {
        OtlpExporterOptions options = exporterOptions(tracing, m_options.projectDir);
        if (!m_exporter || !sameExporter(m_exporter->options(), options)) {
            retireExporter();
            m_exporter = std::make_unique<OtlpExporter>(std::move(options));
        }
    }
    if (!m_traceTimer) {
        m_traceTimer = new QTimer(this);
        m_traceTimer->setInterval(kTraceDrainInterval);
        connect(m_traceTimer, &QTimer::timeout, this, &GatewayEngine::drainTraces);
        m_traceTimer->start();
    }
    // The rings follow the new config at once (not only from the next drain): the first request
    // after a start or reload is traced and captured as configured.
    tellRingsWhoReads();
}

void GatewayEngine::tellRingsWhoReads()
{
    // Nobody reads records (no exporter, nothing connected to traceBatch): workers skip them.
    static const QMetaMethod batchSignal = QMetaMethod::fromSignal(&GatewayEngine::traceBatch);
    const bool explaining = isSignalConnected(batchSignal);   // the exporter has no use for decisions
    const bool consuming = m_exporter || explaining;
    // Captures are for traceBatch receivers alone: without one, nothing is captured.
    const qint64 captureBytes = explaining ? captureBodyBytes() : 0;
    for (const auto &ring : m_traceRings) {
        ring->setConsuming(consuming);
        ring->setExplaining(explaining);
        ring->setCaptureBytes(captureBytes);
    }
}

void GatewayEngine::retireExporter()
{
    if (!m_exporter)
        return;
    m_exporter->shutdown();   // sends what it holds first
    const OtlpExporterStats st = m_exporter->stats();
    m_queueDroppedBefore += st.droppedQueueFull;
    m_exportFailedBefore += st.droppedFailed;
    m_exportedBefore += st.exportedRequests;
    m_spansExportedBefore += st.exportedSpans;
    m_retriesBefore += st.retries;
    m_exporter.reset();
}

void GatewayEngine::installTraceRings(int capacity)
{
    if (capacity == m_traceCapacity && m_traceRings.size() == size_t(m_workers.size()))
        return;
    // A worker may be filling a slot of its old ring right now: the old rings stay (and are
    // drained) until teardown; the workers switch on their own thread.
    for (auto &ring : m_traceRings)
        m_retiredTraceRings.push_back(std::move(ring));
    m_traceRings.clear();
    for (const WorkerThread &w : std::as_const(m_workers)) {
        m_traceRings.push_back(std::make_unique<TraceRing>(capacity));
        w.mailbox.post([worker = w.worker, ring = m_traceRings.back().get()] {
            worker->setTraceRing(ring->isEnabled() ? ring : nullptr);
        });
    }
    m_traceCapacity = capacity;
}

qint64 GatewayEngine::captureBodyBytes() const
{
    if (!m_config || !m_config->settings.telemetry.tracing.enabled)
        return 0;
    const CaptureSettings &capture = m_config->settings.telemetry.tracing.capture;
    return m_captureForced || capture.enabled ? capture.maxBodyBytes : 0;
}

void GatewayEngine::drainTraces()
{
    tellRingsWhoReads();
    QList<TraceRecord> batch;
    for (const auto *rings : {&m_retiredTraceRings, &m_traceRings}) {
        for (const auto &ring : *rings)
            ring->drainInto(batch);
    }
    if (batch.isEmpty())
        return;
    if (m_exporter) {
        // Unredacted captures never reach the exporter, not even its queue.
        const bool captured = std::any_of(batch.cbegin(), batch.cend(),
                                          [](const TraceRecord &r) { return r.capture.present; });
        if (captured) {
            QList<TraceRecord> exported = batch;
            for (TraceRecord &r : exported)
                r.capture = TraceCapture();
            m_exporter->enqueue(exported);
        } else {
            m_exporter->enqueue(batch);
        }
    }
    emit traceBatch(batch);
}

} // namespace Gatehouse
