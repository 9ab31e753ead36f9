// The shared rate-limit store: GCRA states in Redis, so that any number of gateway replicas count
// against one limit. One hiredis connection per worker, driven by the worker's event loop.
#pragma once

#include "localratelimitstore.h"
#include "proxy/epolleventdispatcher.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVarLengthArray>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

struct redisAsyncContext;
class QSocketNotifier;
class QTimer;

namespace Gatehouse {

struct RedisStoreSettings
{
    QString host;
    quint16 port = 6379;
    int database = 0;
    QByteArray password;                         // resolved; empty = no AUTH
    std::chrono::milliseconds timeout{50};       // per round trip, connecting included
    std::chrono::milliseconds maxBackoff{500};   // between reconnection attempts

    bool operator==(const RedisStoreSettings &) const = default;
};

// What Redis decided for one request's checks (same meaning as LocalRateLimitStore::acquire).
struct RedisDecision
{
    bool ok = false;        // false: no answer (down, timed out, an error reply)
    int rejected = -1;
    QVarLengthArray<GcraResult, LocalRateLimitStore::kMaxChecks> results;
};

// One check as the Redis script sees it: whole microseconds (exact in Lua's doubles), the
// interval rounded up (never more lenient), the tolerance a whole number of intervals.
struct RedisLimit
{
    qint64 intervalUs = 0;
    qint64 toleranceUs = 0;
    bool enforce = true;
};

// The RESP text of a fixed set of checks (a route's own levels), written once: its KEYS
// (prefixed) and its part of ARGV (the key count, then per key interval, tolerance, enforce).
// Requests sent with the same parts one after the other in a batch share one copy of them.
struct RedisCommandParts
{
    QByteArray keys;
    QByteArray arguments;
    qsizetype checks = 0;
    QVarLengthArray<RedisLimit, LocalRateLimitStore::kMaxChecks> limits;
    bool distinctKeys = true;   // false: a key appears twice, such requests are never grouped
};

class RedisRateLimitConnection;

// Thread-safety: acquire() is called on worker threads, each using only its own connection
// (created on first use as a child of the worker object, so it dies with the worker on its
// thread). Connections of a replaced store are deleted through their worker's event loop.
class RedisRateLimitStore
{
public:
    RedisRateLimitStore(RedisStoreSettings settings, int workerCount);
    ~RedisRateLimitStore();

    const RedisStoreSettings &settings() const { return *m_settings; }

    using Completion = std::function<void(const RedisDecision &decision)>;
    // Sends the checks to Redis from worker `workerIndex` (whose thread `worker` lives on). The
    // completion runs later on that thread, never inside this call. Returns false at once, with
    // no completion, when Redis is known to be unreachable (the caller falls back right away).
    // `prepared`, when given, is prepare(checks), kept by the caller: nothing is formatted then.
    bool acquire(int workerIndex, QObject *worker, std::span<const RateLimitCheck> checks, Completion done,
                 const RedisCommandParts *prepared = nullptr);
    static RedisCommandParts prepare(std::span<const RateLimitCheck> checks);

    // Requests answered without Redis because it was unreachable or slow (all workers).
    qint64 failures() const { return m_failures->load(std::memory_order_relaxed); }

    static const QByteArray &script();   // the Lua GCRA step over all keys of a request
    static QByteArray keyPrefix() { return QByteArrayLiteral("gatehouse:rl:"); }

private:
    std::shared_ptr<const RedisStoreSettings> m_settings;
    std::shared_ptr<std::atomic<qint64>> m_failures;
    std::vector<QPointer<RedisRateLimitConnection>> m_connections;   // one per worker
};

// One worker's connection: non-blocking connect, AUTH/SELECT, EVALSHA (EVAL when the server lost
// the script), a deadline per round trip, reconnection with exponential backoff. The requests that
// arrive in one turn of the worker's loop share one script call (up to kMaxBatch), sent when the
// socket is next found writable: Redis runs one script per batch instead of one per request.
// Consecutive requests of the same prepared checks form one group of the call: their keys and
// limits are sent once with a count, Redis answers where each key stood when the group began, and
// the requests' results are replayed here with the script's own arithmetic.
class RedisRateLimitConnection : public QObject, private EpollEventDispatcher::SocketWatcher
{
public:
    RedisRateLimitConnection(std::shared_ptr<const RedisStoreSettings> settings,
                             std::shared_ptr<std::atomic<qint64>> failures, QObject *parent);
    ~RedisRateLimitConnection() override;

    bool submit(std::span<const RateLimitCheck> checks, RedisRateLimitStore::Completion done,
                const RedisCommandParts *prepared);

    static constexpr qsizetype kMaxBatch = 128;

private:
    struct Pending;
    struct Group;
    struct Batch;
    // A byte buffer written in place (RESP is formatted straight into it); keeps its capacity.
    class Buffer
    {
    public:
        char *tail(qsizetype room)   // room for `room` more bytes after size(); commit() them
        {
            if (m_capacity - m_size < room)
                grow(room);
            return m_data.get() + m_size;
        }
        void commit(const char *end) { m_size = end - m_data.get(); }
        // A NUL after the last byte, not counted in size(): hiredis reads a formatted command
        // as a C string too (it looks for SUBSCRIBE with strchr), never past its end then.
        void terminate() { *tail(1) = '\0'; }
        void append(QByteArrayView bytes);
        void clear() { m_size = 0; }
        const char *data() const { return m_data.get(); }
        char *data() { return m_data.get(); }
        qsizetype size() const { return m_size; }

    private:
        void grow(qsizetype room);
        std::unique_ptr<char[]> m_data;
        qsizetype m_size = 0;
        qsizetype m_capacity = 0;
    };
    enum class State { Idle = 1, Resolving, Connected, Backoff };
    static constexpr qsizetype kHeaderRoom = 128;   // "*N", "EVALSHA", the digest, the key count

    void connectTo(const QString &address);
    void start();
    void sendFilling();
    void send(Batch *batch, bool eval);
    void fail(std::unique_ptr<Batch> batch);
    void applyInterest();
    std::unique_ptr<Pending> takePending();
    void dropConnection();
    void setInterest(bool read, bool write);
    void socketReadable() override;
    void socketWritable() override;
    void contextGone();
    void armDeadline(bool force);
    void onDeadline();
    void flush();
    static void onReply(redisAsyncContext *ac, void *reply, void *privdata);
    static void onSetupReply(redisAsyncContext *ac, void *reply, void *privdata);
    static void onConnect(const redisAsyncContext *ac, int status);

    std::shared_ptr<const RedisStoreSettings> m_settings;
    std::shared_ptr<std::atomic<qint64>> m_failures;
    redisAsyncContext *m_ctx = nullptr;
    State m_state = State::Idle;
    EpollEventDispatcher *m_dispatcher = nullptr;
    int m_watchedFd = -1;                   // watched through m_dispatcher, else the notifiers
    bool m_wantRead = false;
    bool m_wantWrite = false;
    QSocketNotifier *m_read;
    QSocketNotifier *m_write;
    QTimer *m_deadline;
    bool m_deadlineArmed = false;   // m_deadline runs (QTimer::isActive() is a call per request)
    bool m_holdInterest = false;    // inside a socket callback: interest is applied once, at its end
    QTimer *m_reconnect;
    std::chrono::milliseconds m_backoff{0};
    std::unique_ptr<Batch> m_filling;                   // collecting this turn's requests
    std::unique_ptr<Batch> m_spare;                     // an answered batch, reused
    Buffer m_arguments;                                 // the filling batch's ARGV (buffer reused)
    std::deque<Batch *> m_inflight;                     // sent, oldest first
    std::vector<std::unique_ptr<Pending>> m_finished;   // answered inside hiredis, completed by flush()
    std::vector<std::unique_ptr<Pending>> m_completing; // flush()'s list, kept for its capacity
    std::vector<std::unique_ptr<Pending>> m_freePending;   // completed, reused by submit()
    bool m_destroying = false;
    bool m_warned = false;
};

} // namespace Gatehouse
