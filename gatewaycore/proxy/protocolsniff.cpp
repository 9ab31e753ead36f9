// A client connection's first bytes choose its protocol: HTTP/2 when TLS agreed on "h2" by ALPN
// or when they are the h2c client preface (prior knowledge), else HTTP/1.1 goes on; an HTTP/1.1
// request may still ask for h2c with "Upgrade: h2c".
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
    if (readBuffer().size() < 2 * 1024)
        readBuffer().resize(2 * 1024);
    const qint64 room = readBuffer().size() - m_inEnd;
    const qint64 n = m_stream->read(readBuffer().data() + m_inEnd, room);
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
    switch (matchHttp2Preface({readBuffer().constData(), m_inEnd})) {
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

bool DownstreamConnection::upgradeToHttp2()
{
    const Http1Head &head = parser().head();
    const bool hasBody = head.framing != Http1Framing::NoBody
                         && !(head.framing == Http1Framing::ContentLength && head.contentLength == 0);
    // A body would have to be read as HTTP/1.1 first: such requests (and TLS, where ALPN decides)
    // simply stay HTTP/1.1, as a server may choose.
    if (m_tls || hasBody || head.method == HttpMethod::Connect
        || !httpListContainsToken(head.headers.value("upgrade"), "h2c")
        || head.headers.count("http2-settings") != 1)
        return false;
    bool namesSettings = false;
    for (const Http1Field &f : head.headers) {
        if (httpNameIs(f.name, "connection") && httpListContainsToken(f.value, "http2-settings"))
            namesSettings = true;
    }
    const auto settings = QByteArray::fromBase64Encoding(
        head.headers.value("http2-settings").toByteArray(),
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
            | QByteArray::AbortOnBase64DecodingErrors);
    if (!namesSettings || !settings || settings.decoded.size() % 6 != 0)
        return false;
    m_stream->write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
    m_sniffing = false;
    m_closed = true;
    m_state = State::Closing;
    // Synchronous: the head's views (into this connection's parser) are copied by the callee.
    m_worker->http2Connections().adoptUpgrade(std::move(m_stream), {readBuffer().constData() + m_inPos, m_inEnd - m_inPos},
                                              settings.decoded, head);
    m_inPos = m_inEnd = 0;
    emit finished(this);
    return true;
}

void DownstreamConnection::handOverToHttp2()
{
    m_sniffing = false;
    m_closed = true;
    m_state = State::Closing;
    m_worker->http2Connections().adopt(std::move(m_stream), m_tls, {readBuffer().constData(), m_inEnd});
    m_inPos = m_inEnd = 0;
    emit finished(this);
}

} // namespace Gatehouse
