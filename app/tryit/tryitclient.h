// TryItClient: sends one try-it request at a time with QNetworkAccessManager; cancel, timeout, and
// network errors turned into sentences.
#pragma once

#include "tryitmodel.h"

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>

#include <chrono>

class QNetworkAccessManager;
class QTimer;

namespace Gatehouse {

class TryItClient : public QObject
{
    Q_OBJECT
public:
    explicit TryItClient(QObject *parent = nullptr);

    static constexpr std::chrono::milliseconds kDefaultTimeout{30'000};
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    // Starts the request; a request still in flight is cancelled first. finished() follows exactly
    // once per send(), also for invalid URLs (then with an error and no HTTP response).
    void send(const TryItRequest &request);
    void cancel();
    bool isBusy() const { return !m_reply.isNull(); }

    // A sentence for a network-layer failure of a request to `url`.
    static QString errorSentence(QNetworkReply::NetworkError error, const QUrl &url,
                                 const QString &detail);

signals:
    void finished(const Gatehouse::TryItResponse &response);

private:
    void onFinished();
    void fail(const QString &sentence);

    QNetworkAccessManager *m_network;
    QTimer *m_timer;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_elapsed;
    std::chrono::milliseconds m_timeout = kDefaultTimeout;
    bool m_cancelled = false;
    bool m_timedOut = false;
};

} // namespace Gatehouse
