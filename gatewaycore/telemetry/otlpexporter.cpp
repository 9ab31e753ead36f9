// The OTLP/HTTP JSON trace exporter: the queue, the sender thread, the JSON encoding.
#include "otlpexporter.h"

#include "base/version.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QHostInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <charconv>
#include <cstring>

#include <unistd.h>

namespace Gatehouse {

namespace {

// OTLP SpanKind and StatusCode numbers (opentelemetry/proto/trace/v1/trace.proto).
constexpr int kSpanKindInternal = 1;
constexpr int kSpanKindServer = 2;
constexpr int kSpanKindClient = 3;
constexpr int kStatusError = 2;

// OTLP/JSON written straight into one buffer through a pointer: building QJsonObjects for every
// span cost more than everything else of an export, and so did a QByteArray::append per byte.
class OtlpJsonWriter
{
public:
    explicit OtlpJsonWriter(QByteArray &out) : m_out(out), m_size(out.size()) {}
    // Cuts the buffer to what was written; call once at the end.
    void finish() { m_out.resize(m_size); }

    // A JSON string of UTF-8 bytes: quotes, backslashes and control bytes escaped; invalid UTF-8
    // replaced (U+FFFD), as a protobuf JSON parser refuses it.
    void string(QByteArrayView utf8)
    {
        put('"');
        stringBody(utf8);
        put('"');
    }
    // One string of two parts joined by a space ("GET /route"), without building it first.
    void string(QByteArrayView first, QByteArrayView second)
    {
        put('"');
        stringBody(first);
        put(' ');
        stringBody(second);
        put('"');
    }
    void text(const QString &text) { string(text.toUtf8()); }
    void raw(QByteArrayView bytes)
    {
        if (bytes.isEmpty())
            return;
        std::memcpy(room(bytes.size()), bytes.data(), size_t(bytes.size()));
        m_size += bytes.size();
    }
    void put(char c)
    {
        *room(1) = c;
        ++m_size;
    }
    void number(qint64 n)
    {
        char *w = room(24);
        m_size = std::to_chars(w, w + 24, n).ptr - m_out.data();
    }
    void decimalString(qint64 n)   // int64/fixed64 travel as strings in OTLP/JSON
    {
        put('"');
        number(n);
        put('"');
    }
    void hex(const TraceId &id)
    {
        char *w = room(34);
        *w = '"';
        w = writeHex(w + 1, id);
        *w = '"';
        m_size += 34;
    }
    void hex(SpanId id)
    {
        char *w = room(18);
        *w = '"';
        w = writeHex(w + 1, id);
        *w = '"';
        m_size += 18;
    }

    // {"key":"k","value":{"stringValue":"v"}}
    void stringAttribute(QByteArrayView name, QByteArrayView utf8)
    {
        comma();
        raw("{\"key\":\"");
        raw(name);
        raw("\",\"value\":{\"stringValue\":");
        string(utf8);
        raw("}}");
    }
    void textAttribute(QByteArrayView name, const QString &text) { stringAttribute(name, QByteArrayView(text.toUtf8())); }
    void intAttribute(QByteArrayView name, qint64 value)
    {
        comma();
        raw("{\"key\":\"");
        raw(name);
        raw("\",\"value\":{\"intValue\":");
        decimalString(value);
        raw("}}");
    }
    void beginList() { m_first = true; }
    void comma()
    {
        if (!m_first)
            put(',');
        m_first = false;
    }

private:
    // Where the next `n` bytes go: the buffer grows (doubling) when they do not fit.
    char *room(qsizetype n)
    {
        if (m_size + n > m_out.size())
            m_out.resize(qMax(m_size + n, qMax(m_out.capacity(), 2 * m_out.size() + 256)));
        return m_out.data() + m_size;
    }

    void stringBody(QByteArrayView utf8)
    {
        for (char c : utf8) {
            if (quint8(c) >= 0x80) {
                escaped(QString::fromUtf8(utf8).toUtf8());   // invalid sequences become U+FFFD
                return;
            }
        }
        escaped(utf8);
    }

    void escaped(QByteArrayView utf8)
    {
        static constexpr char kHex[] = "0123456789abcdef";
        char *const start = room(6 * utf8.size());   // the longest escape is 6 bytes
        char *w = start;
        for (char c : utf8) {
            const auto u = quint8(c);
            if (c == '"' || c == '\\') {
                *w++ = '\\';
                *w++ = c;
            } else if (u < 0x20 || u == 0x7f) {
                std::memcpy(w, "\\u00", 4);
                w[4] = kHex[u >> 4];
                w[5] = kHex[u & 0x0f];
                w += 6;
            } else {
                *w++ = c;
            }
        }
        m_size += w - start;
    }

    QByteArray &m_out;
    qsizetype m_size;
    bool m_first = true;
};

QByteArrayView protocolVersion(const QByteArray &protocol)
{
    const qsizetype slash = protocol.indexOf('/');
    return slash < 0 ? QByteArrayView(protocol) : QByteArrayView(protocol).sliced(slash + 1);
}

void writeServerSpan(OtlpJsonWriter &w, const TraceRecord &r)
{
    w.raw("{\"traceId\":");
    w.hex(r.traceId);
    w.raw(",\"spanId\":");
    w.hex(r.spanId);
    if (r.parentSpanId != 0) {
        w.raw(",\"parentSpanId\":");
        w.hex(r.parentSpanId);
    }
    if (!r.traceState.isEmpty()) {
        w.raw(",\"traceState\":");
        w.string(r.traceState);
    }
    w.raw(",\"name\":");
    if (r.route.isEmpty())
        w.string(r.method);
    else
        w.string(r.method, r.route);
    w.raw(",\"kind\":");
    w.number(kSpanKindServer);
    w.raw(",\"startTimeUnixNano\":");
    w.decimalString(r.startUnixNs);
    w.raw(",\"endTimeUnixNano\":");
    w.decimalString(r.startUnixNs + r.durationNs);
    w.raw(",\"attributes\":[");
    w.beginList();
    w.stringAttribute("http.request.method", r.method);
    const qsizetype q = r.target.indexOf('?');
    w.stringAttribute("url.path", q < 0 ? QByteArrayView(r.target) : QByteArrayView(r.target).first(q));
    if (!r.route.isEmpty())
        w.stringAttribute("http.route", r.route);
    if (r.status != 0)
        w.intAttribute("http.response.status_code", r.status);
    w.stringAttribute("network.protocol.version", protocolVersion(r.protocol));
    if (!r.peer.isEmpty())
        w.stringAttribute("client.address", r.peer);
    if (!r.api.isEmpty())
        w.stringAttribute("gatehouse.api", r.api);
    if (!r.caller.isEmpty())
        w.textAttribute("enduser.id", r.caller);
    if (!r.error.isEmpty())
        w.textAttribute("error.type", r.error);
    w.intAttribute("gatehouse.worker", r.worker);
    w.raw("]");
    // OpenTelemetry's HTTP server convention: 5xx (and no response at all) are errors, 4xx not.
    if (r.status == 0 || r.status >= 500) {
        w.raw(",\"status\":{\"code\":");
        w.number(kStatusError);
        w.raw("}");
    }
    w.raw("}");
}

void writeChildSpan(OtlpJsonWriter &w, const TraceRecord &r, const TraceSpanRecord &s)
{
    const bool client = s.kind == TraceSpanKind::Upstream;
    const SpanId parent = s.parent >= 0 && s.parent < r.spans.size() ? r.spans.at(s.parent).spanId : r.spanId;
    w.raw("{\"traceId\":");
    w.hex(r.traceId);
    w.raw(",\"spanId\":");
    w.hex(s.spanId);
    w.raw(",\"parentSpanId\":");
    w.hex(parent);
    w.raw(",\"name\":");
    w.string(s.name);
    w.raw(",\"kind\":");
    w.number(client ? kSpanKindClient : kSpanKindInternal);
    w.raw(",\"startTimeUnixNano\":");
    w.decimalString(r.startUnixNs + s.startOffsetNs);
    w.raw(",\"endTimeUnixNano\":");
    w.decimalString(r.startUnixNs + s.startOffsetNs + s.durationNs);
    w.raw(",\"attributes\":[");
    w.beginList();
    const QLatin1StringView phase = phaseName(s.phase);
    w.stringAttribute("gatehouse.phase", QByteArrayView(phase.data(), phase.size()));
    if (client && !r.upstream.isEmpty())
        w.stringAttribute("server.address", r.upstream);
    w.raw("]");
    if (s.error) {
        w.raw(",\"status\":{\"code\":");
        w.number(kStatusError);
        w.raw("}");
    }
    w.raw("}");
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
    m_mailbox = ThreadMailbox::create(m_thread);
    m_thread->start();
    m_mailbox.post([s = m_sender] { s->init(); });
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
    m_mailbox.stopThread(m_thread, [this] {
        m_sender->finish();
        delete std::exchange(m_sender, nullptr);
    });
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
        m_mailbox.post([this] {
            if (m_sender)   // a kick queued behind shutdown's finish
                m_sender->kick();
        });
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
    static const QString host = QHostInfo::localHostName();
    QByteArray out;
    qsizetype spans = 0;
    for (const TraceRecord &r : records)
        spans += 1 + r.spans.size();
    out.reserve(512 + spans * 420);
    OtlpJsonWriter w(out);
    w.raw("{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
    w.beginList();
    w.textAttribute("service.name", serviceName);
    w.textAttribute("service.version", versionString());
    w.textAttribute("host.name", host);
    w.intAttribute("process.pid", qint64(::getpid()));
    w.raw("]},\"scopeSpans\":[{\"scope\":{\"name\":\"gatehouse\",\"version\":");
    w.text(versionString());
    w.raw("},\"spans\":[");
    bool first = true;
    for (const TraceRecord &r : records) {
        if (!first)
            w.raw(",");
        first = false;
        writeServerSpan(w, r);
        for (const TraceSpanRecord &s : r.spans) {
            w.raw(",");
            writeChildSpan(w, r, s);
        }
    }
    w.raw("]}]}]}");
    w.finish();
    return out;
}

} // namespace Gatehouse
