// libFuzzer target: the HTTP/2 server session (nghttp2 with the gateway's limits and callbacks)
// reading a client's bytes whole and in small pieces, answering every request with a body and
// trailers so that responses, flow control and resets run too.
#include "http/http2session.h"

#include <QByteArray>
#include <QSet>

#include <algorithm>
#include <cstring>

namespace {

class Handler final : public Gatehouse::Http2SessionHandler
{
public:
    Gatehouse::Http2ServerSession *session = nullptr;
    QSet<qint32> answered;

    void http2BeginHeaders(qint32) override {}
    void http2Header(qint32, QByteArrayView, QByteArrayView) override {}
    void http2HeadersComplete(qint32 stream, bool trailers, bool) override
    {
        if (trailers || answered.contains(stream))
            return;
        answered.insert(stream);
        const Gatehouse::Http1Field fields[] = {{"content-type", "text/plain"}, {"X-Mixed-Case", "v"}};
        if (stream % 3 == 0)
            session->resetStream(stream, Gatehouse::Http2ServerSession::kCancel);
        else
            session->submitResponse(stream, 200, fields, stream % 2 == 1);
    }
    void http2Data(qint32 stream, QByteArrayView data) override { session->consume(stream, data.size()); }
    void http2EndStream(qint32) override {}
    void http2StreamClosed(qint32 stream, quint32) override { answered.remove(stream); }
    qint64 http2ReadBody(qint32 stream, std::span<char> buffer, bool &end) override
    {
        const qint64 n = std::min<qint64>(qint64(buffer.size()), 100);
        std::memset(buffer.data(), 'x', size_t(n));
        end = true;
        const Gatehouse::Http1Field trailers[] = {{"grpc-status", "0"}};
        session->submitTrailers(stream, trailers);
        return n;
    }
};

void run(const uint8_t *data, size_t size, size_t piece)
{
    Handler handler;
    Gatehouse::Http2Limits limits;
    limits.maxResets = 20;
    Gatehouse::Http2ServerSession session(&handler, limits);
    handler.session = &session;
    if (!session.start())
        return;
    for (size_t at = 0; at < size; at += piece) {
        const bool alive = session.receive({reinterpret_cast<const char *>(data) + at,
                                            qsizetype(std::min(piece, size - at))});
        for (int i = 0; i < 1000 && !session.nextOutput().isEmpty(); ++i) {
        }
        if (!alive)
            return;
    }
    session.shutdown();
    for (int i = 0; i < 1000 && !session.nextOutput().isEmpty(); ++i) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size, size == 0 ? 1 : size);
    run(data, size, 7);
    return 0;
}
