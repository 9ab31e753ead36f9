// HTTP/1.1 serializer: exact bytes of heads and chunks, refusal of injected CR/LF, round trips.
#include "http/http1writer.h"

#include "http1testutil.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Http1Writer : public QObject
{
    Q_OBJECT
private slots:
    void writesRequestHead();
    void writesResponseHead_data();
    void writesResponseHead();
    void refusesWhatWouldSplitAMessage_data();
    void refusesWhatWouldSplitAMessage();
    void checksOnlyTheFieldsItIsAskedTo();
    void writesChunks();
    void roundTripsThroughTheParser();
    void growsTheBufferOnce();
};

void tst_Http1Writer::writesRequestHead()
{
    QByteArray out = "previous bytes|";
    const Http1Field fields[] = {{"Host", "api.example.com"}, {"X-Empty", ""}};
    QVERIFY(Http1Writer::appendRequestHead(out, "GET", "/pets?limit=1", HttpVersion::Http11, fields));
    QCOMPARE(out, QByteArray("previous bytes|GET /pets?limit=1 HTTP/1.1\r\nHost: api.example.com\r\n"
                             "X-Empty: \r\n\r\n"));
}

void tst_Http1Writer::writesResponseHead_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<HttpVersion>("version");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("standard phrase when none is given")
        << 404 << QByteArray() << HttpVersion::Http11 << QByteArray("HTTP/1.1 404 Not Found\r\n\r\n");
    QTest::newRow("given phrase wins")
        << 200 << QByteArray("Fine") << HttpVersion::Http10 << QByteArray("HTTP/1.0 200 Fine\r\n\r\n");
    QTest::newRow("unregistered code keeps an empty phrase")
        << 599 << QByteArray() << HttpVersion::Http11 << QByteArray("HTTP/1.1 599 \r\n\r\n");
    QTest::newRow("413 uses the RFC 9110 name")
        << 413 << QByteArray() << HttpVersion::Http11
        << QByteArray("HTTP/1.1 413 Content Too Large\r\n\r\n");
}

void tst_Http1Writer::writesResponseHead()
{
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    QFETCH(HttpVersion, version);
    QFETCH(QByteArray, expected);
    QByteArray out;
    QVERIFY(Http1Writer::appendResponseHead(out, status, reason, version, {}));
    QCOMPARE(out, expected);
}

void tst_Http1Writer::refusesWhatWouldSplitAMessage_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    auto row = [](const char *title, const char *method, const char *target, QByteArray name,
                  QByteArray value) {
        QTest::newRow(title) << QByteArray(method) << QByteArray(target) << name << value;
    };
    row("CRLF in a value injects a header", "GET", "/", "X-User", "bob\r\nX-Admin: true");
    row("bare LF in a value", "GET", "/", "X-User", "bob\nX-Admin: true");
    row("NUL in a value", "GET", "/", "X-User", QByteArray("bo\0b", 4));
    row("leading space in a value would not read back", "GET", "/", "X-User", " bob");
    row("colon in a name", "GET", "/", "X-User:", "bob");
    row("empty name", "GET", "/", "", "bob");
    row("space in the target splits the request line", "GET", "/a b", "X", "y");
    row("CRLF in the target", "GET", "/a\r\nHost: evil", "X", "y");
    row("space in the method", "GE T", "/", "X", "y");
}

void tst_Http1Writer::refusesWhatWouldSplitAMessage()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QByteArray out = "kept";
    const Http1Field fields[] = {{"Host", "a"}, {name, value}};
    QVERIFY(!Http1Writer::appendRequestHead(out, method, target, HttpVersion::Http11, fields));
    const bool fieldIsTheProblem = method == "GET" && target == "/";
    if (fieldIsTheProblem) {
        QVERIFY(!Http1Writer::appendResponseHead(out, 200, {}, HttpVersion::Http11, fields));
        QVERIFY(!Http1Writer::appendLastChunk(out, fields));
    }
    QVERIFY(!Http1Writer::appendResponseHead(out, 200, "OK\r\nX: y", HttpVersion::Http11, {}));
    QCOMPARE(out, QByteArray("kept"));
}

// The proxy's contract: fields it took from Http1Parser are valid already; the range names the
// ones policies set, and those are still refused when they would split the message.
void tst_Http1Writer::checksOnlyTheFieldsItIsAskedTo()
{
    const Http1Field fields[] = {{"Host", "a"}, {"X-Policy", "v\r\nX-Injected: 1"}, {"Via", "1.1 gatehouse"}};
    QByteArray out = "kept";
    QVERIFY(!Http1Writer::appendRequestHead(out, "GET", "/", HttpVersion::Http11, fields, {1, 2}));
    QVERIFY(!Http1Writer::appendResponseHead(out, 200, {}, HttpVersion::Http11, fields, {1, 2}));
    QVERIFY(!Http1Writer::appendResponseHead(out, 200, {}, HttpVersion::Http11, fields));   // default: all
    QCOMPARE(out, QByteArray("kept"));
    const Http1Field valid[] = {{"Host", "a"}, {"X-Policy", "v"}};
    QVERIFY(Http1Writer::appendResponseHead(out, 200, {}, HttpVersion::Http11, valid, {1, 2}));
    QCOMPARE(out, QByteArray("keptHTTP/1.1 200 OK\r\nHost: a\r\nX-Policy: v\r\n\r\n"));
}

void tst_Http1Writer::writesChunks()
{
    QByteArray out;
    Http1Writer::appendChunk(out, "hello");
    Http1Writer::appendChunk(out, {}); // an empty chunk would end the body: nothing is written
    Http1Writer::appendChunk(out, QByteArray(26, 'z'));
    Http1Writer::appendChunkHeader(out, 0x1234abcd);
    Http1Writer::appendChunkDataEnd(out);
    const Http1Field trailers[] = {{"Grpc-Status", "0"}};
    QVERIFY(Http1Writer::appendLastChunk(out, trailers));
    QCOMPARE(out, "5\r\nhello\r\n1a\r\n" + QByteArray(26, 'z') + "\r\n1234abcd\r\n\r\n0\r\n"
                  "Grpc-Status: 0\r\n\r\n");
}

void tst_Http1Writer::roundTripsThroughTheParser()
{
    QByteArray wire;
    const Http1Field fields[] = {{"Host", "a.example"}, {"Transfer-Encoding", "chunked"},
                                 {"X-Note", "inner  spaces kept"}};
    QVERIFY(Http1Writer::appendRequestHead(wire, "POST", "/orders", HttpVersion::Http11, fields));
    Http1Writer::appendChunk(wire, "first,");
    Http1Writer::appendChunk(wire, QByteArray(300, 'x'));
    const Http1Field trailers[] = {{"X-Sum", "42"}};
    QVERIFY(Http1Writer::appendLastChunk(wire, trailers));

    const ParseOutcome out = parseAll(Http1Role::Request, wire);
    QVERIFY2(!out.error, out.transcript().constData());
    QCOMPARE(out.messages.size(), 1);
    const ParsedMessage &m = out.messages[0];
    QCOMPARE(m.method, QByteArray("POST"));
    QCOMPARE(m.header("x-note"), QByteArray("inner  spaces kept"));
    QCOMPARE(m.body, "first," + QByteArray(300, 'x'));
    QCOMPARE(m.trailers.value(0).second, QByteArray("42"));
    QVERIFY(m.complete);
}

void tst_Http1Writer::growsTheBufferOnce()
{
    QByteArray out;
    out.reserve(16);
    const Http1Field fields[] = {{"Host", "a"}, {"Content-Type", "application/json"},
                                 {"Content-Length", "1024"}};
    QVERIFY(Http1Writer::appendResponseHead(out, 200, {}, HttpVersion::Http11, fields));
    const qsizetype size = out.size();
    QCOMPARE(size, QByteArray("HTTP/1.1 200 OK\r\nHost: a\r\nContent-Type: application/json\r\n"
                              "Content-Length: 1024\r\n\r\n").size());
    // Computed exactly: no slack written, no terminator missing.
    QCOMPARE(out.constData()[size], '\0');
}

QTEST_GUILESS_MAIN(tst_Http1Writer)
#include "tst_http1writer.moc"
