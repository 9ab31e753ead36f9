// The HTTP/2 server session against an nghttp2 client session in memory: the preface check, the
// SETTINGS it announces, request events, responses with trailers, flow control given back only
// when consumed, and Rapid Reset answered with GOAWAY ENHANCE_YOUR_CALM.
#include "http/http2fieldnames.h"
#include "http/http2session.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QTest>

#include <nghttp2/nghttp2.h>

using namespace Gatehouse;

namespace {

// Records what the server session reports; answers each request once its body ended (or at once
// with `answerAtHead`).
class ServerSide final : public Http2SessionHandler
{
public:
    Http2ServerSession *session = nullptr;
    QMap<qint32, QList<QPair<QByteArray, QByteArray>>> fields;
    QMap<qint32, QByteArray> bodies;
    QList<qint32> ended;
    QList<qint32> closed;
    QByteArray responseBody = "hello";
    bool consumeAtOnce = true;
    bool withTrailers = false;

    void http2BeginHeaders(qint32) override {}
    void http2Header(qint32 stream, QByteArrayView name, QByteArrayView value) override
    {
        fields[stream].append({name.toByteArray(), value.toByteArray()});
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
            session->consume(stream, data.size());
    }
    void http2EndStream(qint32 stream) override
    {
        ended.append(stream);
        const Http1Field head[] = {{"Content-Type", "text/plain"}};
        session->submitResponse(stream, 200, head, true);
    }
    void http2StreamClosed(qint32 stream, quint32) override { closed.append(stream); }
    qint64 http2ReadBody(qint32 stream, std::span<char> buffer, bool &end) override
    {
        const qint64 n = qMin<qint64>(qint64(buffer.size()), responseBody.size());
        memcpy(buffer.data(), responseBody.constData(), size_t(n));
        end = true;
        if (withTrailers) {
            const Http1Field trailers[] = {{"grpc-status", "0"}};
            session->submitTrailers(stream, trailers);
        }
        return n;
    }
};

// An nghttp2 client, wired to the server through memory.
struct Client
{
    nghttp2_session *session = nullptr;
    QMap<qint32, QList<QPair<QByteArray, QByteArray>>> fields;   // response and trailer fields
    QMap<qint32, QByteArray> bodies;
    QMap<int, quint32> settings;
    quint32 goawayCode = 0xffffffff;
    QByteArray upload;      // the request body sent on every stream with a body
    qsizetype uploadPos = 0;
    bool holdBody = false;  // request bodies never come: the streams stay open

    Client()
    {
        nghttp2_session_callbacks *cb = nullptr;
        nghttp2_session_callbacks_new(&cb);
        nghttp2_session_callbacks_set_on_header_callback(
            cb, [](nghttp2_session *, const nghttp2_frame *frame, const uint8_t *name, size_t nameLength,
                   const uint8_t *value, size_t valueLength, uint8_t, void *user) {
                static_cast<Client *>(user)->fields[frame->hd.stream_id].append(
                    {QByteArray(reinterpret_cast<const char *>(name), qsizetype(nameLength)),
                     QByteArray(reinterpret_cast<const char *>(value), qsizetype(valueLength))});
                return 0;
            });
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(
            cb, [](nghttp2_session *, uint8_t, int32_t stream, const uint8_t *data, size_t length, void *user) {
                static_cast<Client *>(user)->bodies[stream].append(reinterpret_cast<const char *>(data),
                                                                   qsizetype(length));
                return 0;
            });
        nghttp2_session_callbacks_set_on_frame_recv_callback(
            cb, [](nghttp2_session *, const nghttp2_frame *frame, void *user) {
                auto *self = static_cast<Client *>(user);
                if (frame->hd.type == NGHTTP2_SETTINGS && !(frame->hd.flags & NGHTTP2_FLAG_ACK)) {
                    for (size_t i = 0; i < frame->settings.niv; ++i)
                        self->settings.insert(frame->settings.iv[i].settings_id, frame->settings.iv[i].value);
                }
                if (frame->hd.type == NGHTTP2_GOAWAY)
                    self->goawayCode = frame->goaway.error_code;
                return 0;
            });
        nghttp2_session_client_new(&session, cb, this);
        nghttp2_session_callbacks_del(cb);
        nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, nullptr, 0);
    }
    ~Client() { nghttp2_session_del(session); }

    qint32 request(QByteArrayView path, bool withBody)
    {
        const auto nv = [](const char *name, QByteArrayView value) {
            return nghttp2_nv{reinterpret_cast<uint8_t *>(const_cast<char *>(name)),
                              reinterpret_cast<uint8_t *>(const_cast<char *>(value.data())), strlen(name),
                              size_t(value.size()), NGHTTP2_NV_FLAG_NONE};
        };
        const nghttp2_nv head[] = {nv(":method", withBody ? "POST" : "GET"), nv(":scheme", "http"),
                                   nv(":authority", "example"), nv(":path", path)};
        nghttp2_data_provider provider;
        provider.source.ptr = this;
        provider.read_callback = [](nghttp2_session *, int32_t, uint8_t *buffer, size_t length, uint32_t *flags,
                                    nghttp2_data_source *source, void *) -> ssize_t {
            auto *self = static_cast<Client *>(source->ptr);
            if (self->holdBody)
                return NGHTTP2_ERR_DEFERRED;
            const qsizetype n = qMin<qsizetype>(qsizetype(length), self->upload.size() - self->uploadPos);
            memcpy(buffer, self->upload.constData() + self->uploadPos, size_t(n));
            self->uploadPos += n;
            if (self->uploadPos == self->upload.size())
                *flags |= NGHTTP2_DATA_FLAG_EOF;
            return n;
        };
        return nghttp2_submit_request(session, nullptr, head, std::size(head), withBody ? &provider : nullptr, nullptr);
    }
};

// Moves bytes both ways until neither side has anything to say.
void pump(Client &client, Http2ServerSession &server)
{
    for (int round = 0; round < 1000; ++round) {
        bool moved = false;
        const uint8_t *data = nullptr;
        ssize_t n = 0;
        while ((n = nghttp2_session_mem_send(client.session, &data)) > 0) {
            moved = true;
            if (!server.receive({reinterpret_cast<const char *>(data), qsizetype(n)}))
                break;
        }
        for (QByteArrayView out = server.nextOutput(); !out.isEmpty(); out = server.nextOutput()) {
            moved = true;
            nghttp2_session_mem_recv(client.session, reinterpret_cast<const uint8_t *>(out.data()), size_t(out.size()));
        }
        if (!moved)
            return;
    }
}

QByteArray field(const QList<QPair<QByteArray, QByteArray>> &fields, QByteArrayView name)
{
    for (const auto &f : fields) {
        if (f.first == name)
            return f.second;
    }
    return {};
}

} // namespace

class tst_Http2Session : public QObject
{
    Q_OBJECT
private slots:
    void prefaceIsRecognised_data();
    void prefaceIsRecognised();
    void namesAreLowercasedByteForByte();
    void settingsFollowTheLimits();
    void requestAndResponseWithTrailers();
    void windowIsGivenBackOnlyWhenConsumed();
    void rapidResetGetsEnhanceYourCalm();
};

void tst_Http2Session::prefaceIsRecognised_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("verdict");
    QTest::newRow("the whole preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << int(Http2Preface::Match);
    QTest::newRow("the preface followed by a frame")
        << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0", 33) << int(Http2Preface::Match);
    QTest::newRow("its first bytes wait for more") << QByteArray("PRI * HT") << int(Http2Preface::Partial);
    QTest::newRow("an HTTP/1.1 request is not it") << QByteArray("GET / HTTP/1.1\r\n") << int(Http2Preface::NoMatch);
    QTest::newRow("a PRI request of another shape is not it") << QByteArray("PRI * HTTP/1.1\r\n")
                                                              << int(Http2Preface::NoMatch);
}

void tst_Http2Session::prefaceIsRecognised()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, verdict);
    QCOMPARE(int(matchHttp2Preface(bytes)), verdict);
}

void tst_Http2Session::namesAreLowercasedByteForByte()
{
    // Every byte value, at every position of an 8-byte step and of the tail: only 'A'-'Z' change.
    for (int length : {1, 7, 8, 9, 16, 23}) {
        for (int value = 0; value < 256; ++value) {
            for (int at = 0; at < length; ++at) {
                QByteArray name(length, 'X');
                name[at] = char(value);
                QByteArray expected = name;
                for (char &c : expected) {
                    if (c >= 'A' && c <= 'Z')
                        c = char(c | 0x20);
                }
                QByteArray out(length + 1, '#');
                http2LowercaseName(name, out.data());
                QCOMPARE(out.first(length), expected);
                QCOMPARE(out.back(), '#');   // nothing written past the name
            }
        }
    }
}

void tst_Http2Session::settingsFollowTheLimits()
{
    ServerSide handler;
    Http2Limits limits;
    limits.maxConcurrentStreams = 17;
    limits.maxHeaderListBytes = 12345;
    limits.streamWindowBytes = 70000;
    Http2ServerSession server(&handler, limits);
    handler.session = &server;
    QVERIFY(server.start());
    Client client;
    pump(client, server);
    QCOMPARE(client.settings.value(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS), 17u);
    QCOMPARE(client.settings.value(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE), 12345u);
    QCOMPARE(client.settings.value(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE), 70000u);
    QCOMPARE(client.settings.value(NGHTTP2_SETTINGS_HEADER_TABLE_SIZE), 4096u);
    QCOMPARE(client.settings.value(NGHTTP2_SETTINGS_ENABLE_PUSH, 1), 0u);
}

void tst_Http2Session::requestAndResponseWithTrailers()
{
    ServerSide handler;
    handler.withTrailers = true;
    Http2ServerSession server(&handler, {});
    handler.session = &server;
    QVERIFY(server.start());
    Client client;
    client.upload = "request body";
    const qint32 stream = client.request("/a?b=c", true);
    pump(client, server);
    QCOMPARE(field(handler.fields.value(stream), ":path"), QByteArray("/a?b=c"));
    QCOMPARE(field(handler.fields.value(stream), ":method"), QByteArray("POST"));
    QCOMPARE(handler.bodies.value(stream), QByteArray("request body"));
    QCOMPARE(handler.ended, QList<qint32>{stream});
    QCOMPARE(field(client.fields.value(stream), ":status"), QByteArray("200"));
    QCOMPARE(field(client.fields.value(stream), "content-type"), QByteArray("text/plain"));   // lowercased
    QCOMPARE(client.bodies.value(stream), QByteArray("hello"));
    QCOMPARE(field(client.fields.value(stream), "grpc-status"), QByteArray("0"));
    QCOMPARE(handler.closed, QList<qint32>{stream});
}

void tst_Http2Session::windowIsGivenBackOnlyWhenConsumed()
{
    ServerSide handler;
    handler.consumeAtOnce = false;
    Http2Limits limits;
    limits.streamWindowBytes = 16384;
    Http2ServerSession server(&handler, limits);
    handler.session = &server;
    QVERIFY(server.start());
    Client client;
    pump(client, server);   // SETTINGS first: before them the window is the protocol's 65,535
    client.upload = QByteArray(100'000, 'u');
    const qint32 stream = client.request("/upload", true);
    pump(client, server);
    // The client may not send past the window the server announced until it is given back.
    QCOMPARE(handler.bodies.value(stream).size(), 16384);
    qsizetype consumed = 0;
    while (consumed < handler.bodies.value(stream).size()) {
        const qsizetype received = handler.bodies.value(stream).size();
        server.consume(stream, received - consumed);
        consumed = received;
        pump(client, server);
    }
    QCOMPARE(handler.bodies.value(stream).size(), client.upload.size());
    QCOMPARE(handler.ended, QList<qint32>{stream});
}

void tst_Http2Session::rapidResetGetsEnhanceYourCalm()
{
    ServerSide handler;
    Http2Limits limits;
    limits.maxResets = 10;
    Http2ServerSession server(&handler, limits);
    handler.session = &server;
    QVERIFY(server.start());
    Client client;
    client.holdBody = true;
    pump(client, server);
    const auto openAndCancel = [&](int count) {
        for (int i = 0; i < count; ++i) {
            const qint32 stream = client.request("/x", true);
            pump(client, server);
            nghttp2_submit_rst_stream(client.session, NGHTTP2_FLAG_NONE, stream, NGHTTP2_CANCEL);
            pump(client, server);
        }
    };
    openAndCancel(10);
    QVERIFY(!server.failed());   // ten resets are within the budget
    openAndCancel(5);
    QVERIFY(server.failed());
    QCOMPARE(client.goawayCode, Http2ServerSession::kEnhanceYourCalm);
}

QTEST_GUILESS_MAIN(tst_Http2Session)
#include "tst_http2session.moc"
