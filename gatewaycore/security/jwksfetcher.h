// Keeps the keys of issuers with a jwksUrl current: fetched in the background on the engine's
// thread, refreshed periodically, refetched (rate-bounded) when a token names an unknown kid.
#pragma once

#include "base/threadmailbox.h"
#include "tokenverifier.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace Gatehouse {

// Lives on the thread that created it (the engine's); requestRefetch() may be called from any
// thread. A failing fetch keeps the last good keys and is retried at the next refresh.
class JwksFetcher : public QObject
{
    Q_OBJECT
public:
    struct Source
    {
        QString issuerName;
        QUrl url;
        std::chrono::seconds refresh{3600};
        std::chrono::seconds minRefetch{30};
        std::shared_ptr<IssuerKeys> keys;
    };

    explicit JwksFetcher(QObject *parent = nullptr);
    ~JwksFetcher() override;

    // Returns the id to pass to requestRefetch(). Fetching starts with start().
    int addSource(Source source);
    void start();
    // Thread-safe; at most one fetch per source per minRefetch (and never two at once).
    void requestRefetch(int id);

    static constexpr qint64 kMaxJwksBytes = 1024 * 1024;

signals:
    // After each fetch (for tests and the workbench): ok or the reason it failed.
    void fetched(const QString &issuerName, bool ok, const QString &detail);

private:
    struct State
    {
        Source source;
        QTimer *timer = nullptr;
        QNetworkReply *reply = nullptr;
        qint64 lastStartMs = -1;   // monotonic
    };
    void fetch(int id, bool periodic);
    void finished(int id);

    QNetworkAccessManager *m_network = nullptr;
    // requestRefetch() from the workers comes back to this thread through m_home; m_self drops it
    // if the fetcher is gone by then.
    ThreadMailbox m_home;
    QPointer<JwksFetcher> m_self;
    QList<State> m_sources;
    // Set by start(), then read by any thread: a flood of unknown kids posts one refetch per
    // minRefetch, not one event per request.
    std::vector<qint64> m_minRefetchMs;
    std::unique_ptr<std::atomic<qint64>[]> m_postedMs;
};

} // namespace Gatehouse
