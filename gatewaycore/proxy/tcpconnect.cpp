#include "tcpconnect.h"

#include "socketaddress.h"

#include <QAbstractEventDispatcher>
#include <QSocketNotifier>

#include <cerrno>

#include <sys/socket.h>
#include <unistd.h>

namespace Gatehouse {

TcpConnect::TcpConnect(TcpConnectHandler *handler) : m_handler(handler) {}

TcpConnect::~TcpConnect()
{
    closeSocket();
}

int TcpConnect::start(const QHostAddress &address, quint16 port)
{
    sockaddr_storage to;
    const socklen_t length = toSocketAddress(address, port, &to);
    m_fd = ::socket(to.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return errno;
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&to), length) != 0 && errno != EINPROGRESS) {
        const int error = errno;
        closeSocket();
        return error;
    }
    // Writable once connected, or failed (a hang-up or an error activates the write interest too).
    m_dispatcher = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
    if (m_dispatcher && m_dispatcher->watchSocket(m_fd, this, false, true))
        return 0;
    m_dispatcher = nullptr;
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Write);
    QObject::connect(m_notifier.get(), &QSocketNotifier::activated, m_notifier.get(), [this] { finish(); });
    return 0;
}

void TcpConnect::finish()
{
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        error = errno;
    const int fd = m_fd;
    if (m_dispatcher)
        m_dispatcher->unwatchSocket(fd);
    m_notifier.reset();
    m_fd = -1;
    if (error != 0) {
        ::close(fd);
        m_handler->tcpConnectFailed(error);
        return;
    }
    m_handler->tcpConnected(fd);
}

void TcpConnect::closeSocket()
{
    if (m_fd < 0)
        return;
    if (m_dispatcher)
        m_dispatcher->unwatchSocket(m_fd);
    m_notifier.reset();
    ::close(m_fd);
    m_fd = -1;
}

} // namespace Gatehouse
