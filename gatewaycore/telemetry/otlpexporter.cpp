// The OTLP/HTTP JSON trace exporter: the queue, the sender thread, the JSON encoding.
#include "otlpexporter.h"

#include "base/version.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <unistd.h>

namespace Gatehouse {

namespace {

// OTLP SpanKind and StatusCode numbers (opentelemetry/proto/trace/v1/trace.proto).
constexpr int kSpanKindInternal = 1;
constexpr int kSpanKindServer = 2;
constexpr int kSpanKindClient = 3;
constexpr int kStatusError = 2;

QJsonObject attribute(const QString &key, const QString &value)
{
    return {{QStringLiteral("key"), key}, {QStringLiteral("value"), QJsonObject{{QStringLiteral("stringValue"), value}}}};
}

QJsonObject attribute(const QString &key, qint64 value)
{
    // int64 travels as a decimal string in OTLP/JSON (as protobuf's JSON mapping allows).
    return {{QStringLiteral("key"), key},
            {QStringLiteral("value"), QJsonObject{{QStringLiteral("intValue"), QString::number(value)}}}};
}

QString latin1(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

QString nanos(qint64 ns)
{
    return QString::number(ns);
}

QString protocolVersion(const QByteArray &protocol)
{
    const qsizetype slash = protocol.indexOf('/');
    return slash < 0 ? latin1(protocol) : latin1(protocol.sliced(slash + 1));
}

QJsonObject serverSpan(const TraceRecord &r)
{
    QJsonArray attrs;
    attrs.append(attribute(QStringLiteral("http.request.method"), latin1(r.method)));
    const qsizetype q = r.target.indexOf('?');
    attrs.append(attribute(QStringLiteral("url.path"), latin1(q < 0 ? r.target : r.target.first(q))));
    if (!r.route.isEmpty())
        attrs.append(attribute(QStringLiteral("http.route"), latin1(r.route)));
    if (r.status != 0)
        attrs.append(attribute(QStringLiteral("http.response.status_code"), qint64(r.status)));
    attrs.append(attribute(QStringLiteral("network.protocol.version"), protocolVersion(r.protocol)));
    if (!r.peer.isEmpty())
        attrs.append(attribute(QStringLiteral("client.address"), latin1(r.peer)));
    if (!r.api.isEmpty())
        attrs.append(attribute(QStringLiteral("gatehouse.api"), latin1(r.api)));
    if (!r.caller.isEmpty())
        attrs.append(attribute(QStringLiteral("enduser.id"), r.caller));
    if (!r.error.isEmpty())
        attrs.append(attribute(QStringLiteral("error.type"), r.error));
    attrs.append(attribute(QStringLiteral("gatehouse.worker"), qint64(r.worker)));

    QJsonObject span{
        {QStringLiteral("traceId"), latin1(r.traceId.toHex())},
        {QStringLiteral("spanId"), latin1(spanIdHex(r.spanId))},
        {QStringLiteral("name"), r.route.isEmpty() ? latin1(r.method) : latin1(r.method + ' ' + r.route)},
        {QStringLiteral("kind"), kSpanKindServer},
        {QStringLiteral("startTimeUnixNano"), nanos(r.startUnixNs)},
        {QStringLiteral("endTimeUnixNano"), nanos(r.startUnixNs + r.durationNs)},
        {QStringLiteral("attributes"), attrs},
    };
    if (r.parentSpanId != 0)
        span.insert(QStringLiteral("parentSpanId"), latin1(spanIdHex(r.parentSpanId)));
    if (!r.traceState.isEmpty())
        span.insert(QStringLiteral("traceState"), latin1(r.traceState));
    // OpenTelemetry's HTTP server convention: 5xx (and no response at all) are errors, 4xx not.
    if (r.status == 0 || r.status >= 500)
        span.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("code"), kStatusError}});
    return span;
}

QJsonObject childSpan(const TraceRecord &r, const TraceSpanRecord &s)
{
    const bool client = s.kind == TraceSpanKind::Upstream;
    QJsonArray attrs;
    attrs.append(attribute(QStringLiteral("gatehouse.phase"), QString(phaseName(s.phase))));
    if (client && !r.upstream.isEmpty())
        attrs.append(attribute(QStringLiteral("server.address"), latin1(r.upstream)));
    const SpanId parent = s.parent >= 0 && s.parent < r.spans.size() ? r.spans.at(s.parent).spanId : r.spanId;
    QJsonObject span{
        {QStringLiteral("traceId"), latin1(r.traceId.toHex())},
        {QStringLiteral("spanId"), latin1(spanIdHex(s.spanId))},
        {QStringLiteral("parentSpanId"), latin1(spanIdHex(parent))},
        {QStringLiteral("name"), latin1(s.name)},
        {QStringLiteral("kind"), client ? kSpanKindClient : kSpanKindInternal},
        {QStringLiteral("startTimeUnixNano"), nanos(r.startUnixNs + s.startOffsetNs)},
        {QStringLiteral("endTimeUnixNano"), nanos(r.startUnixNs + s.startOffsetNs + s.durationNs)},
        {QStringLiteral("attributes"), attrs},
    };
    if (s.error)
        span.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("code"), kStatusError}});
    return span;
}

} // namespace

// ---------------------------------------------------------------- sender (its own thread)

class OtlpSender : public QObject
{
public:
    explicit OtlpSender(OtlpExporter *exporter) : m_exporter(exporter) {}

    // On the sender thread, once it runs.
    void init()
    {
        m_network = new QNetworkAccessManager(this);
        m_flush = new QTimer(this);
        m_flush->setInterval(m_exporter->m_options.flushInterval);
        connect(m_flush, &QTimer::timeout, this, &OtlpSender::kick);
        m_flush->start();
        m_retry = new QTimer(this);
        m_retry->setSingleShot(true);
        connect(m_retry, &QTimer::timeout, this, [this] { send(); });
    }

    // Sends the next batch unless one is in flight or waiting for its retry.
    void kick()
    {
        if (m_reply || m_retry->isActive())
            return;
        if (m_batch.isEmpty()) {
            m_records = m_exporter->takeBatch();
            if (m_records.isEmpty())
                return;
            m_batch = OtlpExporter::toJson(m_records, m_exporter->m_options.serviceName);
            m_attempt = 0;
        }
        send();
    }

    // Before the thread stops: what is queued goes out, one attempt per batch, within the timeout.
    void finish()
    {
        m_flush->stop();
        m_retry->stop();
        QEventLoop loop;
        QTimer deadline;
        deadline.setSingleShot(true);
        connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        deadline.start(qMin(m_exporter->m_options.timeout, std::chrono::milliseconds(2'000)));
        m_finishing = true;
        while (deadline.isActive()) {
            if (!m_reply)
                kick();
            if (!m_reply)
                break;
            // After onFinished (connected first), which clears m_reply.
            connect(m_reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
        }
        if (m_reply) {
            m_reply->abort();   // counted as failed in onFinished
        }
        dropBatch();
        const QList<TraceRecord> rest = m_exporter->takeAll();
        m_exporter->m_droppedFailed.fetch_add(quint64(rest.size()), std::memory_order_relaxed);
        delete m_network;
        m_network = nullptr;
    }

private:
    void send()
    {
        const OtlpExporterOptions &o = m_exporter->m_options;
        QNetworkRequest request(o.endpoint);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setHeader(QNetworkRequest::UserAgentHeader,
                          QStringLiteral("%1/%2").arg(productName(), versionString()));
        for (const auto &h : o.headers)
            request.setRawHeader(h.first, h.second);
        request.setTransferTimeout(int(o.timeout.count()));
        if (o.endpoint.scheme() == QLatin1String("http"))
            request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        ++m_attempt;
        m_reply = m_network->post(request, m_batch);
        connect(m_reply, &QNetworkReply::finished, this, &OtlpSender::onFinished);
    }

    void onFinished()
    {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 200 && status < 300) {
            m_exporter->m_exportedRequests.fetch_add(quint64(m_records.size()), std::memory_order_relaxed);
            quint64 spans = 0;
            for (const TraceRecord &r : std::as_const(m_records))
                spans += 1 + quint64(r.spans.size());
            m_exporter->m_exportedSpans.fetch_add(spans, std::memory_order_relaxed);
            m_records.clear();
            m_batch.clear();
            if (!m_finishing)
                QMetaObject::invokeMethod(this, &OtlpSender::kick, Qt::QueuedConnection);
            return;
        }
        // OTLP/HTTP: 429, 502, 503, 504 and failures to reach the collector are retryable;
        // every other answer (400: a request the collector cannot use) is final.
        const bool retryable = status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
        if (!retryable || m_finishing || m_attempt >= m_exporter->m_options.maxAttempts) {
            dropBatch();
            if (!m_finishing)
                QMetaObject::invokeMethod(this, &OtlpSender::kick, Qt::QueuedConnection);
            return;
        }
        m_exporter->m_retries.fetch_add(1, std::memory_order_relaxed);
        m_retry->start(backoff(reply));
    }

    std::chrono::milliseconds backoff(QNetworkReply *reply) const
    {
        const OtlpExporterOptions &o = m_exporter->m_options;
        // Retry-After in seconds, when the collector says when (bounded by maxBackoff).
        bool ok = false;
        const int after = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
        if (ok && after >= 0)
            return qMin(std::chrono::milliseconds(qint64(after) * 1000), o.maxBackoff);
        // initialBackoff * 2^(attempt-1), capped, with +-20 % jitter so replicas do not sync up.
        auto delay = o.initialBackoff;
        for (int i = 1; i < m_attempt && delay < o.maxBackoff; ++i)
            delay *= 2;
        delay = qMin(delay, o.maxBackoff);
        const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
        return std::chrono::milliseconds(qMax<qint64>(1, qint64(double(delay.count()) * jitter)));
    }

    void dropBatch()
    {
        m_exporter->m_droppedFailed.fetch_add(quint64(m_records.size()), std::memory_order_relaxed);
        m_records.clear();
        m_batch.clear();
    }

    OtlpExporter *m_exporter;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_flush = nullptr;
    QTimer *m_retry = nullptr;
    QPointer<QNetworkReply> m_reply;
    QList<TraceRecord> m_records;   // the batch in flight or waiting for its retry
    QByteArray m_batch;             // its JSON
    int m_attempt = 0;
    bool m_finishing = false;
};

// ---------------------------------------------------------------- exporter

OtlpExporter::OtlpExporter(OtlpExporterOptions options) : m_options(std::move(options))
{
    m_options.batchSize = qMax(1, m_options.batchSize);
    m_options.queueSize = qMax(m_options.batchSize, m_options.queueSize);
    m_options.maxAttempts = qMax(1, m_options.maxAttempts);
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("gatehouse-otlp"));
    m_sender = new OtlpSender(this);
    m_sender->moveToThread(m_thread);
    m_thread->start();
    QMetaObject::invokeMethod(m_sender, [s = m_sender] { s->init(); }, Qt::QueuedConnection);
}

OtlpExporter::~OtlpExporter()
{
    shutdown();
    delete m_thread;
}

void OtlpExporter::shutdown()
{
    if (m_stopped.exchange(true))
        return;
    QMetaObject::invokeMethod(m_sender, [s = m_sender] { s->finish(); delete s; },
                              Qt::BlockingQueuedConnection);
    m_sender = nullptr;
    m_thread->quit();
    m_thread->wait();
}

void OtlpExporter::enqueue(QList<TraceRecord> records)
{
    if (records.isEmpty())
        return;
    if (m_stopped.load(std::memory_order_relaxed)) {
        m_droppedFailed.fetch_add(quint64(records.size()), std::memory_order_relaxed);
        return;
    }
    bool full = false;
    {
        QMutexLocker lock(&m_mutex);
        const qsizetype room = qMax<qsizetype>(0, m_options.queueSize - qsizetype(m_queue.size()));
        const qsizetype take = qMin(room, records.size());
        for (qsizetype i = 0; i < take; ++i)
            m_queue.push_back(std::move(records[i]));
        if (take < records.size())
            m_droppedQueueFull.fetch_add(quint64(records.size() - take), std::memory_order_relaxed);
        full = qsizetype(m_queue.size()) >= m_options.batchSize;
    }
    if (full)
        QMetaObject::invokeMethod(m_sender, [s = m_sender] { s->kick(); }, Qt::QueuedConnection);
}

QList<TraceRecord> OtlpExporter::takeBatch()
{
    QMutexLocker lock(&m_mutex);
    QList<TraceRecord> batch;
    const qsizetype n = qMin(qsizetype(m_queue.size()), qsizetype(m_options.batchSize));
    batch.reserve(n);
    for (qsizetype i = 0; i < n; ++i) {
        batch.append(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    return batch;
}

QList<TraceRecord> OtlpExporter::takeAll()
{
    QMutexLocker lock(&m_mutex);
    QList<TraceRecord> all;
    all.reserve(qsizetype(m_queue.size()));
    for (TraceRecord &r : m_queue)
        all.append(std::move(r));
    m_queue.clear();
    return all;
}

int OtlpExporter::queued() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_queue.size());
}

OtlpExporterStats OtlpExporter::stats() const
{
    OtlpExporterStats s;
    s.exportedRequests = m_exportedRequests.load(std::memory_order_relaxed);
    s.exportedSpans = m_exportedSpans.load(std::memory_order_relaxed);
    s.droppedQueueFull = m_droppedQueueFull.load(std::memory_order_relaxed);
    s.droppedFailed = m_droppedFailed.load(std::memory_order_relaxed);
    s.retries = m_retries.load(std::memory_order_relaxed);
    return s;
}

QByteArray OtlpExporter::toJson(const QList<TraceRecord> &records, const QString &serviceName)
{
    QJsonArray spans;
    for (const TraceRecord &r : records) {
        spans.append(serverSpan(r));
        for (const TraceSpanRecord &s : r.spans)
            spans.append(childSpan(r, s));
    }
    static const QString host = QHostInfo::localHostName();
    const QJsonArray resourceAttrs{
        attribute(QStringLiteral("service.name"), serviceName),
        attribute(QStringLiteral("service.version"), versionString()),
        attribute(QStringLiteral("host.name"), host),
        attribute(QStringLiteral("process.pid"), qint64(::getpid())),
    };
    const QJsonObject scopeSpans{
        {QStringLiteral("scope"), QJsonObject{{QStringLiteral("name"), QStringLiteral("gatehouse")},
                                              {QStringLiteral("version"), versionString()}}},
        {QStringLiteral("spans"), spans},
    };
    const QJsonObject resourceSpans{
        {QStringLiteral("resource"), QJsonObject{{QStringLiteral("attributes"), resourceAttrs}}},
        {QStringLiteral("scopeSpans"), QJsonArray{scopeSpans}},
    };
    const QJsonObject request{{QStringLiteral("resourceSpans"), QJsonArray{resourceSpans}}};
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

} // namespace Gatehouse
