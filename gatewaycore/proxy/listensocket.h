// Listening sockets for the data plane: one per worker on the same port (SO_REUSEPORT), so the
// kernel spreads connections across workers and no thread ever hands a connection to another.
#pragma once

#include "base/result.h"

#include <QHostAddress>

namespace Gatehouse {

struct ListenSocket
{
    int fd = -1;
    quint16 port = 0;   // the bound port (useful when 0 was asked for)
};

// Creates, binds and listens (backlog 4096, close-on-exec, non-blocking). With port 0 the first
// call picks a free port; pass that port to the following calls to share it.
Result<ListenSocket> openListenSocket(const QHostAddress &address, quint16 port, bool reusePort = true);

void closeListenSocket(int fd);

// Fails with "address in use" when something already listens on address:port. Needed before
// opening a SO_REUSEPORT group: otherwise a second gateway started by the same user would join
// the first one's group silently and the two would split the traffic.
Result<void> checkPortFree(const QHostAddress &address, quint16 port);

} // namespace Gatehouse
