// Access log: per-worker queues, the writer thread, and the JSON and combined line formats.
#include "accesslog.h"

#include "metricsregistry.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLocale>

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace Gatehouse {

namespace {

constexpr auto kWriteInterval = std::chrono::milliseconds(50);

QByteArray validUtf8(QByteArrayView bytes)
{
    for (char c : bytes) {
        if (uchar(c) >= 0x80)
            return QUtf8StringView(bytes).isValidUtf8() ? bytes.toByteArray() : QString::fromUtf8(bytes).toUtf8();
    }
    return bytes.toByteArray();
}

void appendJsonString(QByteArray &out, QByteArrayView value)
{
    static const char kHex[] = "0123456789abcdef";
    out.append('"');
    for (char c : validUtf8(value)) {
        const auto u = uchar(c);
        if (c == '"' || c == '\\') {
            out.append('\\');
            out.append(c);
        } else if (u < 0x20 || u == 0x7f) {
            out.append("\\u00");
            out.append(kHex[u >> 4]);
            out.append(kHex[u & 0xf]);
        } else {
            out.append(c);
        }
    }
    out.append('"');
}

void appendJsonField(QByteArray &out, const char *name, QByteArrayView value)
{
    out.append(",\"");
    out.append(name);
    out.append("\":");
    appendJsonString(out, value);
}

// The combined format's quoting (as nginx escapes it): quotes, backslashes, control and non-ASCII
// bytes as \xHH.
void appendCombinedField(QByteArray &out, QByteArrayView value)
{
    static const char kHex[] = "0123456789ABCDEF";
    if (value.isEmpty()) {
        out.append('-');
        return;
    }
    for (char c : value) {
        const auto u = uchar(c);
        if (c == '"' || c == '\\' || u < 0x20 || u >= 0x7f) {
            out.append("\\x");
            out.append(kHex[u >> 4]);
            out.append(kHex[u & 0xf]);
        } else {
            out.append(c);
        }
    }
}

// A Referer's query holds the same kind of secrets as the request's.
QByteArray redactedUrl(QByteArrayView url)
{
    const qsizetype q = url.indexOf('?');
    if (q < 0)
        return url.toByteArray();
    return url.first(q).toByteArray() + AccessLog::redactQuery(url.sliced(q));
}

} // namespace

// ---------------------------------------------------------------- AccessLogQueue

AccessLogQueue::AccessLogQueue(const std::atomic<bool> *enabled, std::function<void()> wake)
    : m_enabled(enabled), m_wake(std::move(wake))
{
}

void AccessLogQueue::allocate()
{
    if (m_slots.empty())
        m_slots.resize(kCapacity);
}

AccessLogEntry *AccessLogQueue::slot()
{
    const quint64 tail = m_tail.load(std::memory_order_relaxed);
    if (tail - m_head.load(std::memory_order_acquire) >= m_slots.size()) {
        m_dropped.store(m_dropped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        return nullptr;
    }
    return &m_slots.take(size_t(tail));
}

void AccessLogQueue::push()
{
    const quint64 tail = m_tail.load(std::memory_order_relaxed) + 1;
    m_tail.store(tail, std::memory_order_release);
    // Once per half a queue under load: a wake-up instead of slots for 50 ms of peak traffic.
    if (tail - m_head.load(std::memory_order_relaxed) == m_slots.size() / 2 && m_wake)
        m_wake();
}

// ---------------------------------------------------------------- AccessLog

AccessLog::AccessLog(int workerCount, std::shared_ptr<const MetricsRegistry> registry)
    : m_registry(std::move(registry))
{
    for (int i = 0; i < qMax(workerCount, 1); ++i)
        m_queues.push_back(std::make_unique<AccessLogQueue>(&m_enabled, [this] {
            m_kicked.store(true, std::memory_order_relaxed);
            m_wake.notify_one();
        }));
    m_writer = std::thread([this] { run(); });
}

AccessLog::~AccessLog()
{
    {
        std::lock_guard lock(m_wakeMutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_writer.join();
    if (m_file && m_file != stdout)
        std::fclose(m_file);
}

void AccessLog::configure(const AccessLogSettings &settings, const QString &projectDir)
{
    QMutexLocker lock(&m_sinkMutex);
    const bool toStdout = settings.path.isEmpty() || settings.path == u"-";
    const QString path = toStdout ? QString() : QDir(projectDir).absoluteFilePath(settings.path);
    if (!settings.enabled || path != m_openPath || toStdout) {
        if (m_file && m_file != stdout)
            std::fclose(m_file);
        m_file = nullptr;
        m_openPath.clear();
    }
    m_settings = settings;
    if (settings.enabled && !m_file) {
        if (toStdout) {
            m_file = stdout;
        } else if ((m_file = std::fopen(QFile::encodeName(path).constData(), "ae")) != nullptr) {
            m_openPath = path;
        } else {
            qWarning("gatehouse: cannot open the access log %s: %s", qPrintable(path), std::strerror(errno));
        }
    }
    const bool enabled = settings.enabled && m_file;
    if (enabled) {
        for (const auto &q : m_queues)
            q->allocate();
    }
    m_enabled.store(enabled, std::memory_order_release);
}

quint64 AccessLog::dropped() const
{
    quint64 n = 0;
    for (const auto &q : m_queues)
        n += q->dropped();
    return n;
}

void AccessLog::run()
{
    std::unique_lock lock(m_wakeMutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, kWriteInterval,
                        [this] { return m_stopping || m_kicked.exchange(false, std::memory_order_relaxed); });
        lock.unlock();
        writeQueued();
        lock.lock();
    }
    lock.unlock();
    writeQueued();   // what the workers queued before the engine stopped them
}

void AccessLog::writeQueued()
{
    QByteArray batch;
    QMutexLocker lock(&m_sinkMutex);
    const bool json = m_settings.format == AccessLogFormat::Json;
    for (const auto &queue : m_queues) {
        queue->drain([&](const AccessLogEntry &e) {
            if (!json) {
                batch.append(formatCombined(e));
                return;
            }
            const RouteLabelSet labels = m_registry->labelsOf(e.labels);
            batch.append(formatJson(e, labels.route, labels.api));
        });
    }
    if (batch.isEmpty() || !m_file)
        return;
    std::fwrite(batch.constData(), 1, size_t(batch.size()), m_file);
    std::fflush(m_file);
}

QByteArray AccessLog::redactQuery(QByteArrayView query)
{
    if (query.startsWith('?'))
        query = query.sliced(1);
    QByteArray out("?");
    bool first = true;
    while (!query.isEmpty()) {
        const qsizetype amp = query.indexOf('&');
        const QByteArrayView pair = amp < 0 ? query : query.first(amp);
        query = amp < 0 ? QByteArrayView() : query.sliced(amp + 1);
        if (pair.isEmpty())
            continue;
        if (!first)
            out.append('&');
        first = false;
        const qsizetype eq = pair.indexOf('=');
        out.append(eq < 0 ? pair : pair.first(eq));
        if (eq >= 0)
            out.append("=REDACTED");
    }
    return out.size() == 1 ? QByteArray() : out;
}

QByteArray AccessLog::formatJson(const AccessLogEntry &e, QByteArrayView route, QByteArrayView api)
{
    QByteArray line;
    line.reserve(256);
    line.append("{\"time\":\"");
    line.append(QDateTime::fromMSecsSinceEpoch(e.endMs, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1());
    line.append('"');
    appendJsonField(line, "client", e.peer);
    appendJsonField(line, "method", e.method);
    appendJsonField(line, "path", e.path);
    appendJsonField(line, "query", redactQuery(e.query));
    appendJsonField(line, "protocol", e.version);
    line.append(",\"status\":");
    line.append(QByteArray::number(e.status));
    line.append(",\"bytes_sent\":");
    line.append(QByteArray::number(e.bytesSent));
    line.append(",\"duration_us\":");
    line.append(QByteArray::number(e.durationUs));
    appendJsonField(line, "route", route);
    appendJsonField(line, "api", api);
    appendJsonField(line, "user", e.user);
    appendJsonField(line, "user_agent", e.userAgent);
    appendJsonField(line, "referer", redactedUrl(e.referer));
    line.append("}\n");
    return line;
}

QByteArray AccessLog::formatCombined(const AccessLogEntry &e)
{
    QByteArray line;
    line.reserve(256);
    appendCombinedField(line, e.peer);
    line.append(" - ");
    appendCombinedField(line, e.user);
    line.append(" [");
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(e.endMs, Qt::UTC);
    line.append(QLocale::c().toString(at, QStringLiteral("dd/MMM/yyyy:HH:mm:ss")).toLatin1());
    line.append(" +0000] \"");
    if (e.method.isEmpty()) {
        line.append('-');
    } else {
        appendCombinedField(line, e.method);
        line.append(' ');
        appendCombinedField(line, e.path + redactQuery(e.query));
        line.append(' ');
        appendCombinedField(line, e.version);
    }
    line.append("\" ");
    line.append(QByteArray::number(e.status));
    line.append(' ');
    line.append(QByteArray::number(e.bytesSent));
    line.append(" \"");
    appendCombinedField(line, redactedUrl(e.referer));
    line.append("\" \"");
    appendCombinedField(line, e.userAgent);
    line.append("\"\n");
    return line;
}

} // namespace Gatehouse
