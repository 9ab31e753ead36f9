// Epoll event dispatcher: one epoll set + eventfd for sockets and wake-ups, an indexed heap for timers.
#include "proxy/epolleventdispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstring>
#include <unordered_map>
#include <vector>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace Gatehouse {
namespace {

// All times are nanoseconds on the monotonic clock (steady_clock is CLOCK_MONOTONIC on Linux).
using Nanoseconds = qint64;
constexpr Nanoseconds kNsPerMs = 1'000'000;
constexpr Nanoseconds kNsPerSecond = 1'000'000'000;
constexpr int kMaxEventsPerWait = 256; // more ready fds are simply returned by the next wait
constexpr int kNotifierTypes = 3;      // QSocketNotifier::Read, Write, Exception

Nanoseconds now()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

Nanoseconds roundUp(Nanoseconds value, Nanoseconds step)
{
    return (value + step - 1) / step * step;
}

// The roundest alignment within 5% of the interval, so coarse timers of similar periods coincide.
Nanoseconds coarseAlignment(qint64 intervalMs)
{
    static constexpr qint64 kStepsMs[] = {500, 250, 100, 50, 25, 10, 5, 2};
    for (const qint64 step : kStepsMs) {
        if (step * 20 <= intervalMs)
            return step * kNsPerMs;
    }
    return kNsPerMs;
}

quint32 epollEventsFor(int notifierType)
{
    switch (notifierType) {
    case QSocketNotifier::Read:
        return EPOLLIN;
    case QSocketNotifier::Write:
        return EPOLLOUT;
    default:
        return EPOLLPRI;
    }
}

// Which ready conditions activate a notifier of each type. Hang-up and error wake every enabled
// notifier of the fd: level-triggered epoll reports them until someone reads or closes.
quint32 activatingEvents(int notifierType)
{
    return epollEventsFor(notifierType) | EPOLLHUP | EPOLLERR;
}

struct Timer
{
    QObject *object = nullptr;
    qint64 intervalMs = 0;                 // as registered; registeredTimers() reports it back
    Qt::TimerType type = Qt::CoarseTimer;  // as registered
    Qt::TimerType effectiveType = Qt::CoarseTimer;
    Nanoseconds period = 0;
    Nanoseconds dueAt = 0;  // ideal expiry; a repeating timer advances it by period to keep phase
    Nanoseconds fireAt = 0; // dueAt aligned up for coarse and very coarse timers
    quint64 serial = 0;     // tells a re-registration under a recycled id from the original
    qsizetype heapIndex = -1;
    int id = 0;
    bool inHandler = false;
    Timer *prevOfObject = nullptr; // intrusive list of the object's timers
    Timer *nextOfObject = nullptr;
};

struct HeapEntry
{
    Nanoseconds fireAt;
    quint64 order; // equal expiries fire in the order they were scheduled
    Timer *timer;
};

bool before(const HeapEntry &a, const HeapEntry &b)
{
    return a.fireAt != b.fireAt ? a.fireAt < b.fireAt : a.order < b.order;
}

struct FdState
{
    QSocketNotifier *notifiers[kNotifierTypes] = {};
    EpollEventDispatcher::SocketWatcher *watcher = nullptr; // instead of notifiers
    quint32 registered = 0; // events in the epoll set for this fd; 0 = not in the set
    quint8 marked = 0;      // bit per type: ready in the current batch, not yet activated
    quint8 watched = 0;     // the watcher's interest, bit per type (Read, Write)
    bool queued = false;    // in dirtyFds, waiting for its interest to be applied
};

bool wants(const FdState &state, int type)
{
    return state.watcher ? (state.watched & (1u << type)) != 0 : state.notifiers[type] != nullptr;
}

quint32 wantedEvents(const FdState &state)
{
    quint32 events = 0;
    for (int type = 0; type < kNotifierTypes; ++type) {
        if (wants(state, type))
            events |= epollEventsFor(type);
    }
    return events;
}

} // namespace

struct EpollEventDispatcher::Private
{
    int epollFd = -1;
    int wakeFd = -1;

    // wakeUp() writes the eventfd only if the loop sleeps and nobody has signalled since the loop
    // last looked, so a storm of postEvent() calls costs one write per sleep, not one per event.
    std::atomic<bool> wakeUpPending{false};
    std::atomic<bool> sleeping{false};
    std::atomic<bool> interrupted{false};

    std::vector<FdState> fds; // indexed by fd: fds are small dense integers
    std::vector<int> dirtyFds;

    std::unordered_map<int, Timer> timers;               // node-based: Timer addresses are stable
    std::unordered_map<QObject *, Timer *> timersOfObject; // head of each object's list
    std::vector<HeapEntry> heap;
    quint64 nextSerial = 1;
    quint64 nextOrder = 1;

    // --- sockets ---
    void queueInterest(int fd)
    {
        FdState &state = fds[size_t(fd)];
        if (!state.queued) {
            state.queued = true;
            dirtyFds.push_back(fd);
        }
    }

    void applyInterest(int fd)
    {
        FdState &state = fds[size_t(fd)];
        const quint32 wanted = wantedEvents(state);
        if (wanted == state.registered)
            return;
        epoll_event ev{};
        ev.events = wanted;
        ev.data.fd = fd;
        int rc = 0;
        if (wanted == 0) {
            // The fd may already be closed, which removed it from the set by itself.
            rc = epoll_ctl(epollFd, EPOLL_CTL_DEL, fd, nullptr);
            if (rc < 0 && (errno == ENOENT || errno == EBADF))
                rc = 0;
        } else if (state.registered == 0) {
            rc = epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, &ev);
            if (rc < 0 && errno == EEXIST)
                rc = epoll_ctl(epollFd, EPOLL_CTL_MOD, fd, &ev);
        } else {
            // A closed and reused fd number left the set when it was closed: add it again.
            rc = epoll_ctl(epollFd, EPOLL_CTL_MOD, fd, &ev);
            if (rc < 0 && errno == ENOENT)
                rc = epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, &ev);
        }
        if (rc < 0) {
            qWarning("EpollEventDispatcher: cannot watch fd %d: %s", fd, std::strerror(errno));
            state.registered = 0;
            return;
        }
        state.registered = wanted;
    }

    void applyQueuedInterest()
    {
        // Handlers never run in here, so dirtyFds cannot grow while it is walked.
        for (const int fd : dirtyFds) {
            fds[size_t(fd)].queued = false;
            applyInterest(fd);
        }
        dirtyFds.clear();
    }

    // Mark every ready notifier first, then activate: a handler may delete another notifier or
    // close a socket whose fd number accept() hands out again; unregistering clears the mark.
    int activateSocketNotifiers(const epoll_event *events, int count)
    {
        for (int i = 0; i < count; ++i) {
            const int fd = events[i].data.fd;
            if (fd == wakeFd || size_t(fd) >= fds.size())
                continue;
            FdState &state = fds[size_t(fd)];
            for (int type = 0; type < kNotifierTypes; ++type) {
                if (wants(state, type) && (events[i].events & activatingEvents(type)))
                    state.marked |= quint8(1u << type);
            }
        }
        int activated = 0;
        for (int i = 0; i < count; ++i) {
            const int fd = events[i].data.fd;
            for (int type = 0; type < kNotifierTypes; ++type) {
                // Re-index on every step: a handler may grow fds and move its storage.
                if (fd == wakeFd || size_t(fd) >= fds.size())
                    break;
                FdState &state = fds[size_t(fd)];
                const quint8 bit = quint8(1u << type);
                if (!(state.marked & bit))
                    continue;
                state.marked &= quint8(~bit);
                if (EpollEventDispatcher::SocketWatcher *watcher = state.watcher) {
                    if (type == QSocketNotifier::Read)
                        watcher->socketReadable();
                    else
                        watcher->socketWritable();
                } else {
                    QEvent event(QEvent::SockAct);
                    QCoreApplication::sendEvent(state.notifiers[type], &event);
                }
                ++activated;
            }
        }
        return activated;
    }

    void drainWakeFd() const
    {
        quint64 count = 0;
        while (::read(wakeFd, &count, sizeof count) < 0 && errno == EINTR) {
        }
    }

    // --- timers ---
    void place(qsizetype index, const HeapEntry &entry)
    {
        heap[size_t(index)] = entry;
        entry.timer->heapIndex = index;
    }

    void siftUp(qsizetype index)
    {
        const HeapEntry entry = heap[size_t(index)];
        while (index > 0) {
            const qsizetype parent = (index - 1) / 2;
            if (!before(entry, heap[size_t(parent)]))
                break;
            place(index, heap[size_t(parent)]);
            index = parent;
        }
        place(index, entry);
    }

    void siftDown(qsizetype index)
    {
        const HeapEntry entry = heap[size_t(index)];
        const auto size = qsizetype(heap.size());
        for (;;) {
            qsizetype child = 2 * index + 1;
            if (child >= size)
                break;
            if (child + 1 < size && before(heap[size_t(child + 1)], heap[size_t(child)]))
                ++child;
            if (!before(heap[size_t(child)], entry))
                break;
            place(index, heap[size_t(child)]);
            index = child;
        }
        place(index, entry);
    }

    void heapPush(Timer *timer)
    {
        heap.push_back({timer->fireAt, nextOrder++, timer});
        siftUp(qsizetype(heap.size()) - 1);
    }

    void heapRemove(Timer *timer)
    {
        const qsizetype index = timer->heapIndex;
        timer->heapIndex = -1;
        const HeapEntry last = heap.back();
        heap.pop_back();
        if (index < qsizetype(heap.size())) {
            place(index, last);
            siftUp(index);
            siftDown(last.timer->heapIndex);
        }
    }

    static void schedule(Timer &timer, Nanoseconds currentTime, bool first)
    {
        if (first) {
            timer.dueAt = currentTime + timer.period;
        } else {
            timer.dueAt += timer.period;
            if (timer.dueAt < currentTime) // fell behind (the thread was busy): no burst of catch-up
                timer.dueAt = currentTime + timer.period;
        }
        switch (timer.effectiveType) {
        case Qt::PreciseTimer:
            timer.fireAt = timer.dueAt;
            break;
        case Qt::CoarseTimer:
            timer.fireAt = roundUp(timer.dueAt, coarseAlignment(timer.intervalMs));
            break;
        case Qt::VeryCoarseTimer:
            timer.fireAt = roundUp(timer.dueAt, kNsPerSecond);
            break;
        }
    }

    void removeTimer(std::unordered_map<int, Timer>::iterator it)
    {
        Timer &timer = it->second;
        heapRemove(&timer);
        if (timer.prevOfObject) {
            timer.prevOfObject->nextOfObject = timer.nextOfObject;
        } else if (timer.nextOfObject) {
            timersOfObject[timer.object] = timer.nextOfObject;
        } else {
            timersOfObject.erase(timer.object);
        }
        if (timer.nextOfObject)
            timer.nextOfObject->prevOfObject = timer.prevOfObject;
        timers.erase(it);
    }

    // Milliseconds epoll may sleep before the first timer is due: rounded up, so never early.
    int msUntilFirstTimer(Nanoseconds currentTime) const
    {
        if (heap.empty())
            return -1;
        const Nanoseconds wait = heap.front().fireAt - currentTime;
        if (wait <= 0)
            return 0;
        return int(std::min<Nanoseconds>((wait + kNsPerMs - 1) / kNsPerMs, INT_MAX));
    }

    // currentTime: when the wait returned. A timer that falls due while the sockets' handlers run
    // fires in the next iteration, whose wait then does not block.
    int activateTimers(Nanoseconds currentTime)
    {
        if (heap.empty())
            return 0;
        // Take every due timer out and reschedule it before any handler runs, so a zero-interval
        // timer (due again at once) fires once per pass and other work gets its turn.
        QVarLengthArray<std::pair<int, quint64>, 32> due;
        QVarLengthArray<Timer *, 32> expired;
        while (!heap.empty() && heap.front().fireAt <= currentTime) {
            Timer *timer = heap.front().timer;
            heapRemove(timer);
            expired.append(timer);
        }
        for (Timer *timer : expired) {
            schedule(*timer, currentTime, false);
            heapPush(timer);
            due.append({timer->id, timer->serial});
        }
        int fired = 0;
        for (const auto &[id, serial] : due) {
            // The timer may have been killed, or killed and its id given to a new timer, by an
            // earlier handler of this pass; the serial tells them apart.
            auto it = timers.find(id);
            if (it == timers.end() || it->second.serial != serial || it->second.inHandler)
                continue;
            it->second.inHandler = true;
            QTimerEvent event(id);
            QCoreApplication::sendEvent(it->second.object, &event);
            ++fired;
            it = timers.find(id);
            if (it != timers.end() && it->second.serial == serial)
                it->second.inHandler = false;
        }
        return fired;
    }
};

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , d(std::make_unique<Private>())
{
    d->epollFd = epoll_create1(EPOLL_CLOEXEC);
    d->wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (d->epollFd < 0 || d->wakeFd < 0) {
        qWarning("EpollEventDispatcher: cannot create epoll set or eventfd: %s",
                 std::strerror(errno));
        return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = d->wakeFd;
    if (epoll_ctl(d->epollFd, EPOLL_CTL_ADD, d->wakeFd, &ev) < 0)
        qWarning("EpollEventDispatcher: cannot watch the eventfd: %s", std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (d->wakeFd >= 0)
        ::close(d->wakeFd);
    if (d->epollFd >= 0)
        ::close(d->epollFd);
}

qint64 EpollEventDispatcher::freshTimeNs()
{
    return now();
}

bool EpollEventDispatcher::isValid() const
{
    return d->epollFd >= 0 && d->wakeFd >= 0;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    d->interrupted.store(false, std::memory_order_relaxed);
    emit awake();

    // Clear the flag before delivering: whatever is posted from here on signals again. If it was
    // set, events were posted since the last look: deliver them and do not block afterwards, so
    // `while (!done) processEvents(WaitForMoreEvents)` returns once they have been seen.
    const bool hadPosts = d->wakeUpPending.exchange(false);
    QCoreApplication::sendPostedEvents();

    const bool withSockets = !(flags & QEventLoop::ExcludeSocketNotifiers) && isValid();
    const bool withTimers = !(flags & QEventLoop::X11ExcludeTimers);
    if (withSockets)
        d->applyQueuedInterest();

    int timeoutMs = 0;
    if ((flags & QEventLoop::WaitForMoreEvents) && !hadPosts
        && !d->interrupted.load(std::memory_order_relaxed))
        timeoutMs = withTimers ? d->msUntilFirstTimer(now()) : -1;
    if (timeoutMs != 0) {
        emit aboutToBlock();
        // Pairs with wakeUp(): either it sees `sleeping` and writes the eventfd, or we see its flag.
        d->sleeping.store(true);
        if (d->wakeUpPending.load() || d->interrupted.load())
            timeoutMs = 0;
    }

    epoll_event events[kMaxEventsPerWait];
    int count = 0;
    bool wokenUp = false;
    if (withSockets) {
        count = epoll_wait(d->epollFd, events, kMaxEventsPerWait, timeoutMs);
        for (int i = 0; i < count; ++i) {
            if (events[i].data.fd == d->wakeFd)
                wokenUp = true;
        }
    } else if (d->wakeFd >= 0) {
        // Sockets excluded: level-triggered readiness would end the wait at once, so watch only
        // the eventfd (poll() on one fd is as cheap as epoll).
        pollfd wake{d->wakeFd, POLLIN, 0};
        wokenUp = ::poll(&wake, 1, timeoutMs) > 0;
    } else if (timeoutMs != 0) {
        ::poll(nullptr, 0, timeoutMs < 0 ? 10 : timeoutMs); // no eventfd: wake up periodically
    }
    d->sleeping.store(false, std::memory_order_relaxed);
    const Nanoseconds awoke = now();
    t_loopTimeNs = awoke;
    if (count < 0) {
        if (errno != EINTR)
            qWarning("EpollEventDispatcher: epoll_wait failed: %s", std::strerror(errno));
        count = 0;
    }
    int handled = hadPosts ? 1 : 0;
    if (withSockets)
        handled += d->activateSocketNotifiers(events, count);
    if (withTimers)
        handled += d->activateTimers(awoke);
    if (wokenUp) {
        // Another thread posted while we slept: deliver now rather than on the next call. Only
        // after the sockets: a posted handler could otherwise close an fd and reuse its number
        // before the readiness reported for the old one was marked.
        d->drainWakeFd();
        d->wakeUpPending.store(false);
        QCoreApplication::sendPostedEvents();
        ++handled;
    }
    return handled > 0;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const auto fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || type < 0 || type >= kNotifierTypes) {
        qWarning("EpollEventDispatcher: invalid socket notifier (fd %d, type %d)", fd, type);
        return;
    }
    if (size_t(fd) >= d->fds.size())
        d->fds.resize(std::max(size_t(fd) + 1, d->fds.size() * 2));
    FdState &state = d->fds[size_t(fd)];
    if (state.watcher) {
        qWarning("EpollEventDispatcher: fd %d is watched; its notifier is ignored", fd);
        return;
    }
    if (state.notifiers[type] && state.notifiers[type] != notifier)
        qWarning("EpollEventDispatcher: several notifiers of type %d for fd %d; the last one wins",
                 type, fd);
    state.notifiers[type] = notifier;
    state.marked &= quint8(~(1u << type));
    d->queueInterest(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const auto fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || size_t(fd) >= d->fds.size() || type < 0 || type >= kNotifierTypes)
        return;
    FdState &state = d->fds[size_t(fd)];
    if (state.notifiers[type] != notifier)
        return;
    state.notifiers[type] = nullptr;
    state.marked &= quint8(~(1u << type));
    // Dropping the last interest cannot wait for the next epoll_wait: the caller may close the fd
    // now, and a registration outlives a closed fd number if the file is open elsewhere (a dup or
    // a forked child), which would then report events for whoever gets that number next.
    if (wantedEvents(state) == 0)
        d->applyInterest(fd);
    else
        d->queueInterest(fd);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId < 1 || interval < 0 || !object) {
        qWarning("EpollEventDispatcher: invalid timer (id %d, interval %lld ms)", timerId,
                 static_cast<long long>(interval));
        return;
    }
    interval = std::min<qint64>(interval, INT_MAX); // what TimerInfo can report; ~24.8 days
    auto existing = d->timers.find(timerId);
    if (existing != d->timers.end()) // Qt never does this; keep the heap consistent if it does
        d->removeTimer(existing);

    Timer &timer = d->timers[timerId];
    timer.object = object;
    timer.id = timerId;
    timer.intervalMs = interval;
    timer.type = timerType;
    timer.serial = d->nextSerial++;
    // Coarse timers get 5% slack: below 20 ms that is under a millisecond (precise), from 20 s on
    // it is at least a second (very coarse).
    timer.effectiveType = timerType;
    if (timerType == Qt::CoarseTimer && interval <= 20)
        timer.effectiveType = Qt::PreciseTimer;
    else if (timerType == Qt::CoarseTimer && interval >= 20'000)
        timer.effectiveType = Qt::VeryCoarseTimer;
    timer.period = timer.effectiveType == Qt::VeryCoarseTimer
            ? std::max<qint64>(1, (interval + 500) / 1000) * kNsPerSecond
            : interval * kNsPerMs;
    Private::schedule(timer, now(), true);
    d->heapPush(&timer);

    Timer *&head = d->timersOfObject[object];
    timer.nextOfObject = head;
    if (head)
        head->prevOfObject = &timer;
    head = &timer;
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = d->timers.find(timerId);
    if (it == d->timers.end())
        return false;
    d->removeTimer(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const auto head = d->timersOfObject.find(object);
    if (head == d->timersOfObject.end())
        return false;
    Timer *timer = head->second;
    d->timersOfObject.erase(head);
    while (timer) {
        Timer *next = timer->nextOfObject;
        d->heapRemove(timer);
        d->timers.erase(timer->id);
        timer = next;
    }
    return true;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> result;
    const auto head = d->timersOfObject.find(object);
    if (head == d->timersOfObject.end())
        return result;
    for (const Timer *timer = head->second; timer; timer = timer->nextOfObject)
        result.append(TimerInfo(timer->id, int(timer->intervalMs), timer->type));
    return result;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = d->timers.find(timerId);
    if (it == d->timers.end())
        return -1;
    const Nanoseconds left = it->second.fireAt - now();
    return left <= 0 ? 0 : int(std::min<Nanoseconds>(left / kNsPerMs, INT_MAX));
}

void EpollEventDispatcher::wakeUp()
{
    if (d->wakeUpPending.exchange(true) || !d->sleeping.load() || d->wakeFd < 0)
        return;
    const quint64 one = 1;
    while (::write(d->wakeFd, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void EpollEventDispatcher::interrupt()
{
    d->interrupted.store(true);
    wakeUp();
}

bool EpollEventDispatcher::watchSocket(int fd, SocketWatcher *watcher, bool read, bool write)
{
    if (fd < 0 || !watcher || !isValid()) {
        qWarning("EpollEventDispatcher: cannot watch fd %d", fd);
        return false;
    }
    if (size_t(fd) >= d->fds.size())
        d->fds.resize(std::max(size_t(fd) + 1, d->fds.size() * 2));
    FdState &state = d->fds[size_t(fd)];
    for (const QSocketNotifier *notifier : state.notifiers) {
        if (notifier) {
            qWarning("EpollEventDispatcher: fd %d has socket notifiers; it cannot be watched", fd);
            return false;
        }
    }
    state.watcher = watcher;
    state.watched = 0;
    state.marked = 0;
    setSocketInterest(fd, read, write);
    d->queueInterest(fd);
    return true;
}

void EpollEventDispatcher::setSocketInterest(int fd, bool read, bool write)
{
    if (fd < 0 || size_t(fd) >= d->fds.size() || !d->fds[size_t(fd)].watcher)
        return;
    FdState &state = d->fds[size_t(fd)];
    const quint8 watched = quint8((read ? 1u << QSocketNotifier::Read : 0u)
                                  | (write ? 1u << QSocketNotifier::Write : 0u));
    if (watched == state.watched)
        return;
    state.watched = watched;
    state.marked &= watched; // an interest dropped mid-batch is not activated any more
    if (watched == 0)
        d->applyInterest(fd); // as for notifiers: the fd may be closed next
    else
        d->queueInterest(fd);
}

bool EpollEventDispatcher::isReadReported(int fd) const
{
    return fd >= 0 && size_t(fd) < d->fds.size() && d->fds[size_t(fd)].watcher
           && (d->fds[size_t(fd)].marked & (1u << QSocketNotifier::Read)) != 0;
}

void EpollEventDispatcher::unwatchSocket(int fd)
{
    if (fd < 0 || size_t(fd) >= d->fds.size() || !d->fds[size_t(fd)].watcher)
        return;
    FdState &state = d->fds[size_t(fd)];
    state.watcher = nullptr;
    state.watched = 0;
    state.marked = 0;
    d->applyInterest(fd);
}

} // namespace Gatehouse
