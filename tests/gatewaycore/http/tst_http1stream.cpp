// HTTP/1.1 request streams: limits, pipelining, trailers, Expect, keep-alive, upgrades, EOF.
#include "http1testutil.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Http1Stream : public QObject
{
    Q_OBJECT
private slots:
    void enforcesLimits_data();
    void enforcesLimits();
    void refusesOverlongLinesBeforeTheyEnd();
    void parsesPipelinedRequests();
    void keepsTrailers();
    void exposesExpectContinue_data();
    void exposesExpectContinue();
    void decidesKeepAlive_data();
    void decidesKeepAlive();
    void pausesOnUpgradeAndResumesWhenDeclined();
    void pausesOnConnectForGood();
    void headSurvivesTheCallerReusingItsBuffer();
    void finishReportsTruncatedMessages();
    void exposesTargetParts_data();
    void exposesTargetParts();
    void resetForgetsAFailure();
};

namespace {

QByteArray post(QByteArray rest)
{
    return "POST /upload HTTP/1.1\r\nHost: api.example.com\r\n" + rest;
}

QByteArray chunked(QByteArray body)
{
    return post("Transfer-Encoding: chunked\r\n\r\n" + body);
}

} // namespace

void tst_Http1Stream::enforcesLimits_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Http1Limits>("limits");
    QTest::addColumn<int>("status"); // 0: accepted

    Http1Limits small;
    small.maxRequestLineBytes = 64;
    small.maxHeaderBytes = 128;
    small.maxHeaderCount = 4;
    small.maxBodyBytes = 10;
    small.maxChunkExtensionBytes = 16;
    small.maxChunkSizeDigits = 4;
    const QByteArray host = "Host: a\r\n";
    const QByteArray line64 = "GET /" + QByteArray(64 - 14, 'x') + " HTTP/1.1\r\n";
    QCOMPARE(line64.size(), 66);

    QTest::newRow("request line exactly at the limit is accepted")
        << line64 + host + "\r\n" << small << 0;
    QTest::newRow("request line one byte over the limit is 414")
        << "GET /" + QByteArray(51, 'x') + " HTTP/1.1\r\n" + host + "\r\n" << small << 414;
    QTest::newRow("header section over its byte limit is 431")
        << "GET / HTTP/1.1\r\n" + host + "X: " + QByteArray(120, 'v') + "\r\n\r\n" << small << 431;
    QTest::newRow("fifth field line over a limit of four is 431")
        << "GET / HTTP/1.1\r\n" + host + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n" << small << 431;
    QTest::newRow("four field lines at a limit of four are accepted")
        << "GET / HTTP/1.1\r\n" + host + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n" << small << 0;
    QTest::newRow("Content-Length over the body limit is 413 before any byte is read")
        << post("Content-Length: 11\r\n\r\n") << small << 413;
    QTest::newRow("Content-Length at the body limit is accepted")
        << post("Content-Length: 10\r\n\r\n0123456789") << small << 0;
    QTest::newRow("chunked body growing over the body limit is 413")
        << chunked("6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n") << small << 413;
    QTest::newRow("chunk size with more digits than allowed is 400")
        << chunked("00005\r\nhello\r\n0\r\n\r\n") << small << 400;
    QTest::newRow("chunk extensions over their limit are 400")
        << chunked("5;" + QByteArray(20, 'e') + "\r\nhello\r\n0\r\n\r\n") << small << 400;
    QTest::newRow("trailer section over the header limit is 431")
        << chunked("0\r\nT: " + QByteArray(130, 't') + "\r\n\r\n") << small << 431;
}

void tst_Http1Stream::enforcesLimits()
{
    QFETCH(QByteArray, input);
    QFETCH(Http1Limits, limits);
    QFETCH(int, status);
    for (qsizetype piece : {qsizetype(0), qsizetype(1), qsizetype(7)}) {
        ParseOptions options;
        options.limits = limits;
        options.pieceSize = piece;
        const ParseOutcome out = parseAll(Http1Role::Request, input, options);
        QCOMPARE(out.errorStatus, status);
        if (status == 0)
            QVERIFY(!out.messages.isEmpty() && out.messages.last().complete);
    }
}

void tst_Http1Stream::refusesOverlongLinesBeforeTheyEnd()
{
    // A client streaming an endless request line or field is cut off at the limit, not buffered.
    Http1Limits limits;
    limits.maxRequestLineBytes = 100;
    limits.maxHeaderBytes = 200;
    Http1Parser parser(Http1Role::Request, limits);
    const QByteArray endless(1000, 'a');
    Http1Step s = parser.next("GET /");
    QCOMPARE(s.event, Http1Event::NeedData);
    qint64 fed = s.consumed;
    for (int i = 0; i < 1000 && s.event == Http1Event::NeedData; ++i) {
        s = parser.next(QByteArrayView(endless).first(1));
        fed += s.consumed;
    }
    QCOMPARE(s.event, Http1Event::Error);
    QCOMPARE(http1ErrorStatus(parser.error().code, Http1Role::Request), 414);
    QVERIFY(fed <= 102);

    Http1Parser fields(Http1Role::Request, limits);
    QCOMPARE(fields.next("GET / HTTP/1.1\r\nX: ").event, Http1Event::NeedData);
    s = fields.next(endless);
    QCOMPARE(s.event, Http1Event::Error);
    QCOMPARE(fields.error().code, Http1Error::HeaderSectionTooLarge);
}

void tst_Http1Stream::parsesPipelinedRequests()
{
    const QByteArray input = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n" + post("Content-Length: 2\r\n\r\nhi")
                             + "DELETE /3 HTTP/1.1\r\nHost: a\r\n\r\n";
    const ParseOutcome out = parseAll(Http1Role::Request, input);
    QCOMPARE(out.messages.size(), 3);
    QCOMPARE(out.messages[0].target, QByteArray("/1"));
    QCOMPARE(out.messages[1].body, QByteArray("hi"));
    QCOMPARE(out.messages[2].method, QByteArray("DELETE"));
    QVERIFY(out.messages[2].complete);
    QVERIFY(!out.error);
}

void tst_Http1Stream::keepsTrailers()
{
    const ParseOutcome out = parseAll(
        Http1Role::Request, chunked("2\r\nok\r\n0\r\nGrpc-Status: 0\r\nX-Checksum:  abc \r\n\r\n"));
    QCOMPARE(out.messages.size(), 1);
    QCOMPARE(out.messages[0].trailers.size(), 2);
    QCOMPARE(out.messages[0].trailers[0].first, QByteArray("Grpc-Status"));
    QCOMPARE(out.messages[0].trailers[1].second, QByteArray("abc"));
}

void tst_Http1Stream::exposesExpectContinue_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("expectContinue");
    QTest::newRow("Expect 100-continue on HTTP/1.1 is exposed")
        << post("Expect: 100-continue\r\nContent-Length: 1\r\n\r\nx") << true;
    QTest::newRow("Expect is matched without regard to case")
        << post("expect: 100-Continue\r\nContent-Length: 1\r\n\r\nx") << true;
    QTest::newRow("Expect 100-continue on HTTP/1.0 is ignored (RFC 9110 10.1.1)")
        << QByteArray("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx") << false;
    QTest::newRow("other expectations are not 100-continue")
        << post("Expect: 200-ok\r\nContent-Length: 1\r\n\r\nx") << false;
}

void tst_Http1Stream::exposesExpectContinue()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, expectContinue);
    // The head arrives before the body: the proxy can answer 100 before reading on.
    Http1Parser parser(Http1Role::Request);
    const qsizetype headEnd = input.indexOf("\r\n\r\n") + 4;
    const Http1Step s = parser.next(QByteArrayView(input).first(headEnd));
    QCOMPARE(s.event, Http1Event::Head);
    QCOMPARE(parser.head().expectContinue, expectContinue);
    QCOMPARE(parser.next(QByteArrayView(input).sliced(headEnd)).event, Http1Event::Body);
}

void tst_Http1Stream::decidesKeepAlive_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("HTTP/1.1 is persistent by default") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
                                                       << true;
    QTest::newRow("Connection close ends HTTP/1.1")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n") << false;
    QTest::newRow("close in a second Connection field counts")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: te\r\nConnection: close\r\n\r\n") << false;
    QTest::newRow("HTTP/1.0 closes by default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::newRow("HTTP/1.0 with keep-alive is persistent")
        << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true;
    QTest::newRow("a token merely containing close is not close")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n") << true;
}

void tst_Http1Stream::decidesKeepAlive()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, keepAlive);
    const ParseOutcome out = parseAll(Http1Role::Request, input);
    QCOMPARE(out.messages.size(), 1);
    QCOMPARE(out.messages[0].keepAlive, keepAlive);
}

void tst_Http1Stream::pausesOnUpgradeAndResumesWhenDeclined()
{
    const QByteArray upgrade = "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                               "Content-Length: 2\r\n\r\nhi";
    const QByteArray input = upgrade + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    Http1Parser parser(Http1Role::Request);
    QByteArrayView in(input);
    Http1Step s = parser.next(in);
    QCOMPARE(s.event, Http1Event::Head);
    QVERIFY(parser.head().upgrade);
    QCOMPARE(parser.head().headers.value("upgrade").toByteArray(), QByteArray("websocket"));
    in = in.sliced(s.consumed);
    QCOMPARE(parser.next(in).event, Http1Event::Body);
    in = in.sliced(2);
    QCOMPARE(parser.next(in).event, Http1Event::MessageComplete);
    s = parser.next(in);
    QCOMPARE(s.event, Http1Event::Paused);
    QCOMPARE(s.consumed, qsizetype(0));
    QCOMPARE(parser.offset(), qint64(upgrade.size()));
    // The proxy answered without 101: the next request is plain HTTP/1.1.
    QVERIFY(parser.resume());
    s = parser.next(in);
    QCOMPARE(s.event, Http1Event::Head);
    QCOMPARE(parser.head().target.toByteArray(), QByteArray("/next"));
    QVERIFY(!parser.head().upgrade);
}

void tst_Http1Stream::pausesOnConnectForGood()
{
    const QByteArray input = "CONNECT db.internal:5432 HTTP/1.1\r\nHost: db.internal:5432\r\n\r\n\x16\x03\x01";
    const ParseOutcome out = parseAll(Http1Role::Request, input);
    QVERIFY(out.paused);
    QCOMPARE(out.messages.size(), 1);
    QCOMPARE(out.messages[0].target, QByteArray("db.internal:5432"));
    QCOMPARE(out.offset, qint64(input.size() - 3));

    Http1Parser parser(Http1Role::Request);
    QCOMPARE(parser.next(input).event, Http1Event::Head);
    QCOMPARE(parser.head().targetForm, Http1TargetForm::Authority);
    QCOMPARE(parser.next({}).event, Http1Event::MessageComplete);
    QCOMPARE(parser.next("\x16").event, Http1Event::Paused);
    QVERIFY(!parser.resume()); // the bytes that follow are the tunnel's, never a request
}

void tst_Http1Stream::headSurvivesTheCallerReusingItsBuffer()
{
    QByteArray buffer = post("Content-Length: 4\r\nX-Api-Key: secret\r\n\r\nbody");
    Http1Parser parser(Http1Role::Request);
    const Http1Step s = parser.next(buffer);
    QCOMPARE(s.event, Http1Event::Head);
    buffer.fill('#'); // the connection compacts or overwrites its read buffer
    buffer.append(QByteArray(4096, '#'));
    QCOMPARE(parser.head().headers.value("x-api-key").toByteArray(), QByteArray("secret"));
    QCOMPARE(parser.head().target.toByteArray(), QByteArray("/upload"));
    QCOMPARE(parser.head().host.toByteArray(), QByteArray("api.example.com"));
}

void tst_Http1Stream::finishReportsTruncatedMessages()
{
    ParseOptions closeAtEnd;
    closeAtEnd.finishAtEnd = true;
    auto errorAtClose = [&](const QByteArray &input) {
        const ParseOutcome out = parseAll(Http1Role::Request, input, closeAtEnd);
        return out.error ? http1ErrorName(*out.error).toByteArray() : QByteArray("none");
    };
    QCOMPARE(errorAtClose("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), QByteArray("none"));
    QCOMPARE(errorAtClose(post("Content-Length: 5\r\n\r\nhel")), QByteArray("incomplete-message"));
    QCOMPARE(errorAtClose("GET / HTTP/1.1\r\nHo"), QByteArray("incomplete-message"));
    QCOMPARE(errorAtClose(chunked("5\r\nhello\r\n")), QByteArray("incomplete-message"));
}

void tst_Http1Stream::exposesTargetParts_data()
{
    QTest::addColumn<QByteArray>("requestLine");
    QTest::addColumn<Http1TargetForm>("form");
    QTest::addColumn<QByteArray>("pathAndQuery");
    QTest::addColumn<QByteArray>("authority");
    QTest::newRow("origin-form is its own path and query")
        << QByteArray("GET /a/b?c=d HTTP/1.1") << Http1TargetForm::Origin << QByteArray("/a/b?c=d")
        << QByteArray();
    QTest::newRow("absolute-form splits into authority and path")
        << QByteArray("GET https://api.example.com:8443/v1/pets?x HTTP/1.1") << Http1TargetForm::Absolute
        << QByteArray("/v1/pets?x") << QByteArray("api.example.com:8443");
    QTest::newRow("absolute-form without a path has path /")
        << QByteArray("GET http://api.example.com HTTP/1.1") << Http1TargetForm::Absolute
        << QByteArray("/") << QByteArray("api.example.com");
    QTest::newRow("authority-form of CONNECT has no path")
        << QByteArray("CONNECT db:5432 HTTP/1.1") << Http1TargetForm::Authority << QByteArray()
        << QByteArray("db:5432");
    QTest::newRow("asterisk-form of OPTIONS has neither")
        << QByteArray("OPTIONS * HTTP/1.1") << Http1TargetForm::Asterisk << QByteArray() << QByteArray();
}

void tst_Http1Stream::exposesTargetParts()
{
    QFETCH(QByteArray, requestLine);
    QFETCH(Http1TargetForm, form);
    QFETCH(QByteArray, pathAndQuery);
    QFETCH(QByteArray, authority);
    Http1Parser parser(Http1Role::Request);
    QCOMPARE(parser.next(requestLine + "\r\nHost: h\r\n\r\n").event, Http1Event::Head);
    QCOMPARE(parser.head().targetForm, form);
    QCOMPARE(parser.head().pathAndQuery().toByteArray(), pathAndQuery);
    QCOMPARE(parser.head().targetAuthority().toByteArray(), authority);
}

void tst_Http1Stream::resetForgetsAFailure()
{
    Http1Parser parser(Http1Role::Request);
    QCOMPARE(parser.next("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n").event, Http1Event::Error);
    QCOMPARE(parser.next("GET / HTTP/1.1\r\n").event, Http1Event::Error); // refused for good
    parser.reset();
    QCOMPARE(parser.offset(), qint64(0));
    QCOMPARE(parser.next("GET /again HTTP/1.1\r\nHost: h\r\n\r\n").event, Http1Event::Head);
    QCOMPARE(parser.head().target.toByteArray(), QByteArray("/again"));
}

QTEST_GUILESS_MAIN(tst_Http1Stream)
#include "tst_http1stream.moc"
