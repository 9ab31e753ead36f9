// The access log: one line per request (JSON lines or the combined format) to a file or stdout.
// Workers hand entries to a per-worker bounded queue and never wait; a writer thread formats and
// writes them. Credentials are never logged: no request fields but User-Agent and Referer, and
// query values (also in the Referer) are replaced by "REDACTED".
#pragma once

#include "project/projectsettings.h"
#include "telemetry/ringslots.h"

#include <QByteArray>
#include <QHostAddress>
#include <QMutex>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace Gatehouse {

class MetricsRegistry;

// One request as the worker saw it. Slots are reused: filling one allocates nothing once its
// buffers have grown.
struct AccessLogEntry
{
    qint64 endMs = 0;            // wall clock when the exchange ended (ms since the epoch)
    qint64 durationUs = 0;
    QByteArray peer;
    QByteArray method;           // empty: refused before a complete head
    QByteArray path;
    QByteArray query;            // "?..." as sent; redacted when written
    QByteArray version;          // "HTTP/1.1"
    QByteArray userAgent;
    QByteArray referer;
    QByteArray user;             // the authenticated subject
    quint32 labels = 0;          // MetricsShard label set: route template and API
    int status = 0;              // 0: no response (the client went away)
    qint64 bytesSent = 0;        // response head and body
};

// Single producer (the worker), single consumer (the writer thread).
class AccessLogQueue
{
public:
    // `wake` is called (from the worker) when the queue is half full: the writer comes early.
    AccessLogQueue(const std::atomic<bool> *enabled, std::function<void()> wake);

    // --- Worker thread ---
    // Acquire: the slots allocate() made before the log was enabled are visible.
    bool isEnabled() const { return m_enabled->load(std::memory_order_acquire); }
    // A free slot to fill and push(), or nullptr when the writer fell behind (counted as dropped).
    AccessLogEntry *slot();
    void push();

    // --- Writer thread ---
    template<typename Fn>
    void drain(Fn &&fn)
    {
        const quint64 head = m_head.load(std::memory_order_relaxed);
        const quint64 tail = m_tail.load(std::memory_order_acquire);
        for (quint64 i = head; i != tail; ++i)
            fn(m_slots.published(size_t(i)));
        m_head.store(tail, std::memory_order_release);
    }

    quint64 dropped() const { return m_dropped.load(std::memory_order_relaxed); }

    // Engine thread, before the log is first enabled: the slots exist only for
    // a log that is on, and are then kept, since a worker may still hold one.
    void allocate();

    // Up to 1024 slots a worker (about 230 KB once all are in use; each is made the first time
    // it is filled); the writer drains every 50 ms, and at once when half full.
    static constexpr size_t kCapacity = 1024;

private:
    const std::atomic<bool> *m_enabled;
    std::function<void()> m_wake;
    RingSlots<AccessLogEntry> m_slots;
    std::atomic<quint64> m_head{0};   // next slot the writer reads
    std::atomic<quint64> m_tail{0};   // next slot the worker fills
    std::atomic<quint64> m_dropped{0};
};

class AccessLog
{
public:
    AccessLog(int workerCount, std::shared_ptr<const MetricsRegistry> registry);
    ~AccessLog();   // writes what is queued, then stops the writer thread

    AccessLogQueue &queue(int worker) { return *m_queues[size_t(worker)]; }

    // Engine thread, with every applied config: the destination and format. A file that cannot
    // be opened disables the log until the next configure() and is reported once on stderr.
    void configure(const AccessLogSettings &settings, const QString &projectDir);
    bool isEnabled() const { return m_enabled.load(std::memory_order_relaxed); }
    quint64 dropped() const;

    // Formatting, for the writer and the tests. Control bytes, quotes and backslashes in request
    // fields are escaped, so a client cannot forge lines.
    static QByteArray formatJson(const AccessLogEntry &entry, QByteArrayView route, QByteArrayView api);
    static QByteArray formatCombined(const AccessLogEntry &entry);
    // "?a=REDACTED&b=REDACTED" for "?a=1&b=2"; names stay, values go.
    static QByteArray redactQuery(QByteArrayView query);

private:
    void run();
    void writeQueued();

    std::shared_ptr<const MetricsRegistry> m_registry;
    std::atomic<bool> m_enabled{false};
    std::vector<std::unique_ptr<AccessLogQueue>> m_queues;
    QMutex m_sinkMutex;                  // the destination, shared by configure() and the writer
    AccessLogSettings m_settings;
    QString m_openPath;                  // the file open now; empty = stdout or closed
    std::FILE *m_file = nullptr;
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::atomic<bool> m_kicked{false};   // a queue is half full
    std::thread m_writer;
};

} // namespace Gatehouse
