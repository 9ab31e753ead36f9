// The worker's pool of per-request HTTP/1.1 state (see http1exchangestate.h).
#include "http1exchangestate.h"

#include "worker.h"

namespace Gatehouse {

std::unique_ptr<Http1ExchangeState> Http1ExchangePool::acquire(FilterChainHost *host)
{
    if (m_free.empty())
        return std::make_unique<Http1ExchangeState>(m_worker, host, m_worker->requestLimits());
    std::unique_ptr<Http1ExchangeState> state = std::move(m_free.back());
    m_free.pop_back();
    state->parser.reset();
    // The limits of the config in force now (a reload may have changed them since).
    state->parser.setLimits(m_worker->requestLimits());
    state->exchange.setHost(host);
    return state;
}

void Http1ExchangePool::release(std::unique_ptr<Http1ExchangeState> state)
{
    if (!state)
        return;
    if (qsizetype(m_free.size()) >= kMaxFree) {
        m_freedBytes += qint64(sizeof(Http1ExchangeState)) + state->in.capacity();
        return;
    }
    state->parser.releaseBuffers();   // acquire() resets the rest
    state->heldHead = HeldResponseHead();
    state->exchange.setHost(nullptr);
    m_free.push_back(std::move(state));
}

} // namespace Gatehouse
