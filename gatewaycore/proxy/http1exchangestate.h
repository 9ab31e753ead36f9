// What an HTTP/1.1 client connection needs only while a request is in progress: the parser, the
// protocol-independent exchange and a held response head and the read buffer (about 10 KiB together). A connection
// borrows one from its worker's pool when bytes arrive and gives it back when it goes idle, so
// idle keep-alive connections do not each hold one.
#pragma once

#include "bodybuffer.h"
#include "exchange.h"

#include "http/http1parser.h"

#include <memory>
#include <utility>
#include <vector>

namespace Gatehouse {

class FilterChainHost;
class Worker;

struct Http1ExchangeState
{
    Http1ExchangeState(Worker *worker, FilterChainHost *host, const Http1Limits &limits)
        : parser(Http1Role::Request, limits), exchange(worker, host)
    {
    }

    Http1Parser parser;
    ProxyExchange exchange;
    HeldResponseHead heldHead;
    // The connection's read buffer: reused from one borrower to the next (its capacity kept), it
    // is not freed and allocated again each time a connection goes idle and wakes up.
    QByteArray in;
};

// Threading: the worker's thread only.
class Http1ExchangePool
{
public:
    explicit Http1ExchangePool(Worker *worker) : m_worker(worker) {}
    Http1ExchangePool(const Http1ExchangePool &) = delete;
    Http1ExchangePool &operator=(const Http1ExchangePool &) = delete;

    // A state in its initial condition, for `host`, with the worker's current request limits.
    std::unique_ptr<Http1ExchangeState> acquire(FilterChainHost *host);
    // Takes back a state whose exchange is over and whose parser is between messages (a parked
    // connection's); keeps at most kMaxFree of them (the rest are freed).
    void release(std::unique_ptr<Http1ExchangeState> state);

    // Bytes of states freed (past kMaxFree) since the last call: after a burst of requests on
    // many connections, the worker asks the allocator to give such memory back (Worker::onTick).
    qint64 takeFreedBytes() { return std::exchange(m_freedBytes, 0); }

    static constexpr qsizetype kMaxFree = 64;

private:
    Worker *m_worker;
    std::vector<std::unique_ptr<Http1ExchangeState>> m_free;
    qint64 m_freedBytes = 0;
};

} // namespace Gatehouse
