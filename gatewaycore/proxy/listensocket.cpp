// Listening sockets for the data plane: SO_REUSEPORT sockets, one per worker.
#include "listensocket.h"

#include "socketaddress.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Gatehouse {

Result<ListenSocket> openListenSocket(const QHostAddress &address, quint16 port, bool reusePort)
{
    const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return Error::io(QStringLiteral("cannot create a socket: %1").arg(QString::fromLocal8Bit(strerror(errno))));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reusePort)
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);

    sockaddr_storage storage;
    socklen_t length = toSocketAddress(address, port, &storage);   // getsockname() below writes it back
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0) {
        const QString why = QString::fromLocal8Bit(strerror(errno));
        ::close(fd);
        return Error::io(QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(why));
    }
    if (::listen(fd, 4096) != 0) {
        const QString why = QString::fromLocal8Bit(strerror(errno));
        ::close(fd);
        return Error::io(QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(why));
    }
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0) {
        ::close(fd);
        return Error::io(QStringLiteral("getsockname failed"));
    }
    const quint16 bound = v6 ? ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port)
                             : ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
    return ListenSocket{fd, bound};
}

void closeListenSocket(int fd)
{
    if (fd >= 0)
        ::close(fd);
}

Result<void> checkPortFree(const QHostAddress &address, quint16 port)
{
    if (port == 0)
        return {};
    // A socket without SO_REUSEPORT cannot bind where a listener (or a reuseport group) is.
    auto probe = openListenSocket(address, port, false);
    if (!probe)
        return probe.error();
    closeListenSocket(probe->fd);
    return {};
}

} // namespace Gatehouse
