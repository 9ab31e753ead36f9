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

// The GCRA step of gcra.cpp, atomically, on Redis's clock (TIME): the replicas' clocks never need to
// agree. One call carries the requests that one turn of a worker's loop collected, in order, in
// groups of identical requests. Times in microseconds (exact in Lua's doubles). ARGV holds per
// group its number of requests m (three digits, so that the gateway can count up in place), its
// number of keys n, then per key: emission interval, tolerance, enforce (1/0); its n keys follow
// the previous group's in KEYS. The group's requests are decided one after the other, each
// all-or-nothing over its keys: once one is refused, the state is unchanged and so every later one
// of the group is refused too. A key seen again in a later group starts from the state the earlier
// ones left (read once, written once). Returns one string of integers separated by spaces: per
// group and key, how far the key ran ahead of `now` when the group began (max(tat, now) - now),
// from which the gateway replays each request's result (RedisRateLimitConnection::onReply).
const char kScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state = {}
local dirty = {}
local out = {}
local k, a = 0, 1
while a <= #ARGV do
  local m = tonumber(ARGV[a])
  local n = tonumber(ARGV[a + 1])
  local ahead, interval, tolerance, enforce, moved = {}, {}, {}, {}, {}
  for i = 1, n do
    local key = KEYS[k + i]
    local j = a + 3 * i - 1
    interval[i] = tonumber(ARGV[j])
    tolerance[i] = tonumber(ARGV[j + 1])
    enforce[i] = ARGV[j + 2] == '1'
    local known = state[key]
    if known == nil then
      known = tonumber(redis.call('GET', key) or '0')
      state[key] = known
    end
    ahead[i] = math.max(known, now) - now
    out[#out + 1] = string.format('%d', ahead[i])
  end
  for r = 1, m do
    local refused = false
    for i = 1, n do
      if enforce[i] and ahead[i] > tolerance[i] then refused = true break end
    end
    if refused then break end
    for i = 1, n do
      if ahead[i] <= tolerance[i] then
        ahead[i] = ahead[i] + interval[i]
        moved[i] = true
      end
    end
  end
  for i = 1, n do
    if moved[i] then
      local key = KEYS[k + i]
      state[key] = now + ahead[i]
      dirty[key] = true
    end
  end
  k = k + n
  a = a + 2 + 3 * n
end
for key in pairs(dirty) do
  local tat = state[key]
  redis.call('SET', key, string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000))
end
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

// One integer of the reply and the space after it (none after the last): `p` advances. At most
// 18 digits (an exact qint64); false on anything else.
bool nextInteger(const char *&p, const char *end, qint64 &value)
{
    const bool negative = p != end && *p == '-';
    if (negative)
        ++p;
    const char *const digits = p;
    quint64 v = 0;
    while (p != end && *p >= '0' && *p <= '9' && p - digits < 18)
        v = v * 10 + quint64(*p++ - '0');
    if (p == digits || (p != end && *p != ' '))
        return false;
    if (p != end)
        ++p;
    value = negative ? -qint64(v) : qint64(v);
    return true;
}

// One request of a group as the script decided it, from where its keys stand (`ahead`: how far each
// runs ahead of Redis's clock, in microseconds), which moves on for the group's next request when
// this one is admitted. The same arithmetic as the script and as gcraDecide().
void replay(std::span<const RedisLimit> limits, std::span<qint64> ahead, RedisDecision &d)
{
    d.results.resize(qsizetype(limits.size()));
    int rejected = -1;
    for (size_t i = 0; i < limits.size(); ++i) {
        const RedisLimit &l = limits[i];
        GcraResult &g = d.results[qsizetype(i)];
        g = GcraResult();
        if (ahead[i] > l.toleranceUs) {
            if (l.enforce && rejected < 0)
                rejected = int(i);
            g.retryAfterNs = (ahead[i] - l.toleranceUs) * 1000;
            g.resetNs = ahead[i] * 1000;
        } else {
            g.admitted = true;
            g.remaining = (l.toleranceUs - ahead[i]) / l.intervalUs;
            g.resetNs = (ahead[i] + l.intervalUs) * 1000;
        }
    }
    d.rejected = rejected;
    if (rejected >= 0)
        return;
    for (size_t i = 0; i < limits.size(); ++i) {
        if (d.results[qsizetype(i)].admitted)
            ahead[i] += limits[i].intervalUs;
    }
}

qint64 toMicros(qint64 ns)
{
    return qMax<qint64>(1, (ns + 999) / 1000);
}

// Bytes that writeKeys() / writeArguments() may write for `checks`.
qsizetype keysRoom(std::span<const RateLimitCheck> checks)
{
    qsizetype room = 0;
    for (const RateLimitCheck &c : checks)
        room += RedisRateLimitStore::keyPrefix().size() + c.key.bytes.size() + RespWriter::kFraming;
    return room;
}

qsizetype argumentsRoom(std::span<const RateLimitCheck> checks)
{
    return (1 + 3 * qsizetype(checks.size())) * RespWriter::kFraming;
}

// The checks' KEYS, each a bulk string with the store's prefix.
char *writeKeys(char *out, std::span<const RateLimitCheck> checks)
{
    static const QByteArray prefix = RedisRateLimitStore::keyPrefix();
    RespWriter k(out);
    for (const RateLimitCheck &c : checks) {
        k.bulkHeader(prefix.size() + c.key.bytes.size());
        k.raw(prefix);
        k.raw(c.key.bytes);
        k.crlf();
    }
    return k.end();
}

RedisLimit redisLimit(const RateLimitCheck &c)
{
    // Whole microseconds keep Lua's doubles exact; the interval rounds up (never more lenient).
    const qint64 intervalUs = toMicros(c.limit.intervalNs);
    const qint64 steps = c.limit.toleranceNs / c.limit.intervalNs;
    return {intervalUs, qMin(kMaxLuaMicros / intervalUs, steps) * intervalUs, c.enforce};
}

// The checks' part of ARGV: their count, then per check interval, tolerance and enforce; their
// limits are appended to `limits`.
char *writeArguments(char *out, std::span<const RateLimitCheck> checks,
                     QVarLengthArray<RedisLimit, LocalRateLimitStore::kMaxChecks> &limits)
{
    RespWriter a(out);
    a.bulk(qint64(checks.size()));
    for (const RateLimitCheck &c : checks) {
        const RedisLimit l = redisLimit(c);
        a.bulk(l.intervalUs);
        a.bulk(l.toleranceUs);
        a.bulk(QByteArrayView(l.enforce ? "1" : "0"));
        limits.append(l);
    }
    return a.end();
}

// A group's request count in ARGV: three digits, so that it is counted up in place.
constexpr qsizetype kCountDigits = 3;
static_assert(RedisRateLimitConnection::kMaxBatch < 1000);

void writeCount(char *digits, qsizetype count)
{
    digits[0] = char('0' + count / 100);
    digits[1] = char('0' + count / 10 % 10);
    digits[2] = char('0' + count % 10);
}

} // namespace

struct RedisRateLimitConnection::Pending
{
    RedisRateLimitStore::Completion done;
    RedisDecision decision;
    qint64 deadlineMs = 0;
};

// Requests in a row with the same checks: sent once, with a count.
struct RedisRateLimitConnection::Group
{
    qsizetype requests = 0;
    qsizetype countAt = 0;   // in m_arguments while the batch fills: the request count's digits
    // The prepared KEYS when later requests of the same parts may join (a shared copy: its bytes
    // stay where they are while the group lives, so their address identifies the parts).
    QByteArray keys;
    QVarLengthArray<RedisLimit, LocalRateLimitStore::kMaxChecks> limits;
};

// The requests of one script call. While it fills, `command` holds room for its header and then
// the requests' KEYS in RESP, while the connection's `m_arguments` collects their ARGV; sending
// writes the header right-aligned into the room and appends the ARGV.
struct RedisRateLimitConnection::Batch
{
    std::vector<std::unique_ptr<Pending>> requests;
    std::vector<Group> groups;   // the requests in order, group by group
    qsizetype keyCount = 0;
    qsizetype argumentCount = 0;
    Buffer command;
    qsizetype commandAt = 0;     // in `command`: where the command starts (after unused room)
    qsizetype argumentsAt = 0;   // in `command`: where the key count starts
    bool retriedWithEval = false;

    qint64 deadlineMs() const { return requests.front()->deadlineMs; }   // the oldest's
};

void RedisRateLimitConnection::Buffer::grow(qsizetype room)
{
    const qsizetype capacity = qMax(qMax<qsizetype>(256, m_size + room), 2 * m_capacity);
    std::unique_ptr<char[]> data(new char[size_t(capacity)]);
    if (m_size > 0)
        std::memcpy(data.get(), m_data.get(), size_t(m_size));
    m_data = std::move(data);
    m_capacity = capacity;
}

void RedisRateLimitConnection::Buffer::append(QByteArrayView bytes)
{
    char *out = tail(bytes.size());
    if (!bytes.isEmpty())
        std::memcpy(out, bytes.data(), size_t(bytes.size()));
    m_size += bytes.size();
}

// ---------------------------------------------------------------- RedisRateLimitStore

RedisCommandParts RedisRateLimitStore::prepare(std::span<const RateLimitCheck> checks)
{
    RedisCommandParts parts;
    parts.checks = qsizetype(checks.size());
    parts.keys.resize(keysRoom(checks));
    parts.keys.resize(writeKeys(parts.keys.data(), checks) - parts.keys.constData());
    parts.arguments.resize(argumentsRoom(checks));
    parts.arguments.resize(writeArguments(parts.arguments.data(), checks, parts.limits)
                           - parts.arguments.constData());
    for (size_t i = 0; i < checks.size(); ++i) {
        for (size_t j = 0; j < i; ++j)
            parts.distinctKeys = parts.distinctKeys && !(checks[i].key == checks[j].key);
    }
    return parts;
}

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
                                  Completion done, const RedisCommandParts *prepared)
{
    QPointer<RedisRateLimitConnection> &slot = m_connections[size_t(workerIndex) % m_connections.size()];
    if (!slot)
        slot = new RedisRateLimitConnection(m_settings, m_failures, worker);
    if (slot->submit(checks, std::move(done), prepared))
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

std::unique_ptr<RedisRateLimitConnection::Pending> RedisRateLimitConnection::takePending()
{
    if (m_freePending.empty())
        return std::make_unique<Pending>();
    std::unique_ptr<Pending> p = std::move(m_freePending.back());
    m_freePending.pop_back();
    p->decision.ok = false;
    p->decision.rejected = -1;
    p->decision.results.clear();
    return p;
}

bool RedisRateLimitConnection::submit(std::span<const RateLimitCheck> checks, RedisRateLimitStore::Completion done,
                                      const RedisCommandParts *prepared)
{
    if (m_state == State::Idle)
        start();
    if (m_state == State::Backoff || m_state == State::Resolving)
        return false;   // known down, or its name still being looked up: decide without Redis now
    if (!m_filling) {
        m_filling = m_spare ? std::move(m_spare) : std::make_unique<Batch>();
        m_filling->command.clear();
        m_filling->command.commit(m_filling->command.tail(kHeaderRoom) + kHeaderRoom);
        // A batch failed before it was sent (contextGone) leaves its ARGV here: never carry it
        // into this one, whose header counts only its own.
        m_arguments.clear();
        applyInterest();   // the batch leaves when the socket is next found writable
    }
    Batch &batch = *m_filling;
    std::unique_ptr<Pending> pending = takePending();
    pending->done = std::move(done);
    pending->deadlineMs = nowMs() + m_settings->timeout.count();
    batch.requests.push_back(std::move(pending));

    const qsizetype n = qsizetype(checks.size());
    const bool usePrepared = prepared && prepared->checks == n;
    const bool groupable = usePrepared && prepared->distinctKeys;
    if (groupable && !batch.groups.empty() && batch.groups.back().keys.constData() == prepared->keys.constData()) {
        // The same checks as the request before: one more for its group, nothing written.
        Group &group = batch.groups.back();
        writeCount(m_arguments.data() + group.countAt, ++group.requests);
    } else {
        Group &group = batch.groups.emplace_back();
        group.requests = 1;
        RespWriter count(m_arguments.tail(RespWriter::kFraming));
        count.bulkHeader(kCountDigits);
        group.countAt = count.end() - m_arguments.data();
        count.raw(QByteArrayView("001"));
        count.crlf();
        m_arguments.commit(count.end());
        if (usePrepared) {
            // A route's own levels: their RESP was written when the route was compiled.
            batch.command.append(prepared->keys);
            m_arguments.append(prepared->arguments);
            group.limits = prepared->limits;
            if (groupable)
                group.keys = prepared->keys;
        } else {
            batch.command.commit(writeKeys(batch.command.tail(keysRoom(checks)), checks));
            m_arguments.commit(writeArguments(m_arguments.tail(argumentsRoom(checks)), checks, group.limits));
        }
        batch.keyCount += n;
        batch.argumentCount += 2 + 3 * n;
    }
    if (qsizetype(batch.requests.size()) >= kMaxBatch)
        sendFilling();
    else
        armDeadline(false);
    return true;
}

// Completes the filling batch's command (its header is written right-aligned into the room kept at
// its front, then ARGV follows KEYS) and sends it.
void RedisRateLimitConnection::sendFilling()
{
    std::unique_ptr<Batch> batch = std::move(m_filling);
    applyInterest();
    if (!batch)
        return;
    static const QByteArray sha = QCryptographicHash::hash(RedisRateLimitStore::script(),
                                                           QCryptographicHash::Sha1).toHex();
    char header[kHeaderRoom];
    RespWriter h(header);
    h.arrayHeader(3 + batch->keyCount + batch->argumentCount);
    h.bulk(QByteArrayView("EVALSHA"));
    h.bulk(sha);
    const qsizetype keyCountAt = h.end() - header;
    h.bulk(batch->keyCount);
    const qsizetype headerSize = h.end() - header;
    batch->commandAt = kHeaderRoom - headerSize;
    batch->argumentsAt = batch->commandAt + keyCountAt;
    std::memcpy(batch->command.data() + batch->commandAt, header, size_t(headerSize));
    batch->command.append(QByteArrayView(m_arguments.data(), m_arguments.size()));
    m_arguments.clear();   // keeps its capacity
    send(batch.release(), false);
    armDeadline(false);
}

void RedisRateLimitConnection::send(Batch *batch, bool eval)
{
    if (eval) {
        // The server lost its script cache: the same call with the script's text.
        const QByteArray &script = RedisRateLimitStore::script();
        const QByteArrayView rest(batch->command.data() + batch->argumentsAt,
                                  batch->command.size() - batch->argumentsAt);
        Buffer command;
        RespWriter out(command.tail(2 * RespWriter::kFraming + 4 + script.size() + rest.size()));
        out.arrayHeader(3 + batch->keyCount + batch->argumentCount);
        out.bulk(QByteArrayView("EVAL"));
        out.bulk(script);
        const qsizetype argumentsAt = out.end() - command.data();
        out.raw(rest);
        command.commit(out.end());
        batch->command = std::move(command);
        batch->commandAt = 0;
        batch->argumentsAt = argumentsAt;
    }
    batch->retriedWithEval = eval;
    batch->command.terminate();
    if (redisAsyncFormattedCommand(m_ctx, &RedisRateLimitConnection::onReply, batch,
                                   batch->command.data() + batch->commandAt,
                                   size_t(batch->command.size() - batch->commandAt)) != REDIS_OK) {
        fail(std::unique_ptr<Batch>(batch));
        QMetaObject::invokeMethod(this, &RedisRateLimitConnection::flush, Qt::QueuedConnection);
        return;
    }
    m_inflight.push_back(batch);
}

// Its requests are decided without Redis (by flush(), never inside hiredis or submit()).
void RedisRateLimitConnection::fail(std::unique_ptr<Batch> batch)
{
    for (std::unique_ptr<Pending> &p : batch->requests) {
        p->decision.ok = false;
        m_finished.push_back(std::move(p));
    }
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
    applyInterest();
}

// hiredis's interest, plus writability while a batch waits to leave.
void RedisRateLimitConnection::applyInterest()
{
    if (m_holdInterest)
        return;   // applied when the socket callback ends (hiredis toggles it several times)
    const bool write = m_wantWrite || m_filling;
    if (m_watchedFd >= 0) {
        m_dispatcher->setSocketInterest(m_watchedFd, m_wantRead, write);
        return;
    }
    if (m_read->socket() < 0)
        return;
    m_read->setEnabled(m_wantRead);
    m_write->setEnabled(write);
}

void RedisRateLimitConnection::socketReadable()
{
    m_holdInterest = true;
    if (m_ctx)
        redisAsyncHandleRead(m_ctx);
    m_holdInterest = false;
    applyInterest();
    flush();
}

void RedisRateLimitConnection::socketWritable()
{
    // Sending a batch turns write interest off (the batch left), hiredis on (its buffer) and off
    // again (written): the dispatcher hears only the outcome.
    m_holdInterest = true;
    if (m_filling)
        sendFilling();
    if (m_ctx)
        redisAsyncHandleWrite(m_ctx);
    m_holdInterest = false;
    applyInterest();
    flush();
}

void RedisRateLimitConnection::contextGone()
{
    // hiredis calls this (its cleanup hook) after failing every callback; it closes the socket next.
    m_ctx = nullptr;
    if (m_filling && !m_destroying) {
        fail(std::move(m_filling));
        QMetaObject::invokeMethod(this, &RedisRateLimitConnection::flush, Qt::QueuedConnection);
    }
    m_holdInterest = false;   // the socket closes next: off now
    setInterest(false, false);
    if (m_watchedFd >= 0) {
        m_dispatcher->unwatchSocket(m_watchedFd);
        m_watchedFd = -1;
    }
    m_deadline->stop();
    m_deadlineArmed = false;
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
    if ((m_inflight.empty() && !m_filling) || (m_deadlineArmed && !force))
        return;
    qint64 first = m_filling ? m_filling->deadlineMs() : m_inflight.front()->deadlineMs();
    for (const Batch *b : m_inflight)
        first = qMin(first, b->deadlineMs());
    m_deadline->start(std::chrono::milliseconds(qMax<qint64>(0, first - nowMs())));
    m_deadlineArmed = true;
}

void RedisRateLimitConnection::onDeadline()
{
    m_deadlineArmed = false;
    const qint64 now = nowMs();
    // A late answer would arrive after its request was decided otherwise; replies come in order,
    // so the connection is dropped and every request waiting on it is decided now. A batch still
    // waiting to leave has found no writable socket for that long: the same.
    const auto late = [now](const Batch *b) { return b->deadlineMs() <= now; };
    if (std::any_of(m_inflight.cbegin(), m_inflight.cend(), late) || (m_filling && late(m_filling.get())))
        dropConnection();
    flush();
    armDeadline(true);
}

void RedisRateLimitConnection::flush()
{
    // Completions resume requests, which may send again: never run them inside hiredis.
    while (!m_finished.empty()) {
        std::vector<std::unique_ptr<Pending>> batch = std::move(m_completing);
        batch.clear();
        batch.swap(m_finished);
        for (std::unique_ptr<Pending> &p : batch) {
            if (!p->decision.ok)
                m_failures->fetch_add(1, std::memory_order_relaxed);
            p->done(p->decision);
            p->done = nullptr;   // lets go of what the request's closure holds
            if (qsizetype(m_freePending.size()) < 2 * kMaxBatch)
                m_freePending.push_back(std::move(p));
        }
        batch.clear();
        m_completing = std::move(batch);
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
    std::unique_ptr<Batch> batch(static_cast<Batch *>(privdata));
    if (!self || self->m_destroying)
        return;
    if (!self->m_inflight.empty() && self->m_inflight.front() == batch.get())
        self->m_inflight.pop_front();   // replies come in order
    else
        std::erase(self->m_inflight, batch.get());
    const auto *r = static_cast<const redisReply *>(reply);
    if (r && r->type == REDIS_REPLY_ERROR && !batch->retriedWithEval
        && qstrncmp(r->str, "NOSCRIPT", 8) == 0) {
        self->send(batch.release(), true);   // the server lost its script cache
        self->armDeadline(true);
        return;
    }
    bool ok = r && r->type == REDIS_REPLY_STRING;
    if (ok) {
        // Per group and key, where the key stood when the group began; each request's result
        // follows from it and from the ones before it in the group.
        const char *p = r->str;
        const char *const end = p + r->len;
        auto pending = batch->requests.begin();
        for (const Group &group : batch->groups) {
            QVarLengthArray<qint64, LocalRateLimitStore::kMaxChecks> ahead(group.limits.size());
            for (qint64 &a : ahead)
                ok = ok && nextInteger(p, end, a) && a >= 0;
            if (!ok)
                break;
            for (qsizetype i = 0; i < group.requests; ++i, ++pending)
                replay(group.limits, ahead, (*pending)->decision);
        }
        ok = ok && p == end;
        if (!ok && !self->m_warned) {
            self->m_warned = true;
            qWarning("rate limiting: Redis answered the rate-limit script with an unexpected reply");
        }
    } else if (r && r->type == REDIS_REPLY_ERROR && !self->m_warned) {
        self->m_warned = true;
        qWarning("rate limiting: Redis answered the rate-limit script with an error: %s", r->str);
    }
    for (std::unique_ptr<Pending> &pending : batch->requests) {
        pending->decision.ok = ok;
        self->m_finished.push_back(std::move(pending));
    }
    // Kept for the next batch, with its buffers' capacity.
    batch->requests.clear();
    batch->groups.clear();
    batch->command.clear();
    batch->keyCount = batch->argumentCount = 0;
    batch->retriedWithEval = false;
    self->m_spare = std::move(batch);
}

} // namespace Gatehouse
