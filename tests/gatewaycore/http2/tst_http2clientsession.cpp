// The HTTP/2 client session against the gateway's own server session, wired through memory: a
// real nghttp2 peer on each side. Requests with bodies and trailers, the peer's SETTINGS, flow
// control given back only when consumed (both directions), resets, GOAWAY, header list limits.
#include "http/http2clientsession.h"
#include "http/http2session.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QTest>

#include <cstring>

using namespace Gatehouse;

namespace {

using FieldList = QList<QPair<QByteArray, QByteArray>>;

// The upstream: records requests, answers each once its body ended (or holds them).
class Server final : public Http2SessionHandler
{
public:
    explicit Server(const Http2Limits &limits) : session(this, limits) { session.start(); }

    Http2ServerSession session;
    QMap<qint32, FieldList> fields;
    QMap<qint32, FieldList> trailers;
    QMap<qint32, QByteArray> bodies;
    QMap<qint32, quint32> closed;
    QMap<qint32, bool> inTrailers;
    QByteArray responseBody = "pong";
    FieldList responseFields{{"content-type", "application/grpc"}};
    FieldList responseTrailers{{"grpc-status", "0"}};
    qsizetype responsePos = 0;
    bool consumeAtOnce = true;
    bool answer = true;

    void http2BeginHeaders(qint32 stream) override { inTrailers[stream] = fields.contains(stream); }
    void http2Header(qint32 stream, QByteArrayView name, QByteArrayView value) override
    {
        (inTrailers[stream] ? trailers : fields)[stream].append({name.toByteArray(), value.toByteArray()});
    }
    void http2HeadersComplete(qint32 stream, bool, bool endStream) override
    {
        if (endStream)
            http2EndStream(stream);
    }
    void http2Data(qint32 stream, QByteArrayView data) override
    {
        bodies[stream].append(data.toByteArray());
        if (consumeAtOnce)
            session.consume(stream, data.size());
    }
    void http2EndStream(qint32 stream) override
    {
        if (!answer)
            return;
        QList<Http1Field> head;
        for (const auto &f : std::as_const(responseFields))
            head.append({f.first, f.second});
        session.submitResponse(stream, 200, head, true);
    }
    void http2StreamClosed(qint32 stream, quint32 errorCode) override { closed.insert(stream, errorCode); }
    qint64 http2ReadBody(qint32 stream, std::span<char> buffer, bool &end) override
    {
        const qint64 n = qMin<qint64>(qint64(buffer.size()), responseBody.size() - responsePos);
        std::memcpy(buffer.data(), responseBody.constData() + responsePos, size_t(n));
        responsePos += n;
        if (responsePos == responseBody.size()) {
            end = true;
            responsePos = 0;
            QList<Http1Field> list;
            for (const auto &f : std::as_const(responseTrailers))
                list.append({f.first, f.second});
            if (!list.isEmpty())
                session.submitTrailers(stream, list);
        }
        return n;
    }
};

class Client final : public Http2ClientHandler
{
public:
    explicit Client(const Http2ClientLimits &limits = {}) : session(this, limits) { session.start(); }

    Http2ClientSession session;
    QMap<qint32, FieldList> heads;
    QMap<qint32, FieldList> trailers;
    QMap<qint32, int> status;
    QMap<qint32, QByteArray> bodies;
    QMap<qint32, quint32> closed;
    QList<qint32> ended;
    QMap<qint32, bool> inTrailers;
    qint32 goAwayLast = -1;
    QByteArray upload;                 // sent on every stream with a body
    QMap<qint32, qsizetype> uploadPos;
    qint64 uploadLimit = -1;           // bytes offered per stream until raised (-1: all)
    FieldList requestTrailers;
    bool consumeAtOnce = true;

    void http2ResponseField(qint32 stream, QByteArrayView name, QByteArrayView value) override
    {
        (inTrailers.value(stream) ? trailers : heads)[stream].append({name.toByteArray(), value.toByteArray()});
    }
    void http2ResponseHeadersComplete(qint32 stream, Http2HeadKind kind, int code, bool endStream) override
    {
        if (kind == Http2HeadKind::Final) {
            status.insert(stream, code);
            inTrailers[stream] = true;
        }
        if (endStream)
            ended.append(stream);
    }
    void http2ResponseData(qint32 stream, QByteArrayView data) override
    {
        bodies[stream].append(data.toByteArray());
        if (consumeAtOnce)
            session.consume(stream, data.size());
    }
    void http2ResponseEnd(qint32 stream) override { ended.append(stream); }
    void http2StreamClosed(qint32 stream, quint32 errorCode) override { closed.insert(stream, errorCode); }
    qint64 http2RequestBody(qint32 stream, std::span<char> buffer, bool &end) override
    {
        qsizetype &pos = uploadPos[stream];
        const qint64 limit = uploadLimit < 0 ? upload.size() : qMin<qint64>(uploadLimit, upload.size());
        const qint64 n = qMin<qint64>(qint64(buffer.size()), limit - pos);
        if (n <= 0 && pos < upload.size())
            return -1;
        std::memcpy(buffer.data(), upload.constData() + pos, size_t(n));
        pos += n;
        if (pos == upload.size()) {
            end = true;
            QList<Http1Field> list;
            for (const auto &f : std::as_const(requestTrailers))
                list.append({f.first, f.second});
            if (!list.isEmpty())
                session.submitTrailers(stream, list);
        }
        return n;
    }
    void http2GoAway(qint32 lastStream, quint32) override { goAwayLast = lastStream; }

    qint32 post(QByteArrayView path, bool withBody, std::span<const Http1Field> fields = {})
    {
        return session.submitRequest("POST", "http", "upstream.test", path, fields, withBody);
    }
};

// Moves bytes both ways until neither side has anything to send.
void pump(Client &client, Server &server)
{
    for (int round = 0; round < 1000; ++round) {
        bool moved = false;
        for (QByteArrayView out = client.session.nextOutput(); !out.isEmpty(); out = client.session.nextOutput()) {
            server.session.receive(out);
            moved = true;
        }
        for (QByteArrayView out = server.session.nextOutput(); !out.isEmpty(); out = server.session.nextOutput()) {
            client.session.receive(out);
            moved = true;
        }
        if (!moved)
            return;
    }
    QFAIL("the sessions never went quiet");
}

QByteArray valueOf(const FieldList &fields, QByteArrayView name)
{
    for (const auto &f : fields) {
        if (f.first == name)
            return f.second;
    }
    return {};
}

} // namespace

class tst_Http2ClientSession : public QObject
{
    Q_OBJECT
private slots:
    void requestWithBodyAndTrailersGetsResponseWithTrailers();
    void fieldsAreLoweredAndConnectionSpecificOnesDropped();
    void invalidFieldValueRefusesTheRequest();
    void peerConcurrencyLimitStopsNewStreams();
    void responseBodyWaitsForConsume();
    void requestBodyWaitsForPeerWindow();
    void deferredRequestBodyResumes();
    void peerResetReportsItsCode();
    void goAwayRefusesNewStreamsAndLaterOnes();
    void oversizedResponseHeadResetsTheStream();
    void resetByClientClosesStream();
};

void tst_Http2ClientSession::requestWithBodyAndTrailersGetsResponseWithTrailers()
{
    Server server({});
    Client client;
    client.upload = "ping-payload";
    client.requestTrailers = {{"x-checksum", "42"}};
    const Http1Field fields[] = {{"content-type", "application/grpc"}, {"te", "trailers"}};
    const qint32 id = client.post("/pkg.Svc/Call", true, fields);
    QVERIFY(id > 0);
    QCOMPARE(client.session.openStreams(), 1);
    pump(client, server);

    const FieldList &req = server.fields.value(id);
    QCOMPARE(valueOf(req, ":method"), QByteArray("POST"));
    QCOMPARE(valueOf(req, ":scheme"), QByteArray("http"));
    QCOMPARE(valueOf(req, ":authority"), QByteArray("upstream.test"));
    QCOMPARE(valueOf(req, ":path"), QByteArray("/pkg.Svc/Call"));
    QCOMPARE(valueOf(req, "te"), QByteArray("trailers"));
    QCOMPARE(server.bodies.value(id), QByteArray("ping-payload"));
    QCOMPARE(valueOf(server.trailers.value(id), "x-checksum"), QByteArray("42"));

    QCOMPARE(client.status.value(id), 200);
    QCOMPARE(valueOf(client.heads.value(id), "content-type"), QByteArray("application/grpc"));
    QCOMPARE(client.bodies.value(id), QByteArray("pong"));
    QCOMPARE(valueOf(client.trailers.value(id), "grpc-status"), QByteArray("0"));
    QVERIFY(client.ended.contains(id));
    QCOMPARE(client.closed.value(id, 99), 0u);
    QCOMPARE(client.session.openStreams(), 0);
}

void tst_Http2ClientSession::fieldsAreLoweredAndConnectionSpecificOnesDropped()
{
    Server server({});
    Client client;
    const Http1Field fields[] = {{"X-Custom-Bin", "AAEC"}, {"Connection", "keep-alive"},
                                 {"Host", "ignored"}, {"TE", "gzip"}, {"Transfer-Encoding", "chunked"}};
    const qint32 id = client.post("/p", false, fields);
    QVERIFY(id > 0);
    pump(client, server);
    const FieldList &req = server.fields.value(id);
    QCOMPARE(valueOf(req, "x-custom-bin"), QByteArray("AAEC"));
    for (const char *gone : {"connection", "host", "te", "transfer-encoding"})
        QVERIFY2(valueOf(req, gone).isNull(), gone);
    QCOMPARE(client.status.value(id), 200);
}

void tst_Http2ClientSession::invalidFieldValueRefusesTheRequest()
{
    Client client;
    const Http1Field crlf[] = {{"x-a", "one\r\ntwo"}};
    QCOMPARE(client.post("/p", false, crlf), -1);
    const Http1Field badName[] = {{"x a", "v"}};
    QCOMPARE(client.post("/p", false, badName), -1);
    QCOMPARE(client.session.openStreams(), 0);
}

void tst_Http2ClientSession::peerConcurrencyLimitStopsNewStreams()
{
    Http2Limits limits;
    limits.maxConcurrentStreams = 2;
    Server server(limits);
    server.answer = false;   // streams stay open
    Client client;
    QCOMPARE(client.session.peerMaxConcurrentStreams(), 100u);   // assumed before SETTINGS
    QVERIFY(client.post("/a", false) > 0);
    pump(client, server);
    QCOMPARE(client.session.peerMaxConcurrentStreams(), 2u);
    QVERIFY(client.session.canOpenStream());
    QVERIFY(client.post("/b", false) > 0);
    pump(client, server);
    QVERIFY(!client.session.canOpenStream());
    QCOMPARE(client.session.openStreams(), 2);
}

void tst_Http2ClientSession::responseBodyWaitsForConsume()
{
    Server server({});
    server.responseBody = QByteArray(300 * 1024, 'r');
    server.responseTrailers.clear();
    Http2ClientLimits limits;
    limits.streamWindowBytes = 64 * 1024;
    Client client(limits);
    client.consumeAtOnce = false;
    const qint32 id = client.post("/big", false);
    pump(client, server);
    // The upstream may send what our window allows and no more.
    QCOMPARE(client.bodies.value(id).size(), 64 * 1024);
    client.session.consume(id, client.bodies.value(id).size());
    pump(client, server);
    QCOMPARE(client.bodies.value(id).size(), 128 * 1024);
    client.consumeAtOnce = true;
    client.session.consume(id, 64 * 1024);
    pump(client, server);
    QCOMPARE(client.bodies.value(id).size(), 300 * 1024);
    QVERIFY(client.ended.contains(id));
}

void tst_Http2ClientSession::requestBodyWaitsForPeerWindow()
{
    Http2Limits limits;
    limits.streamWindowBytes = 32 * 1024;
    Server server(limits);
    server.consumeAtOnce = false;
    Client client;
    pump(client, server);   // SETTINGS first: before them the default window (65535) applies
    client.upload = QByteArray(100 * 1024, 'u');
    const qint32 id = client.post("/upload", true);
    pump(client, server);
    QCOMPARE(server.bodies.value(id).size(), 32 * 1024);
    server.consumeAtOnce = true;
    server.session.consume(id, 32 * 1024);
    pump(client, server);
    QCOMPARE(server.bodies.value(id).size(), 100 * 1024);
    QCOMPARE(client.status.value(id), 200);
}

void tst_Http2ClientSession::deferredRequestBodyResumes()
{
    Server server({});
    Client client;
    client.upload = "0123456789";
    client.uploadLimit = 4;
    const qint32 id = client.post("/stream", true);
    pump(client, server);
    QCOMPARE(server.bodies.value(id), QByteArray("0123"));
    QVERIFY(!client.status.contains(id));
    client.uploadLimit = -1;
    client.session.resumeRequestBody(id);
    pump(client, server);
    QCOMPARE(server.bodies.value(id), QByteArray("0123456789"));
    QCOMPARE(client.status.value(id), 200);
}

void tst_Http2ClientSession::peerResetReportsItsCode()
{
    Server server({});
    server.answer = false;
    Client client;
    const qint32 id = client.post("/x", false);
    pump(client, server);
    server.session.resetStream(id, Http2ServerSession::kCancel);
    pump(client, server);
    QCOMPARE(client.closed.value(id), Http2ClientSession::kCancel);
    QCOMPARE(client.session.openStreams(), 0);
}

void tst_Http2ClientSession::goAwayRefusesNewStreamsAndLaterOnes()
{
    Server server({});
    server.answer = false;
    Client client;
    const qint32 first = client.post("/first", false);
    pump(client, server);
    server.session.shutdown();   // last stream: `first`
    const qint32 second = client.post("/second", false);   // crosses the GOAWAY
    QVERIFY(second > first);
    pump(client, server);
    QCOMPARE(client.goAwayLast, first);
    QVERIFY(client.session.goAwayReceived());
    QVERIFY(!client.session.canOpenStream());
    QCOMPARE(client.post("/third", false), -1);
    QCOMPARE(client.closed.value(second), Http2ClientSession::kRefusedStream);
    QVERIFY(!client.closed.contains(first));   // still in progress: it may finish
}

void tst_Http2ClientSession::oversizedResponseHeadResetsTheStream()
{
    Server server({});
    server.responseFields.append({"x-huge", QByteArray(8000, 'h')});
    Http2ClientLimits limits;
    limits.maxHeaderListBytes = 4096;
    Client client(limits);
    const qint32 id = client.post("/h", false);
    pump(client, server);
    QCOMPARE(client.closed.value(id), Http2ClientSession::kHeaderListTooLarge);
    QVERIFY(!client.status.contains(id));
    // The connection survives: the next stream works.
    server.responseFields = {{"content-type", "text/plain"}};
    const qint32 next = client.post("/ok", false);
    pump(client, server);
    QCOMPARE(client.status.value(next), 200);
}

void tst_Http2ClientSession::resetByClientClosesStream()
{
    Server server({});
    server.answer = false;
    Client client;
    const qint32 id = client.post("/cancel", false);
    pump(client, server);
    client.session.resetStream(id, Http2ClientSession::kCancel);
    pump(client, server);
    QCOMPARE(server.closed.value(id), Http2ServerSession::kCancel);
    QCOMPARE(client.closed.value(id), Http2ClientSession::kCancel);
}

QTEST_GUILESS_MAIN(tst_Http2ClientSession)
#include "tst_http2clientsession.moc"
