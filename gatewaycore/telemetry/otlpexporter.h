// The OTLP/HTTP JSON trace exporter: traced requests queued (bounded, drops counted), sent in
// batches to a collector's /v1/traces by a thread of its own, retried with exponential backoff
// when the collector asks for it (429, 502, 503, 504) or cannot be reached.
#pragma once

#include "base/threadmailbox.h"
#include "tracerecord.h"

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QPair>
#include <QString>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>

class QThread;

namespace Gatehouse {

class OtlpSender;

struct OtlpExporterOptions
{
    QUrl endpoint;                                  // http(s)://collector:4318/v1/traces
    QList<QPair<QByteArray, QByteArray>> headers;   // added to every export request
    QString serviceName = QStringLiteral("gatehouse");
    std::chrono::milliseconds timeout{10'000};      // per export request
    int batchSize = 512;                            // traced requests per export request
    int queueSize = 2048;                           // traced requests waiting; more are dropped
    std::chrono::milliseconds flushInterval{1'000}; // a partial batch waits at most this long
    std::chrono::milliseconds initialBackoff{1'000};
    std::chrono::milliseconds maxBackoff{30'000};
    int maxAttempts = 5;                            // per batch, then it is dropped (counted)
};

// Counters for /metrics; monotonic over the exporter's life.
struct OtlpExporterStats
{
    quint64 exportedRequests = 0;    // traced requests the collector accepted
    quint64 exportedSpans = 0;
    quint64 droppedQueueFull = 0;    // traced requests refused by a full queue
    quint64 droppedFailed = 0;       // traced requests of batches given up (retries spent, 4xx ...)
    quint64 retries = 0;
};

// Threading: create, configure and destroy on one thread (the engine's); enqueue() from any
// thread. Sending runs on the exporter's own thread, never on a worker's request path.
class OtlpExporter
{
public:
    explicit OtlpExporter(OtlpExporterOptions options);
    ~OtlpExporter();   // shutdown()

    // Sends what is queued (one attempt per batch, all within min(timeout, 2 s)), then stops the
    // thread; what is left is counted as failed. Later enqueue() calls drop. Idempotent.
    void shutdown();

    const OtlpExporterOptions &options() const { return m_options; }
    // Queues records; those beyond queueSize are dropped and counted. Never blocks on the network.
    void enqueue(QList<TraceRecord> records);
    OtlpExporterStats stats() const;
    int queued() const;

    // The ExportTraceServiceRequest of `records` in OTLP/JSON: ids in lowercase hex, times as
    // decimal strings of ns since the epoch, enums as numbers.
    static QByteArray toJson(const QList<TraceRecord> &records, const QString &serviceName);

private:
    friend class OtlpSender;
    // Sender thread: up to batchSize records off the queue (moved out).
    QList<TraceRecord> takeBatch();
    QList<TraceRecord> takeAll();

    OtlpExporterOptions m_options;
    mutable QMutex m_mutex;
    std::deque<TraceRecord> m_queue;
    std::atomic<quint64> m_exportedRequests{0};
    std::atomic<quint64> m_exportedSpans{0};
    std::atomic<quint64> m_droppedQueueFull{0};
    std::atomic<quint64> m_droppedFailed{0};
    std::atomic<quint64> m_retries{0};
    std::atomic<bool> m_stopped{false};
    QThread *m_thread = nullptr;
    OtlpSender *m_sender = nullptr;   // lives on m_thread; read and deleted there only
    ThreadMailbox m_mailbox;
};

} // namespace Gatehouse
