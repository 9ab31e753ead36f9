// Work handed to another thread's event loop.
#pragma once

#include <QtGlobal>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace Gatehouse {

// Tasks run on one thread, in the order they were posted, from any thread. Two differences from a
// queued functor (QMetaObject::invokeMethod with a lambda):
//  - The hand-off goes through a std::mutex, so ThreadSanitizer sees that a task's captures were
//    written before the receiving thread reads and frees them. Qt's posted-event queue is guarded by
//    a mutex TSan cannot see (Qt is not instrumented), and every queued lambda was reported.
//  - A mailbox outlives its thread safely: once the thread has finished, post() refuses and drops
//    the task on the caller's thread, where a functor posted to a deleted QObject is undefined.
// A ThreadMailbox is a cheap handle (one shared_ptr); copies post to the same thread.
class ThreadMailbox
{
public:
    ThreadMailbox() = default;   // an empty mailbox: post() refuses

    // The mailbox of `thread`, which is either not started yet or the calling thread, and runs an
    // event loop (QThread::exec, the default run()). It closes when the thread finishes; tasks still
    // queued then are destroyed without running.
    static ThreadMailbox create(QThread *thread);
    // The calling thread's mailbox: the one create() made for it once it has run a task, otherwise a
    // new one. The calling thread needs an event loop for its tasks to run.
    static ThreadMailbox current();

    explicit operator bool() const { return m_state != nullptr; }

    // Thread-safe. Queues `task` to run on the mailbox's thread after every task posted before it.
    // False (and `task` destroyed here) when the mailbox is empty or its thread has finished.
    bool post(std::function<void()> task) const;
    // post() and wait until the task has run, or has been dropped because the thread finished.
    // True if it ran. Never call it on the mailbox's own thread (it would wait for itself).
    bool postAndWait(std::function<void()> task) const;
    // Runs `lastTask` on the mailbox's thread (after the tasks before it), frees the thread's OpenSSL
    // state (releaseThreadCryptoState), ends that thread's event loop from the thread itself and waits until `thread` (the mailbox's) has finished. QThread::quit() from another thread
    // reaches into the thread's event dispatcher while the finishing thread may be deleting it,
    // under a mutex ThreadSanitizer cannot see. When the thread has finished already, `lastTask` is
    // dropped unrun and nothing is waited for. Never call it on the mailbox's own thread.
    void stopThread(QThread *thread, std::function<void()> lastTask) const;

    struct State;

private:
    explicit ThreadMailbox(std::shared_ptr<State> state) : m_state(std::move(state)) {}
    std::shared_ptr<State> m_state;
};

} // namespace Gatehouse
