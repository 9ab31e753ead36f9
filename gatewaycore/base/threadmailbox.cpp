#include "threadmailbox.h"

#include "threadcrypto.h"

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <QThread>

#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

namespace Gatehouse {

struct ThreadMailbox::State
{
    std::mutex mutex;
    std::vector<std::function<void()>> tasks;
    QObject *receiver = nullptr;   // null once the thread has finished
    bool wakePending = false;      // a run event is posted and has not yet taken the queue
};

namespace {

thread_local std::weak_ptr<ThreadMailbox::State> t_current;

QEvent::Type runTasksEvent()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

// Lives on the mailbox's thread and runs the queued tasks when its event arrives. The event itself
// carries nothing: tasks travel through State under its std::mutex.
class MailboxReceiver final : public QObject
{
public:
    explicit MailboxReceiver(std::shared_ptr<ThreadMailbox::State> state) : m_state(std::move(state)) {}

    bool event(QEvent *e) override
    {
        if (e->type() != runTasksEvent())
            return QObject::event(e);
        t_current = m_state;
        std::vector<std::function<void()>> batch;
        {
            std::lock_guard lock(m_state->mutex);
            batch.swap(m_state->tasks);
            m_state->wakePending = false;
        }
        for (auto &task : batch) {
            task();
            task = nullptr;   // captures are released as each task ends
        }
        return true;
    }

    void close()
    {
        std::vector<std::function<void()>> dropped;
        {
            std::lock_guard lock(m_state->mutex);
            m_state->receiver = nullptr;
            dropped.swap(m_state->tasks);
        }
        deleteLater();   // run by QThread once finished() has been delivered
    }

private:
    std::shared_ptr<ThreadMailbox::State> m_state;
};

// Set when the task that owns it is destroyed, after it ran or unrun (the thread finished first).
struct Completion
{
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    bool ran = false;
};

struct CompletionNotifier
{
    explicit CompletionNotifier(std::shared_ptr<Completion> c) : completion(std::move(c)) {}
    CompletionNotifier(const CompletionNotifier &) = delete;
    CompletionNotifier &operator=(const CompletionNotifier &) = delete;
    ~CompletionNotifier()
    {
        std::lock_guard lock(completion->mutex);
        completion->done = true;
        completion->cv.notify_all();
    }
    std::shared_ptr<Completion> completion;
};

} // namespace

ThreadMailbox ThreadMailbox::create(QThread *thread)
{
    // Started threads would read the receiver and the finished() connection without a
    // happens-before TSan can see (pthread_create gives one for a thread started afterwards).
    Q_ASSERT(!thread->isRunning() || thread == QThread::currentThread());
    auto state = std::make_shared<State>();
    auto *receiver = new MailboxReceiver(state);
    state->receiver = receiver;
    receiver->moveToThread(thread);
    // finished() is emitted on the finishing thread itself, where the receiver lives.
    QObject::connect(thread, &QThread::finished, receiver, [receiver] { receiver->close(); },
                     Qt::DirectConnection);
    return ThreadMailbox(std::move(state));
}

ThreadMailbox ThreadMailbox::current()
{
    if (auto state = t_current.lock())
        return ThreadMailbox(std::move(state));
    ThreadMailbox mailbox = create(QThread::currentThread());
    t_current = mailbox.m_state;
    return mailbox;
}

bool ThreadMailbox::post(std::function<void()> task) const
{
    if (!m_state)
        return false;
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->receiver) {
            m_state->tasks.push_back(std::move(task));
            // The receiver cannot be deleted meanwhile: close() clears it under this mutex first.
            if (!std::exchange(m_state->wakePending, true))
                QCoreApplication::postEvent(m_state->receiver, new QEvent(runTasksEvent()));
            return true;
        }
    }
    return false;   // `task` is destroyed here, outside the lock
}

bool ThreadMailbox::postAndWait(std::function<void()> task) const
{
    auto completion = std::make_shared<Completion>();
    auto notifier = std::make_shared<CompletionNotifier>(completion);
    const bool queued = post([task = std::move(task), notifier] {
        task();
        std::lock_guard lock(notifier->completion->mutex);
        notifier->completion->ran = true;
    });
    notifier.reset();   // the queued task holds the last reference now, or nobody
    if (!queued)
        return false;
    std::unique_lock lock(completion->mutex);
    completion->cv.wait(lock, [&] { return completion->done; });
    return completion->ran;
}

void ThreadMailbox::stopThread(QThread *thread, std::function<void()> lastTask) const
{
    post([lastTask = std::move(lastTask)] {
        lastTask();
        releaseThreadCryptoState();   // before wait() below returns, not in the thread's exit handlers
        QThread::currentThread()->quit();
    });
    thread->wait();   // returns at once when the thread has finished already (post() refused)
}

} // namespace Gatehouse
