// HTTP/1.1 upstream responses: framing by status and request method, interim 1xx, tunnels, 502s.
#include "http1testutil.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Http1Response : public QObject
{
    Q_OBJECT
private slots:
    void framesResponses_data();
    void framesResponses();
    void refusesBadResponses_data();
    void refusesBadResponses();
    void interimResponsesPrecedeTheFinalOne();
    void requestMethodAppliesToOneResponse();
    void switchingProtocolsPausesForGood();
    void untilCloseEndsAtFinish();
    void byteAtATimeEqualsAllAtOnce();
};

void tst_Http1Response::framesResponses_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<HttpMethod>("requestMethod");
    QTest::addColumn<Http1Framing>("framing");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    QTest::newRow("200 with Content-Length has exactly that body")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello") << HttpMethod::Get
        << Http1Framing::ContentLength << QByteArray("hello") << true;
    QTest::newRow("200 chunked is decoded")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
        << HttpMethod::Get << Http1Framing::Chunked << QByteArray("ok") << true;
    QTest::newRow("200 without a length is read until the upstream closes")
        << QByteArray("HTTP/1.1 200 OK\r\n\r\nall of it") << HttpMethod::Get
        << Http1Framing::UntilClose << QByteArray("all of it") << false;
    QTest::newRow("the answer to HEAD has no body despite its Content-Length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n") << HttpMethod::Head
        << Http1Framing::NoBody << QByteArray() << true;
    QTest::newRow("204 has no body")
        << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << HttpMethod::Delete << Http1Framing::NoBody
        << QByteArray() << true;
    QTest::newRow("304 has no body even when it names a length")
        << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n") << HttpMethod::Get
        << Http1Framing::NoBody << QByteArray() << true;
    QTest::newRow("304 has no body even when it names chunked")
        << QByteArray("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n")
        << HttpMethod::Get << Http1Framing::NoBody << QByteArray() << true;
    QTest::newRow("HTTP/1.0 with keep-alive and a length stays open")
        << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi")
        << HttpMethod::Get << Http1Framing::ContentLength << QByteArray("hi") << true;
    QTest::newRow("HTTP/1.0 without keep-alive closes")
        << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi") << HttpMethod::Get
        << Http1Framing::ContentLength << QByteArray("hi") << false;
    QTest::newRow("Connection close on HTTP/1.1 closes")
        << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi")
        << HttpMethod::Get << Http1Framing::ContentLength << QByteArray("hi") << false;
    QTest::newRow("status line without a reason phrase")
        << QByteArray("HTTP/1.1 301\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n") << HttpMethod::Get
        << Http1Framing::ContentLength << QByteArray() << true;
    QTest::newRow("reason phrase with spaces and obs-text")
        << QByteArray("HTTP/1.1 500  Ori\xc3\xabntatie probleem\r\nContent-Length: 0\r\n\r\n")
        << HttpMethod::Get << Http1Framing::ContentLength << QByteArray() << true;
    QTest::newRow("a header merely starting with Content-Length is not one")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length-X: 0\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "2\r\nOK\r\n0\r\n\r\n")
        << HttpMethod::Get << Http1Framing::Chunked << QByteArray("OK") << true;
}

void tst_Http1Response::framesResponses()
{
    QFETCH(QByteArray, input);
    QFETCH(HttpMethod, requestMethod);
    QFETCH(Http1Framing, framing);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    ParseOptions options;
    options.requestMethods = {requestMethod};
    options.finishAtEnd = true;
    const ParseOutcome out = parseAll(Http1Role::Response, input, options);
    QVERIFY2(!out.error, out.transcript().constData());
    QCOMPARE(out.messages.size(), 1);
    QCOMPARE(out.messages[0].framing, framing);
    QCOMPARE(out.messages[0].body, body);
    QCOMPARE(out.messages[0].keepAlive, keepAlive);
    QVERIFY(out.messages[0].complete);
}

void tst_Http1Response::refusesBadResponses_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Http1Error>("error");
    using E = Http1Error;
    auto row = [](const char *name, const QByteArray &input, E error) {
        QTest::newRow(name) << input << error;
    };
    row("Content-Length together with Transfer-Encoding",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        E::ContentLengthWithTransferEncoding);
    row("two Content-Length fields", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
        E::DuplicateContentLength);
    row("chunked not last (a client would read until close, we refuse)",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", E::InvalidTransferEncoding);
    row("chunked then identity in two fields",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n",
        E::InvalidTransferEncoding);
    row("Transfer-Encoding in an HTTP/1.0 response",
        "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", E::InvalidTransferEncoding);
    row("bare LF after the status line", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
        E::InvalidLineEnding);
    row("bare CR after the status line", "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n",
        E::InvalidLineEnding);
    row("one-digit status code", "HTTP/1.1 2 OK\r\n\r\n", E::InvalidStatusCode);
    row("status code 600", "HTTP/1.1 600 Odd\r\n\r\n", E::InvalidStatusCode);
    row("two spaces before the status code", "HTTP/1.1  200 OK\r\n\r\n", E::InvalidStatusCode);
    row("tab after the version", "HTTP/1.1\t200 OK\r\n\r\n", E::InvalidVersion);
    row("two-digit minor version", "HTTP/1.01 200 OK\r\n\r\n", E::InvalidVersion);
    row("HTTP/2.0 status line", "HTTP/2.0 200 OK\r\n\r\n", E::UnsupportedVersion);
    row("HTTP/0.9 status line", "HTTP/0.9 200 OK\r\n\r\n", E::UnsupportedVersion);
    row("ICE instead of HTTP", "ICE/1.1 200 OK\r\n\r\n", E::InvalidStartLine);
    row("space inside a field name", "HTTP/1.1 200 OK\r\nen-US Content-Type: text/xml\r\n\r\n",
        E::WhitespaceBeforeColon);
    row("chunk size with trailing spaces",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n25  \r\n", E::InvalidChunkSize);
    row("a second response after Connection: close",
        "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", E::DataAfterClose);
    row("a status line longer than the limit", "HTTP/1.1 200 " + QByteArray(9000, 'x') + "\r\n\r\n",
        E::HeaderSectionTooLarge);
}

void tst_Http1Response::refusesBadResponses()
{
    QFETCH(QByteArray, input);
    QFETCH(Http1Error, error);
    for (qsizetype piece : {qsizetype(0), qsizetype(1)}) {
        ParseOptions options;
        options.pieceSize = piece;
        const ParseOutcome out = parseAll(Http1Role::Response, input, options);
        QVERIFY2(out.error, out.transcript().constData());
        QCOMPARE(http1ErrorName(*out.error).toByteArray(), http1ErrorName(error).toByteArray());
        QCOMPARE(out.errorStatus, 502); // the client did nothing wrong: Bad Gateway
    }
}

void tst_Http1Response::interimResponsesPrecedeTheFinalOne()
{
    const QByteArray input = "HTTP/1.1 100 Continue\r\n\r\n"
                             "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                             "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    const ParseOutcome out = parseAll(Http1Role::Response, input);
    QVERIFY(!out.error);
    QCOMPARE(out.messages.size(), 3);
    QCOMPARE(out.messages[0].status, 100);
    QCOMPARE(out.messages[1].header("link"), QByteArray("</s.css>; rel=preload"));
    QVERIFY(out.messages[1].complete);
    QCOMPARE(out.messages[2].status, 200);
    QCOMPARE(out.messages[2].body, QByteArray("ok"));
}

void tst_Http1Response::requestMethodAppliesToOneResponse()
{
    // HEAD covers its interim 100 and its final response, then GET applies again.
    const QByteArray input = "HTTP/1.1 100 Continue\r\n\r\n"
                             "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n"
                             "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody";
    Http1Parser parser(Http1Role::Response);
    parser.setRequestMethod(HttpMethod::Head);
    QByteArrayView in(input);
    QList<Http1Event> events;
    QByteArray body;
    for (;;) {
        const Http1Step s = parser.next(in);
        in = in.sliced(s.consumed);
        if (s.event == Http1Event::NeedData || s.event == Http1Event::Error)
            break;
        events.append(s.event);
        body += s.data.toByteArray();
    }
    QCOMPARE(events,
             (QList<Http1Event>{Http1Event::Head, Http1Event::MessageComplete, Http1Event::Head,
                                Http1Event::MessageComplete, Http1Event::Head, Http1Event::Body,
                                Http1Event::MessageComplete}));
    QCOMPARE(body, QByteArray("body"));
}

void tst_Http1Response::switchingProtocolsPausesForGood()
{
    const QByteArray input = "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: h2c\r\n"
                             "Content-Length: 4\r\n\r\nbody";
    const ParseOutcome out = parseAll(Http1Role::Response, input);
    QVERIFY(out.paused);
    QVERIFY(out.messages[0].upgrade);
    QCOMPARE(out.offset, qint64(input.size() - 4)); // the body bytes belong to the new protocol

    ParseOptions connect;
    connect.requestMethods = {HttpMethod::Connect};
    const ParseOutcome tunnel = parseAll(Http1Role::Response, "HTTP/1.1 200 OK\r\n\r\n\x16\x03", connect);
    QVERIFY(tunnel.paused);
    QCOMPARE(tunnel.messages[0].framing, Http1Framing::NoBody);

    Http1Parser parser(Http1Role::Response);
    QCOMPARE(parser.next(input).event, Http1Event::Head);
    QCOMPARE(parser.next({}).event, Http1Event::MessageComplete);
    QVERIFY(!parser.resume());
}

void tst_Http1Response::untilCloseEndsAtFinish()
{
    Http1Parser parser(Http1Role::Response);
    QCOMPARE(parser.next("HTTP/1.1 200 OK\r\n\r\n").event, Http1Event::Head);
    QCOMPARE(parser.head().framing, Http1Framing::UntilClose);
    QVERIFY(!parser.head().keepAlive);
    const Http1Step s = parser.next("partial");
    QCOMPARE(s.event, Http1Event::Body);
    QCOMPARE(s.data.toByteArray(), QByteArray("partial"));
    QCOMPARE(parser.finish().event, Http1Event::MessageComplete);
    QCOMPARE(parser.finish().event, Http1Event::NeedData);

    Http1Parser cut(Http1Role::Response);
    QCOMPARE(cut.next("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc").event, Http1Event::Head);
    QCOMPARE(cut.next("abc").event, Http1Event::Body);
    QCOMPARE(cut.finish().event, Http1Event::Error);
    QCOMPARE(cut.error().code, Http1Error::IncompleteMessage);
}

void tst_Http1Response::byteAtATimeEqualsAllAtOnce()
{
    const QByteArray input = "\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                             "\r\n4;a=\"q\"\r\nwiki\r\n5\r\npedia\r\n0\r\nExpires: never\r\n\r\n"
                             "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnopeHTTP/1.1 200 OK\r\n\r\nrest";
    ParseOptions options;
    options.finishAtEnd = true;
    const QByteArray whole = parseAll(Http1Role::Response, input, options).transcript();
    QVERIFY(whole.contains("trailer Expires: never"));
    QVERIFY(whole.endsWith("body=72657374\ncomplete\n"));
    for (qsizetype piece : {1, 2, 9}) {
        options.pieceSize = piece;
        QCOMPARE(parseAll(Http1Role::Response, input, options).transcript(), whole);
    }
}

QTEST_GUILESS_MAIN(tst_Http1Response)
#include "tst_http1response.moc"
