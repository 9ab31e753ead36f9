// Qt's own timer, socket-notifier, event-loop and network behaviours, run on EpollEventDispatcher.
// Built twice: on a QThread with the dispatcher installed, and on the main thread
// (GATEHOUSE_DISPATCHER_ON_MAIN_THREAD). No assertion depends on how fast the machine is: timing
// checks are "never early" lower bounds, or upper bounds computed before anything ran.
#include "proxy/epolleventdispatcher.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QPointer>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <openssl/crypto.h>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Gatehouse;
using namespace std::chrono_literals;

namespace {

// Runs this thread's loop until done() or the timeout. Only a single-shot safety timer bounds the
// waits, so a lost wake-up shows up as a timeout instead of being hidden by periodic polling.
bool spinUntil(const std::function<bool()> &done, std::chrono::milliseconds timeout = 30s)
{
    bool timedOut = false;
    QTimer safety;
    safety.setSingleShot(true);
    safety.setTimerType(Qt::PreciseTimer);
    QObject::connect(&safety, &QTimer::timeout, &safety, [&timedOut] { timedOut = true; });
    safety.start(timeout);
    while (!done()) {
        if (timedOut)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

// For conditions another thread changes without posting to this one: look every 5 ms.
bool pollUntil(const std::function<bool()> &done, std::chrono::milliseconds timeout = 30s)
{
    QTimer ticker;
    ticker.start(5);
    return spinUntil(done, timeout);
}

void spinFor(std::chrono::milliseconds duration)
{
    spinUntil([] { return false; }, duration);
}

// A pipe or a socket pair, non-blocking, closed on destruction.
class FdPair
{
public:
    enum class Kind { Pipe = 1, SocketPair };
    explicit FdPair(Kind kind)
    {
        const int rc = kind == Kind::Pipe
                ? ::pipe2(m_fds, O_CLOEXEC | O_NONBLOCK)
                : ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, m_fds);
        if (rc != 0)
            m_fds[0] = m_fds[1] = -1;
    }
    ~FdPair() { close(0), close(1); }
    Q_DISABLE_COPY_MOVE(FdPair)

    bool isValid() const { return m_fds[0] >= 0 && m_fds[1] >= 0; }
    int fd(int end) const { return m_fds[end]; }
    bool send(int end, char byte = 'x') { return ::write(m_fds[end], &byte, 1) == 1; }
    void close(int end)
    {
        if (m_fds[end] >= 0)
            ::close(m_fds[end]);
        m_fds[end] = -1;
    }
    // Reads everything available; false once the other end is closed.
    bool drain(int end)
    {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::read(m_fds[end], buffer, sizeof buffer);
            if (n == 0)
                return false;
            if (n < 0)
                return true;
        }
    }

private:
    int m_fds[2] = {-1, -1};
};

// A SocketWatcher calling back std::functions.
struct Watcher final : EpollEventDispatcher::SocketWatcher
{
    std::function<void()> onReadable = [] {};
    std::function<void()> onWritable = [] {};
    void socketReadable() override { onReadable(); }
    void socketWritable() override { onWritable(); }
};

// Two socket pairs with their reading ends watched; each handler drains its socket, and the first
// handler called also runs `onFirst(index)`: made ready together, both are in one wait's batch.
struct TwoWatchedPairs
{
    std::array<std::unique_ptr<FdPair>, 2> pairs;
    std::array<Watcher, 2> watchers;
    std::array<int, 2> reads{};
    int first = -1;

    int fd(int i) const { return pairs[size_t(i)]->fd(0); }
    bool watch(EpollEventDispatcher *d, std::function<void(int)> onFirst)
    {
        for (int i = 0; i < 2; ++i) {
            pairs[size_t(i)] = std::make_unique<FdPair>(FdPair::Kind::SocketPair);
            if (!pairs[size_t(i)]->isValid())
                return false;
            watchers[size_t(i)].onReadable = [this, i, onFirst] {
                ++reads[size_t(i)];
                pairs[size_t(i)]->drain(0);
                if (first < 0) {
                    first = i;
                    onFirst(i);
                }
            };
            if (!d->watchSocket(fd(i), &watchers[size_t(i)], true, false))
                return false;
        }
        return true;
    }
};

EpollEventDispatcher *epollDispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

// write() system calls of the whole process so far (eventfd writes among them).
qint64 writeSyscalls()
{
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("syscw:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

// ThreadSanitizer cannot see an object handed to another thread through Qt's (uninstrumented,
// futex-based) event queues: a release before moveToThread() and an acquire there make it visible.
std::atomic<int> g_handOver{0};

class TimerRecorder : public QObject
{
public:
    std::function<void(int timerId)> onTimer;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        g_handOver.load(std::memory_order_acquire);
        if (onTimer)
            onTimer(event->timerId());
    }
};

// The target of cross-thread calls made with Qt's string-based invokeMethod. Qt copies their
// arguments in its own code, which TSan does not watch; a queued lambda's captures are written by
// the posting thread and read and freed by this one, ordered only by Qt's queue mutex, which TSan
// cannot see (it would report every such call).
class CallTarget : public QObject
{
    Q_OBJECT
public:
    static constexpr int kProducers = 4;
    std::atomic<QThread *> ranOn{nullptr};
    // Read and written on the target's thread only.
    std::array<int, kProducers> next{};
    int delivered = 0;
    bool inOrder = true;

public slots:
    void recordThread() { ranOn = QThread::currentThread(); }
    void deliver(int producer, int index)
    {
        inOrder = inOrder && next[size_t(producer)] == index;
        next[size_t(producer)] = index + 1;
        ++delivered;
    }
};

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator(seed).fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

enum class TimerChange { KillOther = 1, KillSelf, ReplaceOther };
enum class NotifierChange { DeleteOther = 1, DisableOther, CloseOtherAndReuseFd, ReuseFdAlreadyReadable };

} // namespace

Q_DECLARE_METATYPE(TimerChange)
Q_DECLARE_METATYPE(NotifierChange)

class tst_EpollEventDispatcher : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void singleShotTimer_data();
    void singleShotTimer();
    void repeatingTimerKeepsItsPhase();
    void zeroIntervalTimerLetsOtherWorkThrough();
    void remainingTimeCountsDown();
    void loopTimeIsReadOncePerWait();
    void timerChangesInsideTimerEvent_data();
    void timerChangesInsideTimerEvent();
    void timerRunningANestedLoopIsNotReentered();
    void tenThousandTimersFireInDeadlineOrder();
    void timersFollowAnObjectToAnotherThread();

    void readNotifierIsLevelTriggered();
    void readAndWriteNotifiersShareOneFd();
    void hangUpActivatesTheReadNotifier();
    void notifierChangesDuringDispatch_data();
    void notifierChangesDuringDispatch();
    void writeNotifierToggledWithinOneHandlerStaysQuiet();
    void watchedSocketIsLevelTriggeredWithoutNotifiers();
    void watchedSocketReportsReadAndWriteInterest();
    void unwatchingDuringDispatchCancelsReadiness();
    void readinessOfTheCurrentWaitIsReportedBeforeDelivery();
    void aSocketIsWatchedOrHasNotifiersNotBoth();

    void excludeSocketNotifiersLeavesSocketsForLater();
    void excludeTimersLeavesTimersForLater();
    void waitEndsOnPostFromAnotherThread();
    void waitEndsOnInterrupt();
    void awakeAndAboutToBlockAreEmitted();
    void postsFromOtherThreadsCoalesceWakeUps();
    void nestedEventLoopsExitInOrder();
    void workerThreadIdlesAndQuits();

    void tcpEchoOfTenMegabytes();
    void thousandConcurrentConnections();
    void sslHandshakeAndEcho();

private:
    QAbstractEventDispatcher *dispatcher() const { return QAbstractEventDispatcher::instance(); }
};

void tst_EpollEventDispatcher::initTestCase()
{
    QVERIFY2(qobject_cast<EpollEventDispatcher *>(dispatcher()),
             "the tests must run on EpollEventDispatcher");
    qInfo("running on the %s thread",
          QThread::currentThread() == QCoreApplication::instance()->thread() ? "main" : "worker");
}

void tst_EpollEventDispatcher::singleShotTimer_data()
{
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<Qt::TimerType>("type");
    QTest::addColumn<int>("earliestMs");      // it must not fire before this
    QTest::addColumn<int>("maxRemainingMs");  // remainingTime() right after start() is at most this

    QTest::newRow("a precise 30 ms timer fires once and never early")
            << 30 << Qt::PreciseTimer << 30 << 30;
    QTest::newRow("a coarse 200 ms timer fires once, at most 5% late")
            << 200 << Qt::CoarseTimer << 200 << 210;
    QTest::newRow("a coarse 10 ms timer is as exact as a precise one")
            << 10 << Qt::CoarseTimer << 10 << 10;
    QTest::newRow("a very coarse 1.4 s timer rounds to a whole second")
            << 1400 << Qt::VeryCoarseTimer << 1000 << 2000;
    QTest::newRow("a zero-interval timer fires on the next pass")
            << 0 << Qt::PreciseTimer << 0 << 0;
}

void tst_EpollEventDispatcher::singleShotTimer()
{
    QFETCH(int, intervalMs);
    QFETCH(Qt::TimerType, type);
    QFETCH(int, earliestMs);
    QFETCH(int, maxRemainingMs);

    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(type);
    int fired = 0;
    qint64 firedAtMs = -1;
    QElapsedTimer clock;
    connect(&timer, &QTimer::timeout, this, [&] {
        ++fired;
        firedAtMs = clock.elapsed();
    });
    clock.start();
    timer.start(intervalMs);
    const int remaining = timer.remainingTime();
    QVERIFY2(remaining >= 0 && remaining <= maxRemainingMs, qPrintable(QString::number(remaining)));

    QVERIFY(spinUntil([&] { return fired > 0; }, 10s));
    QVERIFY2(firedAtMs >= earliestMs, qPrintable(QString::number(firedAtMs)));
    spinFor(50ms);
    QCOMPARE(fired, 1);
}

void tst_EpollEventDispatcher::repeatingTimerKeepsItsPhase()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    QList<qint64> ticksMs;
    QElapsedTimer clock;
    connect(&timer, &QTimer::timeout, this, [&] { ticksMs.append(clock.elapsed()); });
    clock.start();
    timer.start(15);
    QVERIFY(spinUntil([&] { return ticksMs.size() >= 10; }, 20s));
    timer.stop();
    // Tick n is due n * 15 ms after start at the earliest, however late the previous one was.
    for (int i = 0; i < 10; ++i)
        QVERIFY2(ticksMs.at(i) >= 15 * (i + 1), qPrintable(QString::number(ticksMs.at(i))));
    const auto count = ticksMs.size();
    spinFor(50ms);
    QCOMPARE(ticksMs.size(), count);
}

void tst_EpollEventDispatcher::zeroIntervalTimerLetsOtherWorkThrough()
{
    QTimer zero;
    int zeroTicks = 0;
    connect(&zero, &QTimer::timeout, this, [&] { ++zeroTicks; });
    zero.start(0);

    FdPair pipe(FdPair::Kind::Pipe);
    QVERIFY(pipe.isValid());
    QSocketNotifier notifier(pipe.fd(0), QSocketNotifier::Read);
    bool socketServed = false;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        pipe.drain(0);
        socketServed = true;
    });
    bool postServed = false;
    QMetaObject::invokeMethod(this, [&] { postServed = true; }, Qt::QueuedConnection);
    bool timerServed = false;
    QTimer::singleShot(10, this, [&] { timerServed = true; });
    QVERIFY(pipe.send(1));

    QVERIFY(spinUntil([&] { return socketServed && postServed && timerServed; }, 10s));
    QVERIFY(zeroTicks > 0);
}

void tst_EpollEventDispatcher::remainingTimeCountsDown()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.start(10'000);
    const int first = timer.remainingTime();
    QVERIFY2(first > 0 && first <= 10'000, qPrintable(QString::number(first)));
    spinFor(60ms);
    const int second = timer.remainingTime();
    QVERIFY2(second >= 0 && second <= first - 59,
             qPrintable(QStringLiteral("%1 then %2").arg(first).arg(second)));
    timer.stop();
    QCOMPARE(timer.remainingTime(), -1);
    QCOMPARE(dispatcher()->remainingTime(0x7ffffff0), -1);
}

void tst_EpollEventDispatcher::loopTimeIsReadOncePerWait()
{
    const auto clockNs = [] {
        return qint64(std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::steady_clock::now().time_since_epoch())
                              .count());
    };
    FdPair pipe(FdPair::Kind::Pipe);
    QVERIFY(pipe.isValid());
    QSocketNotifier notifier(pipe.fd(0), QSocketNotifier::Read);
    qint64 atActivation = 0;
    qint64 afterWork = 0;
    qint64 handlerDone = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        pipe.drain(0);
        atActivation = EpollEventDispatcher::loopTimeNs();
        const qint64 busyUntil = clockNs() + 2'000'000;
        while (clockNs() < busyUntil) {
        }
        afterWork = EpollEventDispatcher::loopTimeNs();
        handlerDone = clockNs();
    });
    const qint64 sent = clockNs();
    QVERIFY(pipe.send(1));
    QVERIFY(spinUntil([&] { return atActivation != 0; }, 10s));
    // The wait returned after the byte was sent; 2 ms of work in the handler did not move it.
    QVERIFY(atActivation >= sent);
    QCOMPARE(afterWork, atActivation);
    QVERIFY(handlerDone - atActivation >= 2'000'000);
    // The next wait reads the clock again.
    spinFor(5ms);
    QVERIFY(EpollEventDispatcher::loopTimeNs() >= handlerDone);

    // A thread without an EpollEventDispatcher reads the clock on every call.
    qint64 first = 0;
    qint64 second = 0;
    std::thread plain([&] {
        first = EpollEventDispatcher::loopTimeNs();
        std::this_thread::sleep_for(1ms);
        second = EpollEventDispatcher::loopTimeNs();
    });
    plain.join();
    QVERIFY(first > 0);
    QVERIFY(second - first >= 1'000'000);
}

void tst_EpollEventDispatcher::timerChangesInsideTimerEvent_data()
{
    QTest::addColumn<TimerChange>("change");
    QTest::addColumn<QString>("expected");
    QTest::newRow("a timer killed by an earlier timer's event in the same pass never fires")
            << TimerChange::KillOther << QStringLiteral("A");
    QTest::newRow("a timer killing itself in its event fires exactly once")
            << TimerChange::KillSelf << QStringLiteral("AB");
    QTest::newRow("a timer killed and its id recycled by a new timer waits for the new interval")
            << TimerChange::ReplaceOther << QStringLiteral("A");
}

void tst_EpollEventDispatcher::timerChangesInsideTimerEvent()
{
    QFETCH(TimerChange, change);
    QFETCH(QString, expected);

    TimerRecorder object;
    const int a = object.startTimer(20, Qt::PreciseTimer);
    const int b = object.startTimer(20, Qt::PreciseTimer);
    int c = -1;
    QString log;
    object.onTimer = [&](int id) {
        if (id == a) {
            log += QLatin1Char('A');
            object.killTimer(a);
            if (change == TimerChange::KillOther || change == TimerChange::ReplaceOther)
                object.killTimer(b);
            if (change == TimerChange::ReplaceOther)
                c = object.startTimer(5'000, Qt::PreciseTimer);
        } else if (id == b) {
            log += QLatin1Char('B');
            object.killTimer(b);
        } else if (id == c) {
            log += QLatin1Char('C');
        }
    };
    QThread::msleep(30); // both are overdue when the loop next looks: they fire in one pass
    spinFor(200ms);
    QCOMPARE(log, expected);
    if (change == TimerChange::ReplaceOther)
        qInfo("the new timer %s the killed timer's id", c == b ? "recycled" : "did not recycle");
    // `c` is still running: ~QObject hands it to unregisterTimers().
}

void tst_EpollEventDispatcher::timerRunningANestedLoopIsNotReentered()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    int ticks = 0;
    int depth = 0;
    int maxDepth = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        ++ticks;
        maxDepth = std::max(maxDepth, ++depth);
        if (ticks == 1) {
            QEventLoop inner;
            QTimer::singleShot(60, &inner, &QEventLoop::quit);
            inner.exec();
        }
        --depth;
    });
    timer.start(5);
    QVERIFY(spinUntil([&] { return ticks >= 5; }, 10s));
    QCOMPARE(maxDepth, 1);
}

void tst_EpollEventDispatcher::tenThousandTimersFireInDeadlineOrder()
{
    constexpr int kTimers = 10'000;
    TimerRecorder object;
    QRandomGenerator random(20240601);
    std::vector<int> intervalOf(kTimers);
    QHash<int, int> indexOfId;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < kTimers; ++i) {
        intervalOf[size_t(i)] = int(random.bounded(300));
        indexOfId.insert(object.startTimer(intervalOf[size_t(i)], Qt::PreciseTimer), i);
    }
    const qint64 registrationSpanMs = clock.elapsed() + 1;
    QCOMPARE(dispatcher()->registeredTimers(&object).size(), kTimers);

    std::vector<int> order;
    order.reserve(kTimers);
    object.onTimer = [&](int id) {
        object.killTimer(id);
        order.push_back(indexOfId.value(id, -1));
    };
    QVERIFY(spinUntil([&] { return order.size() >= size_t(kTimers); }, 30s));
    spinFor(20ms);
    QCOMPARE(order.size(), size_t(kTimers));
    QVERIFY(dispatcher()->registeredTimers(&object).isEmpty());

    // Deadlines are registration time + interval: a timer fires after every timer whose interval is
    // longer by more than the registration span; equal intervals fire in registration order.
    int longestSoFar = -1;
    QHash<int, int> lastIndexOfInterval;
    for (const int index : order) {
        QVERIFY(index >= 0);
        const int interval = intervalOf[size_t(index)];
        QVERIFY2(longestSoFar <= interval + registrationSpanMs,
                 qPrintable(QStringLiteral("%1 ms fired after %2 ms").arg(interval).arg(longestSoFar)));
        longestSoFar = std::max(longestSoFar, interval);
        QVERIFY(lastIndexOfInterval.value(interval, -1) < index);
        lastIndexOfInterval.insert(interval, index);
    }
}

void tst_EpollEventDispatcher::timersFollowAnObjectToAnotherThread()
{
    auto *object = new TimerRecorder;
    object->startTimer(10, Qt::PreciseTimer);
    object->startTimer(500, Qt::CoarseTimer);
    object->startTimer(2'000, Qt::VeryCoarseTimer);
    auto timers = dispatcher()->registeredTimers(object);
    std::sort(timers.begin(), timers.end(),
              [](const auto &x, const auto &y) { return x.interval < y.interval; });
    QCOMPARE(timers.size(), 3);
    QCOMPARE(timers.at(0).interval, 10);
    QCOMPARE(timers.at(0).timerType, Qt::PreciseTimer);
    QCOMPARE(timers.at(1).interval, 500);
    QCOMPARE(timers.at(1).timerType, Qt::CoarseTimer);
    QCOMPARE(timers.at(2).interval, 2'000);
    QCOMPARE(timers.at(2).timerType, Qt::VeryCoarseTimer);

    QThread other; // Qt's own dispatcher
    other.start();
    std::atomic<QThread *> firedOn{nullptr};
    object->onTimer = [object, &firedOn](int) {
        if (!firedOn.load()) {
            firedOn = QThread::currentThread();
            object->deleteLater();
        }
    };
    g_handOver.fetch_add(1, std::memory_order_release);
    object->moveToThread(&other); // Qt asks us for registeredTimers() and unregisterTimers()
    QVERIFY(dispatcher()->registeredTimers(object).isEmpty());
    QVERIFY(pollUntil([&] { return firedOn.load() != nullptr; }, 10s));
    QCOMPARE(firedOn.load(), &other);
    other.quit();
    QVERIFY(other.wait(10'000));
}

void tst_EpollEventDispatcher::readNotifierIsLevelTriggered()
{
    FdPair pipe(FdPair::Kind::Pipe);
    QVERIFY(pipe.isValid());
    QSocketNotifier notifier(pipe.fd(0), QSocketNotifier::Read);
    int activations = 0;
    bool drain = false;
    connect(&notifier, &QSocketNotifier::activated, this,
            [&](QSocketDescriptor fd, QSocketNotifier::Type type) {
                QCOMPARE(int(fd), pipe.fd(0));
                QCOMPARE(type, QSocketNotifier::Read);
                ++activations;
                if (drain)
                    pipe.drain(0);
            });
    QVERIFY(pipe.send(1));
    QVERIFY(spinUntil([&] { return activations >= 3; }, 5s)); // unread data keeps it ready

    drain = true;
    const int beforeDrain = activations;
    QVERIFY(spinUntil([&] { return activations > beforeDrain; }, 5s));
    const int drained = activations;
    spinFor(50ms);
    QCOMPARE(activations, drained); // nothing left: quiet

    notifier.setEnabled(false);
    QVERIFY(pipe.send(1));
    spinFor(50ms);
    QCOMPARE(activations, drained); // disabled: quiet although readable
    notifier.setEnabled(true);
    QVERIFY(spinUntil([&] { return activations > drained; }, 5s));
}

void tst_EpollEventDispatcher::readAndWriteNotifiersShareOneFd()
{
    FdPair pair(FdPair::Kind::SocketPair);
    QVERIFY(pair.isValid());
    QSocketNotifier reader(pair.fd(0), QSocketNotifier::Read);
    QSocketNotifier writer(pair.fd(0), QSocketNotifier::Write);
    int reads = 0;
    int writes = 0;
    connect(&reader, &QSocketNotifier::activated, this, [&] {
        ++reads;
        pair.drain(0);
    });
    connect(&writer, &QSocketNotifier::activated, this, [&] {
        ++writes;
        writer.setEnabled(false);
    });
    QVERIFY(spinUntil([&] { return writes == 1; }, 5s)); // a fresh socket is writable
    QCOMPARE(reads, 0);
    QVERIFY(pair.send(1));
    QVERIFY(spinUntil([&] { return reads == 1; }, 5s));
    QCOMPARE(writes, 1);
    writer.setEnabled(true);
    QVERIFY(spinUntil([&] { return writes == 2; }, 5s));
    reader.setEnabled(false); // the writer alone keeps the registration
    writer.setEnabled(true);
    QVERIFY(spinUntil([&] { return writes == 3; }, 5s));
    QCOMPARE(reads, 1);
}

void tst_EpollEventDispatcher::hangUpActivatesTheReadNotifier()
{
    FdPair pipe(FdPair::Kind::Pipe);
    QVERIFY(pipe.isValid());
    QSocketNotifier reader(pipe.fd(0), QSocketNotifier::Read);
    bool endOfFile = false;
    connect(&reader, &QSocketNotifier::activated, this, [&] {
        if (!pipe.drain(0)) {
            endOfFile = true;
            reader.setEnabled(false); // else level-triggered hang-up reports forever, rightly
        }
    });
    pipe.close(1);
    QVERIFY(spinUntil([&] { return endOfFile; }, 5s));
}

void tst_EpollEventDispatcher::notifierChangesDuringDispatch_data()
{
    QTest::addColumn<NotifierChange>("change");
    QTest::newRow("a notifier deleted by another notifier's handler is not activated")
            << NotifierChange::DeleteOther;
    QTest::newRow("a notifier disabled by another notifier's handler waits until re-enabled")
            << NotifierChange::DisableOther;
    QTest::newRow("a new notifier on a just-closed fd number does not inherit its readiness")
            << NotifierChange::CloseOtherAndReuseFd;
    QTest::newRow("a new notifier on a reused fd that is readable fires on a later wait")
            << NotifierChange::ReuseFdAlreadyReadable;
}

void tst_EpollEventDispatcher::notifierChangesDuringDispatch()
{
    QFETCH(NotifierChange, change);

    std::array<std::unique_ptr<FdPair>, 2> pairs;
    std::array<std::unique_ptr<QSocketNotifier>, 2> notifiers;
    std::unique_ptr<FdPair> replacement;
    std::unique_ptr<QSocketNotifier> replacementNotifier;
    int round = 0;
    connect(dispatcher(), &QAbstractEventDispatcher::awake, this, [&] { ++round; });
    QList<QPair<int, int>> log; // (who: 0, 1 or 2 for the replacement, round)
    int first = -1;
    bool reusedFd = false;

    auto onActivated = [&](int self) {
        log.append({self, round});
        pairs[size_t(self)]->drain(0);
        if (first >= 0)
            return;
        first = self;
        const auto other = size_t(1 - self);
        switch (change) {
        case NotifierChange::DeleteOther:
            notifiers[other].reset();
            break;
        case NotifierChange::DisableOther:
            notifiers[other]->setEnabled(false);
            break;
        case NotifierChange::CloseOtherAndReuseFd:
        case NotifierChange::ReuseFdAlreadyReadable: {
            const int closedFd = pairs[other]->fd(0);
            notifiers[other].reset();
            pairs[other]->close(0);
            replacement = std::make_unique<FdPair>(FdPair::Kind::SocketPair);
            reusedFd = replacement->fd(0) == closedFd; // the lowest free number comes back
            if (change == NotifierChange::ReuseFdAlreadyReadable)
                replacement->send(1);
            replacementNotifier = std::make_unique<QSocketNotifier>(replacement->fd(0),
                                                                    QSocketNotifier::Read);
            connect(replacementNotifier.get(), &QSocketNotifier::activated, this, [&] {
                log.append({2, round});
                replacement->drain(0);
            });
            break;
        }
        }
    };
    for (int i = 0; i < 2; ++i) {
        pairs[size_t(i)] = std::make_unique<FdPair>(FdPair::Kind::SocketPair);
        QVERIFY(pairs[size_t(i)]->isValid());
        notifiers[size_t(i)] = std::make_unique<QSocketNotifier>(pairs[size_t(i)]->fd(0),
                                                                 QSocketNotifier::Read);
        connect(notifiers[size_t(i)].get(), &QSocketNotifier::activated, this,
                [&onActivated, i] { onActivated(i); });
        QVERIFY(pairs[size_t(i)]->send(1)); // both ready before the first wait: one batch
    }
    spinFor(100ms);
    disconnect(dispatcher(), &QAbstractEventDispatcher::awake, this, nullptr);

    QVERIFY(first >= 0);
    const int other = 1 - first;
    const int firstRound = log.constFirst().second;
    auto entriesOf = [&](int who) {
        return int(std::count_if(log.cbegin(), log.cend(),
                                 [who](const auto &e) { return e.first == who; }));
    };
    QCOMPARE(entriesOf(first), 1);
    QCOMPARE(entriesOf(other), 0);
    switch (change) {
    case NotifierChange::DeleteOther:
        break;
    case NotifierChange::DisableOther:
        notifiers[size_t(other)]->setEnabled(true); // still readable: level-triggered
        QVERIFY(spinUntil([&] { return entriesOf(other) == 1; }, 5s));
        break;
    case NotifierChange::CloseOtherAndReuseFd:
        QVERIFY(reusedFd);
        QCOMPARE(entriesOf(2), 0);
        break;
    case NotifierChange::ReuseFdAlreadyReadable:
        QVERIFY(reusedFd);
        QCOMPARE(entriesOf(2), 1);
        QVERIFY(log.constLast().second > firstRound);
        break;
    }
}

void tst_EpollEventDispatcher::writeNotifierToggledWithinOneHandlerStaysQuiet()
{
    FdPair pair(FdPair::Kind::SocketPair);
    QVERIFY(pair.isValid());
    QSocketNotifier reader(pair.fd(0), QSocketNotifier::Read);
    QSocketNotifier writer(pair.fd(0), QSocketNotifier::Write);
    writer.setEnabled(false);
    int writes = 0;
    bool toggled = false;
    connect(&writer, &QSocketNotifier::activated, this, [&] {
        ++writes;
        writer.setEnabled(false);
    });
    connect(&reader, &QSocketNotifier::activated, this, [&] {
        pair.drain(0);
        for (int i = 0; i < 1000; ++i) { // what a response that is flushed at once looks like
            writer.setEnabled(true);
            writer.setEnabled(false);
        }
        toggled = true;
    });
    QVERIFY(pair.send(1));
    QVERIFY(spinUntil([&] { return toggled; }, 5s));
    spinFor(50ms);
    QCOMPARE(writes, 0);
    writer.setEnabled(true);
    QVERIFY(spinUntil([&] { return writes == 1; }, 5s));
}

void tst_EpollEventDispatcher::watchedSocketIsLevelTriggeredWithoutNotifiers()
{
    EpollEventDispatcher *d = epollDispatcher();
    QVERIFY(d);
    FdPair pipe(FdPair::Kind::Pipe);
    QVERIFY(pipe.isValid());
    Watcher watcher;
    int reads = 0;
    bool drain = false;
    watcher.onReadable = [&] {
        ++reads;
        if (drain)
            pipe.drain(0);
    };
    QVERIFY(d->watchSocket(pipe.fd(0), &watcher, true, false));
    QVERIFY(pipe.send(1));
    QVERIFY(spinUntil([&] { return reads >= 3; }, 5s)); // unread data keeps it ready

    drain = true;
    const int beforeDrain = reads;
    QVERIFY(spinUntil([&] { return reads > beforeDrain; }, 5s));
    const int drained = reads;
    spinFor(50ms);
    QCOMPARE(reads, drained); // nothing left: quiet

    d->setSocketInterest(pipe.fd(0), false, false);
    QVERIFY(pipe.send(1));
    spinFor(50ms);
    QCOMPARE(reads, drained); // no interest: quiet although readable
    d->setSocketInterest(pipe.fd(0), true, false);
    QVERIFY(spinUntil([&] { return reads > drained; }, 5s));
    d->unwatchSocket(pipe.fd(0));
    const int unwatched = reads;
    QVERIFY(pipe.send(1));
    spinFor(50ms);
    QCOMPARE(reads, unwatched);
}

void tst_EpollEventDispatcher::watchedSocketReportsReadAndWriteInterest()
{
    EpollEventDispatcher *d = epollDispatcher();
    QVERIFY(d);
    FdPair pair(FdPair::Kind::SocketPair);
    QVERIFY(pair.isValid());
    Watcher watcher;
    int reads = 0;
    int writes = 0;
    watcher.onReadable = [&] {
        ++reads;
        pair.drain(0);
    };
    watcher.onWritable = [&] {
        ++writes;
        d->setSocketInterest(pair.fd(0), true, false);
    };
    QVERIFY(d->watchSocket(pair.fd(0), &watcher, true, true));
    QVERIFY(spinUntil([&] { return writes == 1; }, 5s)); // a fresh socket is writable
    QCOMPARE(reads, 0);
    QVERIFY(pair.send(1));
    QVERIFY(spinUntil([&] { return reads == 1; }, 5s));
    QCOMPARE(writes, 1);
    for (int i = 0; i < 1000; ++i) { // armed and disarmed within one turn: stays quiet
        d->setSocketInterest(pair.fd(0), true, true);
        d->setSocketInterest(pair.fd(0), true, false);
    }
    spinFor(50ms);
    QCOMPARE(writes, 1);
    d->setSocketInterest(pair.fd(0), false, true); // write alone keeps the registration
    QVERIFY(spinUntil([&] { return writes == 2; }, 5s));
    QCOMPARE(reads, 1);
    d->unwatchSocket(pair.fd(0));
}

void tst_EpollEventDispatcher::unwatchingDuringDispatchCancelsReadiness()
{
    EpollEventDispatcher *d = epollDispatcher();
    QVERIFY(d);
    TwoWatchedPairs w;
    QVERIFY(w.watch(d, [&](int i) { d->unwatchSocket(w.fd(1 - i)); })); // ready in this batch too
    QVERIFY(w.pairs[0]->send(1)); // both ready before the first wait: one batch
    QVERIFY(w.pairs[1]->send(1));
    spinFor(100ms);
    QVERIFY(w.first >= 0);
    QCOMPARE(w.reads[size_t(w.first)], 1);
    QCOMPARE(w.reads[size_t(1 - w.first)], 0);
    d->unwatchSocket(w.fd(w.first));
}

void tst_EpollEventDispatcher::readinessOfTheCurrentWaitIsReportedBeforeDelivery()
{
    // The upstream pool asks before lending an idle connection: did the wait that is being
    // dispatched report it readable (bytes, or the peer's close)?
    EpollEventDispatcher *d = epollDispatcher();
    QVERIFY(d);
    TwoWatchedPairs w;
    bool otherReported = false;
    bool selfReported = true;
    QVERIFY(w.watch(d, [&](int i) {
        otherReported = d->isReadReported(w.fd(1 - i));
        selfReported = d->isReadReported(w.fd(i)); // being delivered
    }));
    QVERIFY(!d->isReadReported(w.fd(0)) && !d->isReadReported(w.fd(1)));
    QVERIFY(w.pairs[0]->send(1));
    w.pairs[1]->close(1); // a hang-up is input too
    QVERIFY(spinUntil([&] { return w.reads[0] >= 1 && w.reads[1] >= 1; }, 5s));
    QVERIFY(otherReported);
    QVERIFY(!selfReported);
    for (int i = 0; i < 2; ++i) {
        QVERIFY(!d->isReadReported(w.fd(i))); // delivered
        d->unwatchSocket(w.fd(i));
    }
    QVERIFY(!d->isReadReported(-1));
    QVERIFY(!d->isReadReported(1 << 20));
}

void tst_EpollEventDispatcher::aSocketIsWatchedOrHasNotifiersNotBoth()
{
    EpollEventDispatcher *d = epollDispatcher();
    QVERIFY(d);
    FdPair pipe(FdPair::Kind::Pipe);
    QVERIFY(pipe.isValid());
    Watcher watcher;
    {
        QSocketNotifier notifier(pipe.fd(0), QSocketNotifier::Read);
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("has socket notifiers")));
        QVERIFY(!d->watchSocket(pipe.fd(0), &watcher, true, false));
    }
    QVERIFY(d->watchSocket(pipe.fd(0), &watcher, true, false)); // the notifier is gone
    d->unwatchSocket(pipe.fd(0));
}

void tst_EpollEventDispatcher::excludeSocketNotifiersLeavesSocketsForLater()
{
    FdPair pipe(FdPair::Kind::Pipe);
    QVERIFY(pipe.isValid());
    QSocketNotifier notifier(pipe.fd(0), QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++activations;
        pipe.drain(0);
    });
    QVERIFY(pipe.send(1));
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
    QCOMPARE(activations, 0);

    // A waiting call must sleep until the timer although the pipe is ready, not spin on it.
    bool timerFired = false;
    QTimer::singleShot(30, this, [&] { timerFired = true; });
    int calls = 0;
    while (!timerFired && calls < 1000) {
        QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers
                                        | QEventLoop::WaitForMoreEvents);
        ++calls;
    }
    QVERIFY(timerFired);
    QVERIFY2(calls <= 5, qPrintable(QString::number(calls)));
    QCOMPARE(activations, 0);

    QVERIFY(spinUntil([&] { return activations == 1; }, 5s));
}

void tst_EpollEventDispatcher::excludeTimersLeavesTimersForLater()
{
    bool fired = false;
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, this, [&] { fired = true; });
    timer.start(0);
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents(QEventLoop::X11ExcludeTimers);
    QVERIFY(!fired);
    QVERIFY(spinUntil([&] { return fired; }, 5s));
}

void tst_EpollEventDispatcher::waitEndsOnPostFromAnotherThread()
{
    CallTarget target;
    bool timedOut = false;
    QTimer safety; // the only timer: nothing else may end the wait early
    safety.setSingleShot(true);
    connect(&safety, &QTimer::timeout, this, [&] { timedOut = true; });
    safety.start(20s);
    std::thread poster([&target] {
        std::this_thread::sleep_for(30ms);
        QMetaObject::invokeMethod(&target, "recordThread", Qt::QueuedConnection);
    });
    while (!target.ranOn.load() && !timedOut)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    poster.join();
    QCOMPARE(target.ranOn.load(), QThread::currentThread());
    QVERIFY(!timedOut);
}

void tst_EpollEventDispatcher::waitEndsOnInterrupt()
{
    bool timedOut = false;
    QTimer safety;
    safety.setSingleShot(true);
    connect(&safety, &QTimer::timeout, this, [&] { timedOut = true; });
    safety.start(20s);

    // From this thread, before the wait: the wait is skipped.
    QMetaObject::invokeMethod(this, [this] { dispatcher()->interrupt(); }, Qt::QueuedConnection);
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    QVERIFY(!timedOut);

    // From another thread, during the wait (repeated: an interrupt between two calls is void).
    std::atomic<bool> returned{false};
    QAbstractEventDispatcher *target = dispatcher();
    std::thread interrupter([&] {
        while (!returned.load()) {
            std::this_thread::sleep_for(10ms);
            target->interrupt();
        }
    });
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    returned = true;
    interrupter.join();
    QVERIFY(!timedOut);
}

void tst_EpollEventDispatcher::awakeAndAboutToBlockAreEmitted()
{
    QSignalSpy awake(dispatcher(), &QAbstractEventDispatcher::awake);
    QSignalSpy aboutToBlock(dispatcher(), &QAbstractEventDispatcher::aboutToBlock);
    bool fired = false;
    QTimer::singleShot(20, this, [&] { fired = true; });
    QVERIFY(spinUntil([&] { return fired; }, 5s));
    QVERIFY(awake.count() >= 1);
    QVERIFY(aboutToBlock.count() >= 1);

    awake.clear();
    aboutToBlock.clear();
    QCoreApplication::processEvents(QEventLoop::AllEvents); // one pass that may not wait
    QCOMPARE(awake.count(), 1);
    QCOMPARE(aboutToBlock.count(), 0);
}

void tst_EpollEventDispatcher::postsFromOtherThreadsCoalesceWakeUps()
{
    constexpr int kProducers = CallTarget::kProducers;
    constexpr int kPostsEach = 25'000;
    constexpr int kTotal = kProducers * kPostsEach;
    CallTarget receiver;
    const int &delivered = receiver.delivered;
    const bool &inOrder = receiver.inOrder;
    auto storm = [&](bool pauses) {
        receiver.next.fill(0);
        receiver.delivered = 0;
        std::vector<std::thread> producers;
        for (int p = 0; p < kProducers; ++p) {
            producers.emplace_back([&receiver, p, pauses] {
                for (int i = 0; i < kPostsEach; ++i) {
                    if (pauses && i % 64 == 0) // let the loop fall asleep now and then
                        std::this_thread::sleep_for(20us);
                    QMetaObject::invokeMethod(&receiver, "deliver", Qt::QueuedConnection, Q_ARG(int, p),
                                              Q_ARG(int, i));
                }
            });
        }
        return producers;
    };

    // While this thread is busy (not waiting), posting must not touch the eventfd at all.
    qint64 writesBefore = writeSyscalls();
    QVERIFY(writesBefore >= 0);
    for (auto &producer : storm(false))
        producer.join();
    const qint64 writesWhileBusy = writeSyscalls() - writesBefore;
    QVERIFY2(writesWhileBusy <= 2, qPrintable(QString::number(writesWhileBusy)));
    QVERIFY(spinUntil([&] { return delivered == kTotal; }, 60s));
    QVERIFY(inOrder);

    // Posts racing the loop as it goes to sleep and wakes up: none may be lost (a lost wake-up
    // would sleep until spinUntil's safety timer).
    writesBefore = writeSyscalls();
    auto producers = storm(true);
    const bool allDelivered = spinUntil([&] { return delivered == kTotal; }, 60s);
    for (auto &producer : producers)
        producer.join();
    QVERIFY(allDelivered);
    QVERIFY(inOrder);
    qInfo("%d cross-thread posts woke the loop with %lld write() calls", kTotal,
          writeSyscalls() - writesBefore);
}

void tst_EpollEventDispatcher::nestedEventLoopsExitInOrder()
{
    FdPair pipe(FdPair::Kind::Pipe);
    QVERIFY(pipe.isValid());
    QSocketNotifier notifier(pipe.fd(0), QSocketNotifier::Read);
    QPointer<QObject> doomed = new QObject;
    bool aliveAfterInner = false;
    bool timerInInner = false;
    bool socketInInner = false;
    int innerResult = -1;

    QEventLoop outer;
    QTimer::singleShot(0, &outer, [&] {
        doomed->deleteLater(); // posted at the outer level: the nested loop must not delete it
        QEventLoop inner;
        QTimer::singleShot(20, &inner, [&] {
            timerInInner = true;
            pipe.send(1);
        });
        connect(&notifier, &QSocketNotifier::activated, &inner, [&] {
            pipe.drain(0);
            socketInInner = true;
            inner.exit(7);
        });
        innerResult = inner.exec();
        aliveAfterInner = !doomed.isNull();
        outer.exit(3);
    });
    QTimer::singleShot(20s, &outer, [&] { outer.exit(-1); });
    const int outerResult = outer.exec();

    QCOMPARE(innerResult, 7);
    QCOMPARE(outerResult, 3);
    QVERIFY(timerInInner);
    QVERIFY(socketInInner);
    QVERIFY(aliveAfterInner);
    QVERIFY(spinUntil([&] { return doomed.isNull(); }, 5s));
}

void tst_EpollEventDispatcher::workerThreadIdlesAndQuits()
{
    QThread worker;
    auto *epoll = new EpollEventDispatcher;
    worker.setEventDispatcher(epoll);
    QCOMPARE(worker.eventDispatcher(), epoll);
    std::atomic<int> wakes{0};
    connect(epoll, &QAbstractEventDispatcher::awake, epoll, [&wakes] { ++wakes; },
            Qt::DirectConnection);
    CallTarget context;   // made and moved before start(): the thread's creation orders it for TSan
    context.moveToThread(&worker);
    worker.start();

    QMetaObject::invokeMethod(&context, "recordThread", Qt::QueuedConnection);
    QVERIFY(pollUntil([&] { return context.ranOn.load() != nullptr; }, 10s));
    QCOMPARE(context.ranOn.load(), &worker);

    // Nothing to do means no wake-ups: no busy loop and no periodic polling.
    const int before = wakes.load();
    spinFor(200ms);
    QVERIFY2(wakes.load() - before <= 2, qPrintable(QString::number(wakes.load() - before)));

    worker.quit(); // interrupt() from this thread ends the worker's exec()
    QVERIFY(worker.wait(10'000));
}

void tst_EpollEventDispatcher::tcpEchoOfTenMegabytes()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            socket->setReadBufferSize(64 * 1024); // backpressure: the read notifier toggles
            connect(socket, &QTcpSocket::readyRead, socket,
                    [socket] { socket->write(socket->readAll()); });
        }
    });

    const QByteArray payload = randomBytes(10 * 1024 * 1024, 10);
    QByteArray received;
    received.reserve(payload.size());
    QTcpSocket client;
    connect(&client, &QTcpSocket::connected, this, [&] { client.write(payload); });
    connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());

    QVERIFY(spinUntil([&] { return received.size() >= payload.size(); }, 60s));
    QCOMPARE(received.size(), payload.size());
    QVERIFY(received == payload);
}

void tst_EpollEventDispatcher::thousandConcurrentConnections()
{
    constexpr int kClients = 1000;
    rlimit limit{};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    const rlim_t needed = 2 * kClients + 200;
    if (limit.rlim_max < needed)
        QSKIP("the hard fd limit is below 2,200");
    if (limit.rlim_cur < needed) {
        limit.rlim_cur = needed;
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &limit), 0);
    }

    QTcpServer server;
    server.setListenBacklogSize(kClients);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    int serverSideClosed = 0;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                while (socket->canReadLine())
                    socket->write(socket->readLine().toUpper());
            });
            connect(socket, &QTcpSocket::disconnected, this, [&serverSideClosed, socket] {
                ++serverSideClosed;
                socket->deleteLater();
            });
        }
    });

    std::vector<std::unique_ptr<QTcpSocket>> clients;
    int answered = 0;
    int wrong = 0;
    for (int i = 0; i < kClients; ++i) {
        auto *client = clients.emplace_back(std::make_unique<QTcpSocket>()).get();
        const QByteArray line = "hello " + QByteArray::number(i) + '\n';
        connect(client, &QTcpSocket::connected, this, [client, line] { client->write(line); });
        connect(client, &QTcpSocket::readyRead, this, [client, line, &answered, &wrong] {
            if (!client->canReadLine())
                return;
            ++(client->readLine() == line.toUpper() ? answered : wrong);
        });
        client->connectToHost(QHostAddress::LocalHost, server.serverPort());
    }
    QVERIFY(spinUntil([&] { return answered + wrong == kClients; }, 60s));
    QCOMPARE(wrong, 0);

    clients.clear(); // every server-side socket sees the hang-up
    QVERIFY(spinUntil([&] { return serverSideClosed == kClients; }, 60s));
}

void tst_EpollEventDispatcher::sslHandshakeAndEcho()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("openssl(1) is needed to make the test certificate");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString certPath = dir.filePath(QStringLiteral("cert.pem"));
    const QString keyPath = dir.filePath(QStringLiteral("key.pem"));
    QProcess process; // QProcess watches its pipes and child with notifiers: on this dispatcher
    bool finished = false;
    connect(&process, &QProcess::finished, this, [&] { finished = true; });
    process.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"),
                            QStringLiteral("-newkey"), QStringLiteral("ec"),
                            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                            QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("2"),
                            QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                            QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost"),
                            QStringLiteral("-keyout"), keyPath, QStringLiteral("-out"), certPath});
    QVERIFY(spinUntil([&] { return finished; }, 60s));
    QCOMPARE(process.exitCode(), 0);
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(certPath);
    QCOMPARE(certificates.size(), 1);
    QFile keyFile(keyPath);
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    const QSslKey key(&keyFile, QSsl::Ec);
    QVERIFY(!key.isNull());

    QSslServer server;
    QSslConfiguration serverConfig = QSslConfiguration::defaultConfiguration();
    serverConfig.setLocalCertificate(certificates.constFirst());
    serverConfig.setPrivateKey(key);
    server.setSslConfiguration(serverConfig);
    QStringList errors;
    connect(&server, &QSslServer::errorOccurred, this,
            [&](QSslSocket *, QAbstractSocket::SocketError error) {
                errors << QStringLiteral("server socket error %1").arg(int(error));
            });
    connect(&server, &QSslServer::sslErrors, this, [&](QSslSocket *, const QList<QSslError> &e) {
        errors << QStringLiteral("server: ") + e.constFirst().errorString();
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    bool serverEncrypted = false;
    connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&] {
        while (auto *socket = qobject_cast<QSslSocket *>(server.nextPendingConnection())) {
            serverEncrypted = socket->isEncrypted();
            connect(socket, &QSslSocket::readyRead, socket,
                    [socket] { socket->write(socket->readAll()); });
        }
    });

    const QByteArray payload = randomBytes(1024 * 1024, 11);
    QByteArray received;
    QSslSocket client;
    QSslConfiguration clientConfig = client.sslConfiguration();
    clientConfig.setCaCertificates(certificates);
    client.setSslConfiguration(clientConfig);
    connect(&client, &QSslSocket::encrypted, this, [&] { client.write(payload); });
    connect(&client, &QSslSocket::readyRead, this, [&] { received += client.readAll(); });
    connect(&client, &QSslSocket::sslErrors, this, [&](const QList<QSslError> &e) {
        errors << QStringLiteral("client: ") + e.constFirst().errorString();
    });
    connect(&client, &QSslSocket::errorOccurred, this, [&](QAbstractSocket::SocketError error) {
        errors << QStringLiteral("client socket error %1").arg(int(error));
    });
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort(),
                                  QStringLiteral("localhost"));

    QVERIFY(spinUntil([&] { return received.size() >= payload.size() || !errors.isEmpty(); }, 60s));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1String("; "))));
    QVERIFY(client.isEncrypted());
    QVERIFY(serverEncrypted);
    QVERIFY(received == payload);
}

int main(int argc, char *argv[])
{
#ifdef GATEHOUSE_DISPATCHER_ON_MAIN_THREAD
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    tst_EpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
#else
    // Qt Test runs happily on a secondary thread: the whole suite runs on an epoll worker, as the
    // data plane will.
    QCoreApplication app(argc, argv);
    int result = 1;
    std::atomic<bool> done{false};
    std::unique_ptr<QThread> worker(QThread::create([&] {
        tst_EpollEventDispatcher test;
        result = QTest::qExec(&test, argc, argv);
        // The TLS test made OpenSSL create this thread's random generators and error queue.
        // OpenSSL frees them in a thread-exit destructor that may run after QThread::wait() has
        // returned and the process is exiting: LeakSanitizer then reported them now and then.
        OPENSSL_thread_stop();
        done.store(true, std::memory_order_release);
    }));
    worker->setObjectName(QStringLiteral("epoll worker"));
    worker->setEventDispatcher(new EpollEventDispatcher);
    worker->start();
    worker->wait();
    // QThread::wait() joins through a futex ThreadSanitizer cannot see; this makes the join visible.
    return done.load(std::memory_order_acquire) ? result : 1;
#endif
}

#include "tst_epolleventdispatcher.moc"
