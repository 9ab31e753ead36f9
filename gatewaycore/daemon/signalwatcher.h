// Turns SIGTERM/SIGINT/SIGHUP into Qt signals on the main thread (self-pipe through a socketpair).
#pragma once

#include <QObject>

class QSocketNotifier;

namespace Gatehouse {

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminateRequested(int signalNumber);   // SIGTERM, SIGINT
    void reloadRequested();                      // SIGHUP

private:
    void onReadable();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Gatehouse
