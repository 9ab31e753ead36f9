// ThreadMailbox: tasks run on their thread in posting order from any thread, wait for a thread not
// yet started, are refused once it has finished, and stopThread() ends the thread from inside. Part
// of scripts/tsan.sh: the hand-off must be visible to ThreadSanitizer without suppressions.
#include "base/threadmailbox.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace Gatehouse;

class tst_ThreadMailbox : public QObject
{
    Q_OBJECT
private slots:
    void tasksRunOnTheirThreadInPostingOrder();
    void tasksPostedBeforeTheThreadStartsWaitForIt();
    void aFinishedThreadRefusesTasksAndReleasesThemOnTheCaller();
    void tasksLeftWhenTheThreadEndsAreDestroyedUnrun();
    void currentPostsToTheCallingThread();
    void postAndWaitReturnsOnceTheTaskRan();
    void stopThreadRunsTheLastTaskThenEndsTheThread();
};

void tst_ThreadMailbox::tasksRunOnTheirThreadInPostingOrder()
{
    QThread thread;
    const ThreadMailbox mailbox = ThreadMailbox::create(&thread);
    thread.start();

    // `payload` is written by the posting thread and read by the receiving one with nothing but the
    // mailbox between them: TSan must see that hand-off. `seen` is read here at the end, after
    // QThread::wait(), which TSan cannot see through (Qt is not instrumented): hence the lock.
    std::mutex seenMutex;
    std::vector<std::pair<int, int>> seen;   // (poster, sequence number)
    std::atomic<bool> wrongThread{false};
    std::atomic<int> refused{0};
    constexpr int kPosters = 3;
    constexpr int kTasks = 2000;
    std::vector<std::thread> posters;
    for (int p = 0; p < kPosters; ++p) {
        posters.emplace_back([&, p] {
            for (int i = 0; i < kTasks; ++i) {
                auto payload = std::make_shared<std::pair<int, int>>(p, i);
                const bool queued = mailbox.post([&, payload] {
                    if (QThread::currentThread() != &thread)
                        wrongThread = true;
                    std::lock_guard lock(seenMutex);
                    seen.push_back(*payload);
                });
                if (!queued)
                    refused.fetch_add(1);
            }
        });
    }
    for (std::thread &t : posters)
        t.join();
    mailbox.stopThread(&thread, [] {});
    QVERIFY(thread.isFinished());

    QCOMPARE(refused.load(), 0);
    QVERIFY(!wrongThread);
    std::lock_guard lock(seenMutex);
    QCOMPARE(seen.size(), size_t(kPosters * kTasks));
    std::vector<int> next(kPosters, 0);
    for (const auto &[poster, sequence] : seen) {
        QCOMPARE(sequence, next[size_t(poster)]);
        ++next[size_t(poster)];
    }
}

void tst_ThreadMailbox::tasksPostedBeforeTheThreadStartsWaitForIt()
{
    QThread thread;
    const ThreadMailbox mailbox = ThreadMailbox::create(&thread);
    std::atomic<int> ran{0};
    QVERIFY(mailbox.post([&] { ran.fetch_add(1); }));
    QVERIFY(mailbox.post([&] { ran.fetch_add(10); }));
    QTest::qWait(20);
    QCOMPARE(ran.load(), 0);
    thread.start();
    QTRY_COMPARE(ran.load(), 11);
    mailbox.stopThread(&thread, [] {});
}

void tst_ThreadMailbox::aFinishedThreadRefusesTasksAndReleasesThemOnTheCaller()
{
    QThread thread;
    const ThreadMailbox mailbox = ThreadMailbox::create(&thread);
    thread.start();
    mailbox.stopThread(&thread, [] {});

    auto capture = std::make_shared<int>(7);
    bool ran = false;
    QVERIFY(!mailbox.post([capture, &ran] { ran = true; }));
    QCOMPARE(capture.use_count(), 1);   // the refused task was destroyed here
    QVERIFY(!ran);
    QVERIFY(!ThreadMailbox().post([] {}));

    mailbox.stopThread(&thread, [&ran] { ran = true; });   // finished already: returns at once
    QVERIFY(!ran);
}

void tst_ThreadMailbox::tasksLeftWhenTheThreadEndsAreDestroyedUnrun()
{
    QThread thread;
    const ThreadMailbox mailbox = ThreadMailbox::create(&thread);
    auto capture = std::make_shared<int>(1);
    std::atomic<bool> lateRan{false};
    thread.start();
    // The first task ends the event loop; the one it posts comes in a later batch that never runs.
    QVERIFY(mailbox.post([&, mailbox, capture] {
        mailbox.post([&lateRan, capture] { lateRan = true; });
        QThread::currentThread()->quit();
    }));
    QVERIFY(thread.wait(5000));
    QVERIFY(!lateRan);
    QCOMPARE(capture.use_count(), 1);
    QVERIFY(!mailbox.post([] {}));
}

void tst_ThreadMailbox::currentPostsToTheCallingThread()
{
    // A worker thread's current() is the mailbox created for it.
    QThread worker;
    const ThreadMailbox mailbox = ThreadMailbox::create(&worker);
    worker.start();
    std::atomic<bool> sameThread{false};
    std::atomic<bool> done{false};
    QVERIFY(mailbox.post([&] {
        ThreadMailbox::current().post([&] {
            sameThread = QThread::currentThread() == &worker;
            done = true;
        });
    }));
    QTRY_VERIFY(done.load());
    QVERIFY(sameThread.load());
    mailbox.stopThread(&worker, [] {});

    // The test's own thread gets one on first use; a plain std::thread answers through it.
    const ThreadMailbox here = ThreadMailbox::current();
    std::atomic<QThread *> answeredOn{nullptr};
    std::thread helper([&] { here.post([&] { answeredOn = QThread::currentThread(); }); });
    helper.join();
    QTRY_COMPARE(answeredOn.load(), QThread::currentThread());
}

void tst_ThreadMailbox::postAndWaitReturnsOnceTheTaskRan()
{
    QThread thread;
    const ThreadMailbox mailbox = ThreadMailbox::create(&thread);
    thread.start();
    int value = 0;   // written there, read here: postAndWait's lock orders the two
    QVERIFY(mailbox.postAndWait([&value] { value = 42; }));
    QCOMPARE(value, 42);
    mailbox.stopThread(&thread, [] {});
    QVERIFY(!mailbox.postAndWait([&value] { value = 1; }));   // finished: refused, not waited for
    QCOMPARE(value, 42);
}

void tst_ThreadMailbox::stopThreadRunsTheLastTaskThenEndsTheThread()
{
    QThread thread;
    const ThreadMailbox mailbox = ThreadMailbox::create(&thread);
    thread.start();
    std::atomic<QThread *> ranOn{nullptr};
    std::atomic<int> order{0};
    std::atomic<int> first{0};
    QVERIFY(mailbox.post([&] { first = ++order; }));
    mailbox.stopThread(&thread, [&] {
        ranOn = QThread::currentThread();
        ++order;
    });
    QVERIFY(thread.isFinished());
    QCOMPARE(ranOn.load(), &thread);
    QCOMPARE(first.load(), 1);
    QCOMPARE(order.load(), 2);
}

QTEST_GUILESS_MAIN(tst_ThreadMailbox)
#include "tst_threadmailbox.moc"
