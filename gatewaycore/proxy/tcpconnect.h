// A non-blocking TCP connect to an IP address, for the data plane's plain upstream connections.
#pragma once

#include "epolleventdispatcher.h"

#include <QHostAddress>

#include <memory>

class QSocketNotifier;

namespace Gatehouse {

class TcpConnectHandler
{
public:
    virtual void tcpConnected(int fd) = 0;        // the connected socket: the handler owns it now
    virtual void tcpConnectFailed(int error) = 0; // errno (ECONNREFUSED, ETIMEDOUT, EMFILE, ...)

protected:
    ~TcpConnectHandler() = default;
};

// What QTcpSocket::connectToHost does for a literal address, at a fraction of its cost: one socket()
// and connect(), readiness from the thread's EpollEventDispatcher (a QSocketNotifier on another
// dispatcher), no socket engine, host lookup or notifier objects built and torn down per connection
// (about 40,000 instructions less each; tests/bench/http2-proxy makes one in seven requests open
// one). Not thread-safe: one worker thread.
class TcpConnect final : private EpollEventDispatcher::SocketWatcher
{
public:
    explicit TcpConnect(TcpConnectHandler *handler);
    ~TcpConnect();
    TcpConnect(const TcpConnect &) = delete;
    TcpConnect &operator=(const TcpConnect &) = delete;

    // 0: connecting, and the handler hears the outcome from the event loop (never from inside
    // start()); destroying this before then closes the socket. Otherwise the errno of a failure
    // before any socket could be watched (EMFILE, ENETUNREACH...), and no call follows.
    int start(const QHostAddress &address, quint16 port);

private:
    void socketReadable() override { finish(); }
    void socketWritable() override { finish(); }
    void finish();
    void closeSocket();

    TcpConnectHandler *m_handler;
    EpollEventDispatcher *m_dispatcher = nullptr;
    std::unique_ptr<QSocketNotifier> m_notifier;   // only without an EpollEventDispatcher
    int m_fd = -1;
};

} // namespace Gatehouse
