// Epoll-based Qt event dispatcher for data-plane worker threads: O(1) per socket event, O(log n) timers.
#pragma once

#include <QAbstractEventDispatcher>

#include <memory>

namespace Gatehouse {

// Why: Qt's stock Unix dispatchers poll() every registered fd on every iteration, so a worker with
// thousands of idle keep-alive connections spends its time scanning them (DESIGN.md, "Data plane
// decisions"). This dispatcher keeps one epoll set per thread; QTcpSocket, QSslSocket, QTimer,
// queued signals and nested QEventLoops keep working unchanged on top of it.
//
// Installation and threading:
//  - Create one per thread and install it before that thread runs any Qt code:
//    `thread->setEventDispatcher(new EpollEventDispatcher)` before `thread->start()`, or
//    `QCoreApplication::setEventDispatcher(...)` before the application object is created for the
//    main thread. The thread (or application) takes ownership.
//  - Every member is called on the owning thread only, except wakeUp() and interrupt(), which are
//    thread-safe (Qt calls wakeUp() from postEvent() on any thread).
//
// Socket notifiers:
//  - Level-triggered epoll: QSocketNotifier is level-triggered by contract (QAbstractSocket reads
//    only what fits its buffer and disables its notifier for backpressure), and an activation
//    that is dropped because its notifier was disabled, deleted or its fd reused is simply
//    reported again by the next wait instead of being lost.
//  - Read, Write and Exception notifiers of one fd share one epoll registration. Interest changes
//    are applied just before the next wait, so enabling and disabling the write notifier within
//    one iteration costs no system call. Removing the last interest is applied at once, because
//    the fd may be closed right after and epoll registrations follow the open file, not the number.
//  - All ready notifiers of one wait are marked before any is activated; disabling or deleting a
//    notifier clears its mark, so a handler that closes a socket, or deletes another notifier, or
//    gets the same fd number back from accept() never causes an activation of the wrong object.
//  - Hang-up and error conditions activate every enabled notifier of the fd, so the owner notices.
//  - Fds epoll cannot watch (regular files) are refused with a warning; close an fd only after its
//    notifiers are disabled or deleted (Qt's socket classes do).
//
// Timers (ids are allocated by Qt; the dispatcher only schedules them):
//  - Qt::PreciseTimer fires at the millisecond it is due, never early.
//  - Qt::CoarseTimer fires no earlier than due and at most 5% of its interval late, aligned to a
//    round boundary so timers of one thread share wake-ups; at most 20 ms it is precise, from 20 s
//    on it is very coarse.
//  - Qt::VeryCoarseTimer has whole-second granularity: its interval is rounded to whole seconds
//    (at least one) and it fires on a second boundary of the monotonic clock.
//  - A timer whose event handler is still running (in a nested event loop) is not fired again
//    until the handler returns. A zero-interval timer fires once per processEvents() call, so
//    sockets, posted events and other timers are served between its events.
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False if the epoll set or the eventfd could not be created (fd limit reached); the dispatcher
    // then processes posted events and timers only.
    bool isValid() const;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    using QAbstractEventDispatcher::registerTimer;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    // Milliseconds until the timer is due (0 if overdue), -1 for an unknown id.
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    // "The loop's now": CLOCK_MONOTONIC in nanoseconds as this thread's EpollEventDispatcher read it
    // when its last wait returned (one read per loop iteration, shared with the timers). Whatever
    // the iteration handles (the sockets that were ready, then timers and posted events) reads the
    // same value, so timestamps of steps that take no real time cost no clock read and measure 0.
    // It lags the real time by the work this thread did since the wait returned, at most one
    // iteration's; durations between iterations (waiting for a peer) stay right within that bound.
    // On a thread without an EpollEventDispatcher, or before its first wait, a fresh clock read.
    static qint64 loopTimeNs() { return t_loopTimeNs != 0 ? t_loopTimeNs : freshTimeNs(); }
    // The same clock read now (a vDSO call, ~20 ns): for what must not measure 0 when it starts and
    // ends within one iteration.
    static qint64 freshTimeNs();

    // Sockets driven without QSocketNotifier (the data plane's ByteStream): readiness calls the
    // watcher directly, with no QEvent and no QObject per activation, and changing the interest
    // costs a flag until the next wait. The notifier rules apply otherwise: level-triggered;
    // changes take effect before the next wait, except that dropping the last interest is applied
    // at once (the fd may be closed next); readiness is marked for the whole batch before anything
    // is activated, and unwatching or dropping an interest clears its mark; hang-up and error
    // activate every interest. An fd is watched or has notifiers, not both. Owning thread only.
    class SocketWatcher
    {
    public:
        virtual void socketReadable() = 0;
        virtual void socketWritable() = 0;

    protected:
        ~SocketWatcher() = default;
    };
    // False (with a warning) if the fd has notifiers or cannot be watched.
    bool watchSocket(int fd, SocketWatcher *watcher, bool read, bool write);
    void setSocketInterest(int fd, bool read, bool write);
    // Call before closing the fd.
    void unwatchSocket(int fd);
    // The current wait reported the watched fd readable (bytes, or a hang-up) and the watcher has
    // not been told yet: what a one-byte peek would learn, without the system call, as of that wait.
    bool isReadReported(int fd) const;

private:
    static inline thread_local qint64 t_loopTimeNs = 0;

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Gatehouse
