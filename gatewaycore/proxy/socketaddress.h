// A QHostAddress and port as the sockaddr that bind() and connect() take.
#pragma once

#include <QHostAddress>

#include <cstring>

#include <netinet/in.h>
#include <sys/socket.h>

namespace Gatehouse {

// Fills `out` (AF_INET6 for an IPv6 address, AF_INET otherwise) and returns its length.
inline socklen_t toSocketAddress(const QHostAddress &address, quint16 port, sockaddr_storage *out)
{
    *out = {};
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(out);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        static_assert(sizeof bytes == sizeof in6->sin6_addr);
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        return sizeof *in6;
    }
    auto *in4 = reinterpret_cast<sockaddr_in *>(out);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(port);
    in4->sin_addr.s_addr = htonl(address.toIPv4Address());
    return sizeof *in4;
}

} // namespace Gatehouse
