// A client connection's first bytes choose its protocol: HTTP/2 when TLS agreed on "h2" by ALPN
// or when they are the h2c client preface (prior knowledge), else HTTP/1.1 goes on.
#include "downstreamconnection.h"

#include "worker.h"

#include "http/http2session.h"

namespace Gatehouse {

bool DownstreamConnection::sniffProtocol()
{
    if (m_tls && m_stream->negotiatedProtocol() == "h2") {
        handOverToHttp2();
        return false;
    }
    // While sniffing the parser has taken nothing: bytes accumulate from the buffer's start.
    if (m_in.size() < 2 * 1024)
        m_in.resize(2 * 1024);
    const qint64 room = m_in.size() - m_inEnd;
    const qint64 n = m_stream->read(m_in.data() + m_inEnd, room);
    if (n < 0) {
        closeNow();
        return false;
    }
    m_readDrained = n < room;
    if (n == 0)
        return false;
    m_inPos = 0;
    m_inEnd += n;
    if (m_state == State::WaitingForRequest) {
        m_state = State::ReadingHead;
        const auto &limits = m_worker->config() ? m_worker->config()->settings.limits : Limits{};
        setDeadline(Deadline::Header, limits.headerTimeout);
    }
    switch (matchHttp2Preface({m_in.constData(), m_inEnd})) {
    case Http2Preface::Partial:
        return false;   // a few bytes of "PRI * HTTP/2.0": wait for the rest
    case Http2Preface::Match:
        handOverToHttp2();
        return false;
    case Http2Preface::NoMatch:
        break;
    }
    m_sniffing = false;
    return true;
}

void DownstreamConnection::handOverToHttp2()
{
    m_sniffing = false;
    m_closed = true;
    m_state = State::Closing;
    m_worker->http2Connections().adopt(std::move(m_stream), m_tls, {m_in.constData(), m_inEnd});
    m_inPos = m_inEnd = 0;
    emit finished(this);
}

} // namespace Gatehouse
