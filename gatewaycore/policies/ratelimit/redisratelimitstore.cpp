// The shared rate-limit store: GCRA states in Redis, one hiredis connection per worker.
#include "redisratelimitstore.h"

#include "proxy/coarseclock.h"
#include "proxy/epolleventdispatcher.h"

#include <QAbstractEventDispatcher>
#include <QCryptographicHash>
#include <QHostAddress>
#include <QHostInfo>
#include <QSocketNotifier>
#include <QTimer>

#include <hiredis/async.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace Gatehouse {

namespace {

// The GCRA step of gcra.cpp over all keys of a request, atomically, on Redis's clock (TIME): the
// replicas' clocks never need to agree. Times in microseconds (exact in Lua's doubles). ARGV holds
// per key: emission interval, tolerance, enforce (1/0). Nothing is written unless every enforced
// key admits. Returns one string of integers separated by spaces: the rejected index or -1, then
// per key admitted, remaining, retry, reset (one reply object to read, not 1 + 4 per key).
const char kScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local rejected = -1
local out = {'0'}
local tats = {}
local function put(x) out[#out + 1] = string.format('%d', x) end
for i = 1, #KEYS do
  local interval = tonumber(ARGV[3 * i - 2])
  local tolerance = tonumber(ARGV[3 * i - 1])
  local start = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now)
  local ahead = start - now
  if ahead > tolerance then
    if ARGV[3 * i] == '1' and rejected < 0 then rejected = i - 1 end
    put(0); put(0); put(ahead - tolerance); put(ahead)
  else
    local tat = start + interval
    tats[i] = tat
    put(1); put(math.floor((tolerance + interval - (tat - now)) / interval)); put(0); put(tat - now)
  end
end
if rejected < 0 then
  for i, tat in pairs(tats) do
    redis.call('SET', KEYS[i], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000))
  end
end
out[1] = string.format('%d', rejected)
return table.concat(out, ' ')
)lua";

qint64 nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(CoarseClock::now().time_since_epoch()).count();
}

constexpr qint64 kMaxLuaMicros = qint64(1) << 50;   // far below 2^53, Lua's exact integers

// RESP (the Redis protocol) written directly into a buffer sized beforehand: hiredis's printf-like
// formatter cost more than the rest of a request's rate limiting.
class RespWriter
{
public:
    explicit RespWriter(char *out) : m_p(out) {}
    char *end() const { return m_p; }

    void arrayHeader(qsizetype count)
    {
        *m_p++ = '*';
        number(count);
        crlf();
    }
    void bulkHeader(qsizetype length)
    {
        *m_p++ = '$';
        number(length);
        crlf();
    }
    void bulk(QByteArrayView value)
    {
        bulkHeader(value.size());
        raw(value);
        crlf();
    }
    void bulk(qint64 value)
    {
        std::array<char, 24> digits;
        const char *e = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
        bulk(QByteArrayView(digits.data(), e - digits.data()));
    }
    void raw(QByteArrayView bytes)
    {
        std::memcpy(m_p, bytes.data(), size_t(bytes.size()));
        m_p += bytes.size();
    }
    void crlf()
    {
        *m_p++ = '\r';
        *m_p++ = '\n';
    }

    // Room for a bulk string's framing ("$", up to 20 digits, two CRLFs), an array header's, or a
    // number's digits.
    static constexpr qsizetype kFraming = 32;

private:
    void number(qint64 value) { m_p = std::to_chars(m_p, m_p + 20, value).ptr; }

    char *m_p;
};

// The reply: integers separated by single spaces, exactly `count` of them.
bool parseReply(QByteArrayView text, RedisDecision &d, qsizetype checks)
{
    const char *p = text.data();
    const char *const end = p + text.size();
    auto next = [&](qint64 &value) {
        const auto [ptr, ec] = std::from_chars(p, end, value);
        if (ec != std::errc() || (ptr != end && *ptr != ' '))
            return false;
        p = ptr == end ? ptr : ptr + 1;
        return true;
    };
    qint64 rejected = 0;
    if (!next(rejected) || rejected < -1 || rejected >= checks)
        return false;
    d.results.clear();
    for (qsizetype i = 0; i < checks; ++i) {
        qint64 admitted = 0, remaining = 0, retry = 0, reset = 0;
        if (!next(admitted) || !next(remaining) || !next(retry) || !next(reset))
            return false;
        GcraResult g;
        g.admitted = admitted != 0;
        g.remaining = remaining;
        g.retryAfterNs = retry * 1000;
        g.resetNs = reset * 1000;
        d.results.append(g);
    }
    if (p != end)
        return false;
    d.rejected = int(rejected);
    return true;
}

qint64 toMicros(qint64 ns)
{
    return qMax<qint64>(1, (ns + 999) / 1000);
}

} // namespace

struct RedisRateLimitConnection::Pending
{
    QByteArray command;       // EVALSHA in RESP; from `arguments` on: numkeys, KEYS, ARGV
    qsizetype arguments = 0;
    qsizetype checks = 0;
    RedisRateLimitStore::Completion done;
    RedisDecision decision;
    qint64 deadlineMs = 0;
    bool retriedWithEval = false;
};

// ---------------------------------------------------------------- RedisRateLimitStore

const QByteArray &RedisRateLimitStore::script()
{
    static const QByteArray s(kScript);
    return s;
}

RedisRateLimitStore::RedisRateLimitStore(RedisStoreSettings settings, int workerCount)
    : m_settings(std::make_shared<const RedisStoreSettings>(std::move(settings))),
      m_failures(std::make_shared<std::atomic<qint64>>(0)),
      m_connections(size_t(qMax(1, workerCount)))
{
}

RedisRateLimitStore::~RedisRateLimitStore()
{
    // Workers outlive the stores they use (the engine drops services after stopping them), so a
    // connection still here belongs to a running worker: let its own thread delete it.
    for (const QPointer<RedisRateLimitConnection> &c : m_connections) {
        if (RedisRateLimitConnection *connection = c.data())
            connection->deleteLater();
    }
}

bool RedisRateLimitStore::acquire(int workerIndex, QObject *worker, std::span<const RateLimitCheck> checks,
                                  Completion done)
{
    QPointer<RedisRateLimitConnection> &slot = m_connections[size_t(workerIndex) % m_connections.size()];
    if (!slot)
        slot = new RedisRateLimitConnection(m_settings, m_failures, worker);
    if (slot->submit(checks, std::move(done)))
        return true;
    m_failures->fetch_add(1, std::memory_order_relaxed);
    return false;
}

// ---------------------------------------------------------------- RedisRateLimitConnection

RedisRateLimitConnection::RedisRateLimitConnection(std::shared_ptr<const RedisStoreSettings> settings,
                                                   std::shared_ptr<std::atomic<qint64>> failures,
                                                   QObject *parent)
    : QObject(parent),
      m_settings(std::move(settings)),
      m_failures(std::move(failures)),
      m_read(new QSocketNotifier(QSocketNotifier::Read, this)),
      m_write(new QSocketNotifier(QSocketNotifier::Write, this)),
      m_deadline(new QTimer(this)),
      m_reconnect(new QTimer(this))
{
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    m_deadline->setSingleShot(true);
    m_reconnect->setSingleShot(true);
    connect(m_read, &QSocketNotifier::activated, this, &RedisRateLimitConnection::socketReadable);
    connect(m_write, &QSocketNotifier::activated, this, &RedisRateLimitConnection::socketWritable);
    connect(m_deadline, &QTimer::timeout, this, &RedisRateLimitConnection::onDeadline);
    connect(m_reconnect, &QTimer::timeout, this, [this] {
        m_state = State::Idle;
        start();
    });
}

RedisRateLimitConnection::~RedisRateLimitConnection()
{
    // The worker is going away (or the store was replaced, with no request of its own left):
    // nobody waits for these answers any more.
    m_destroying = true;
    if (m_ctx)
        redisAsyncFree(m_ctx);
    m_finished.clear();
}

bool RedisRateLimitConnection::submit(std::span<const RateLimitCheck> checks, RedisRateLimitStore::Completion done)
{
    if (m_state == State::Idle)
        start();
    if (m_state == State::Backoff || m_state == State::Resolving)
        return false;   // known down, or its name still being looked up: decide without Redis now
    static const QByteArray sha = QCryptographicHash::hash(RedisRateLimitStore::script(),
                                                           QCryptographicHash::Sha1).toHex();
    auto pending = std::make_unique<Pending>();
    pending->done = std::move(done);
    pending->deadlineMs = nowMs() + m_settings->timeout.count();
    pending->checks = qsizetype(checks.size());
    const QByteArray prefix = RedisRateLimitStore::keyPrefix();
    qsizetype room = 4 * RespWriter::kFraming + sha.size();
    for (const RateLimitCheck &c : checks)
        room += prefix.size() + c.key.bytes.size() + 4 * RespWriter::kFraming;
    QByteArray &command = pending->command;
    command.resize(room);
    RespWriter out(command.data());
    out.arrayHeader(3 + 4 * qsizetype(checks.size()));
    out.bulk(QByteArrayView("EVALSHA"));
    out.bulk(sha);
    pending->arguments = out.end() - command.constData();
    out.bulk(qint64(checks.size()));
    for (const RateLimitCheck &c : checks) {
        out.bulkHeader(prefix.size() + c.key.bytes.size());
        out.raw(prefix);
        out.raw(c.key.bytes);
        out.crlf();
    }
    for (const RateLimitCheck &c : checks) {
        // Whole microseconds keep Lua's doubles exact; the interval rounds up (never more lenient).
        const qint64 intervalUs = toMicros(c.limit.intervalNs);
        const qint64 steps = c.limit.toleranceNs / c.limit.intervalNs;
        out.bulk(intervalUs);
        out.bulk(qMin(kMaxLuaMicros / intervalUs, steps) * intervalUs);
        out.bulk(QByteArrayView(c.enforce ? "1" : "0"));
    }
    command.resize(out.end() - command.constData());
    send(pending.release(), false);
    armDeadline(false);
    return true;
}

void RedisRateLimitConnection::send(Pending *pending, bool eval)
{
    if (eval) {
        // The server lost its script cache: the same call with the script's text.
        const QByteArray &script = RedisRateLimitStore::script();
        const QByteArrayView rest = QByteArrayView(pending->command).sliced(pending->arguments);
        QByteArray command(2 * RespWriter::kFraming + 4 + script.size() + rest.size(), Qt::Uninitialized);
        RespWriter out(command.data());
        out.arrayHeader(3 + 4 * pending->checks);
        out.bulk(QByteArrayView("EVAL"));
        out.bulk(script);
        const qsizetype arguments = out.end() - command.constData();
        out.raw(rest);
        command.resize(out.end() - command.constData());
        pending->command = std::move(command);
        pending->arguments = arguments;
    }
    pending->retriedWithEval = eval;
    if (redisAsyncFormattedCommand(m_ctx, &RedisRateLimitConnection::onReply, pending,
                                   pending->command.constData(), size_t(pending->command.size())) != REDIS_OK) {
        pending->decision.ok = false;
        m_finished.emplace_back(pending);
        QTimer::singleShot(0, this, &RedisRateLimitConnection::flush);
        return;
    }
    m_inflight.push_back(pending);
}

void RedisRateLimitConnection::start()
{
    const QHostAddress literal(m_settings->host);
    if (!literal.isNull()) {
        connectTo(literal.toString());
        return;
    }
    m_state = State::Resolving;
    QHostInfo::lookupHost(m_settings->host, this, [this](const QHostInfo &info) {
        if (m_state != State::Resolving)
            return;
        if (info.addresses().isEmpty()) {
            m_state = State::Idle;
            contextGone();
            return;
        }
        connectTo(info.addresses().constFirst().toString());
    });
}

void RedisRateLimitConnection::connectTo(const QString &address)
{
    redisAsyncContext *ac = redisAsyncConnect(address.toLatin1().constData(), m_settings->port);
    if (!ac || ac->err) {
        if (ac)
            redisAsyncFree(ac);
        contextGone();
        return;
    }
    m_ctx = ac;
    m_state = State::Connected;
    ac->data = this;
    ac->ev.data = this;
    using Self = RedisRateLimitConnection;
    ac->ev.addRead = [](void *d) { static_cast<Self *>(d)->setInterest(true, static_cast<Self *>(d)->m_wantWrite); };
    ac->ev.delRead = [](void *d) { static_cast<Self *>(d)->setInterest(false, static_cast<Self *>(d)->m_wantWrite); };
    ac->ev.addWrite = [](void *d) { static_cast<Self *>(d)->setInterest(static_cast<Self *>(d)->m_wantRead, true); };
    ac->ev.delWrite = [](void *d) { static_cast<Self *>(d)->setInterest(static_cast<Self *>(d)->m_wantRead, false); };
    ac->ev.cleanup = [](void *d) { static_cast<Self *>(d)->contextGone(); };
    // On the data plane's own event loop the socket is watched directly (no QEvent and no signal
    // per readiness); elsewhere through QSocketNotifiers.
    m_wantRead = m_wantWrite = false;
    m_dispatcher = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance(thread()));
    if (m_dispatcher && m_dispatcher->watchSocket(ac->c.fd, this, false, false)) {
        m_watchedFd = ac->c.fd;
    } else {
        m_read->setSocket(ac->c.fd);
        m_write->setSocket(ac->c.fd);
    }
    redisAsyncSetConnectCallback(ac, &RedisRateLimitConnection::onConnect);
    // Pipelined ahead of every script call: authenticate, pick the database, load the script.
    const RedisStoreSettings &s = *m_settings;
    if (!s.password.isEmpty())
        redisAsyncCommand(ac, &RedisRateLimitConnection::onSetupReply, nullptr, "AUTH %b",
                          s.password.constData(), size_t(s.password.size()));
    if (s.database != 0)
        redisAsyncCommand(ac, &RedisRateLimitConnection::onSetupReply, nullptr, "SELECT %d", s.database);
    redisAsyncCommand(ac, &RedisRateLimitConnection::onSetupReply, nullptr, "SCRIPT LOAD %b",
                      RedisRateLimitStore::script().constData(), size_t(RedisRateLimitStore::script().size()));
}

void RedisRateLimitConnection::setInterest(bool read, bool write)
{
    m_wantRead = read;
    m_wantWrite = write;
    if (m_watchedFd >= 0) {
        m_dispatcher->setSocketInterest(m_watchedFd, read, write);
        return;
    }
    m_read->setEnabled(read);
    m_write->setEnabled(write);
}

void RedisRateLimitConnection::socketReadable()
{
    if (m_ctx)
        redisAsyncHandleRead(m_ctx);
    flush();
}

void RedisRateLimitConnection::socketWritable()
{
    if (m_ctx)
        redisAsyncHandleWrite(m_ctx);
    flush();
}

void RedisRateLimitConnection::contextGone()
{
    // hiredis calls this (its cleanup hook) after failing every callback; it closes the socket next.
    m_ctx = nullptr;
    setInterest(false, false);
    if (m_watchedFd >= 0) {
        m_dispatcher->unwatchSocket(m_watchedFd);
        m_watchedFd = -1;
    }
    m_deadline->stop();
    if (m_destroying)
        return;
    m_state = State::Backoff;
    m_backoff = qBound(std::chrono::milliseconds(25), m_backoff * 2, m_settings->maxBackoff);
    m_reconnect->start(m_backoff);
}

void RedisRateLimitConnection::dropConnection()
{
    if (m_ctx)
        redisAsyncFree(m_ctx);   // fails every callback, then contextGone()
}

// The timer is left running while requests come and go (restarting it per request cost more than
// the round trip's own work): it fires at the earliest deadline it knew of, or early, and
// onDeadline() re-arms it for what is still in flight.
void RedisRateLimitConnection::armDeadline(bool force)
{
    if (m_inflight.empty() || (m_deadline->isActive() && !force))
        return;
    qint64 first = m_inflight.front()->deadlineMs;
    for (const Pending *p : m_inflight)
        first = qMin(first, p->deadlineMs);
    m_deadline->start(std::chrono::milliseconds(qMax<qint64>(0, first - nowMs())));
}

void RedisRateLimitConnection::onDeadline()
{
    const qint64 now = nowMs();
    // A late answer would arrive after its request was decided otherwise; replies come in order,
    // so the connection is dropped and every request waiting on it is decided now.
    if (std::any_of(m_inflight.cbegin(), m_inflight.cend(), [now](const Pending *p) { return p->deadlineMs <= now; }))
        dropConnection();
    flush();
    armDeadline(true);
}

void RedisRateLimitConnection::flush()
{
    // Completions resume requests, which may send again: never run them inside hiredis.
    while (!m_finished.empty()) {
        std::vector<std::unique_ptr<Pending>> batch;
        batch.swap(m_finished);
        for (const std::unique_ptr<Pending> &p : batch) {
            if (!p->decision.ok)
                m_failures->fetch_add(1, std::memory_order_relaxed);
            p->done(p->decision);
        }
    }
    armDeadline(false);
}

void RedisRateLimitConnection::onConnect(const redisAsyncContext *ac, int status)
{
    auto *self = static_cast<RedisRateLimitConnection *>(ac->data);
    if (self && status == REDIS_OK)
        self->m_backoff = std::chrono::milliseconds(0);
}

void RedisRateLimitConnection::onSetupReply(redisAsyncContext *ac, void *reply, void *privdata)
{
    (void)privdata;
    auto *self = static_cast<RedisRateLimitConnection *>(ac->data);
    const auto *r = static_cast<const redisReply *>(reply);
    if (!self || !r || r->type != REDIS_REPLY_ERROR)
        return;
    if (!self->m_warned) {
        self->m_warned = true;
        qWarning("rate limiting: Redis %s:%u refused the connection's setup: %s",
                 qPrintable(self->m_settings->host), unsigned(self->m_settings->port), r->str);
    }
    redisAsyncDisconnect(ac);
}

void RedisRateLimitConnection::onReply(redisAsyncContext *ac, void *reply, void *privdata)
{
    auto *self = static_cast<RedisRateLimitConnection *>(ac->data);
    std::unique_ptr<Pending> pending(static_cast<Pending *>(privdata));
    if (!self || self->m_destroying)
        return;
    if (!self->m_inflight.empty() && self->m_inflight.front() == pending.get())
        self->m_inflight.pop_front();   // replies come in order
    else
        std::erase(self->m_inflight, pending.get());
    const auto *r = static_cast<const redisReply *>(reply);
    if (r && r->type == REDIS_REPLY_ERROR && !pending->retriedWithEval
        && qstrncmp(r->str, "NOSCRIPT", 8) == 0) {
        self->send(pending.release(), true);   // the server lost its script cache
        self->armDeadline(true);
        return;
    }
    RedisDecision &d = pending->decision;
    if (r && r->type == REDIS_REPLY_STRING) {
        d.ok = parseReply(QByteArrayView(r->str, qsizetype(r->len)), d, pending->checks);
        if (!d.ok && !self->m_warned) {
            self->m_warned = true;
            qWarning("rate limiting: Redis answered the rate-limit script with an unexpected reply");
        }
    } else if (r && r->type == REDIS_REPLY_ERROR && !self->m_warned) {
        self->m_warned = true;
        qWarning("rate limiting: Redis answered the rate-limit script with an error: %s", r->str);
    }
    self->m_finished.push_back(std::move(pending));
}

} // namespace Gatehouse
