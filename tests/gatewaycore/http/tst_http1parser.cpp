// HTTP/1.1 request parsing: accepted shapes, the smuggling table, incremental feeding.
#include "http1testutil.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Http1Parser : public QObject
{
    Q_OBJECT
private slots:
    void acceptsRequests_data();
    void acceptsRequests();
    void refusesSmuggling_data();
    void refusesSmuggling();
    void byteAtATimeEqualsAllAtOnce_data();
    void byteAtATimeEqualsAllAtOnce();
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

void tst_Http1Parser::acceptsRequests_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<Http1Framing>("framing");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("GET with Host is a bodiless request")
        << QByteArray("GET /pets?limit=10 HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("/pets?limit=10")
        << Http1Framing::NoBody << QByteArray();
    QTest::newRow("POST with Content-Length carries exactly that many bytes")
        << post("Content-Length: 5\r\n\r\nhello") << QByteArray("/upload")
        << Http1Framing::ContentLength << QByteArray("hello");
    QTest::newRow("Content-Length with leading zeros is a plain number")
        << post("Content-Length: 007\r\n\r\n1234567") << QByteArray("/upload")
        << Http1Framing::ContentLength << QByteArray("1234567");
    QTest::newRow("Content-Length surrounded by optional whitespace")
        << post("Content-Length: \t3 \t\r\n\r\nabc") << QByteArray("/upload")
        << Http1Framing::ContentLength << QByteArray("abc");
    QTest::newRow("chunked body is reassembled without its framing")
        << chunked("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n") << QByteArray("/upload")
        << Http1Framing::Chunked << QByteArray("hello world");
    QTest::newRow("chunked in capitals after a tab is still chunked (tab is OWS)")
        << post("TRANSFER-ENCODING:\tCHUNKED \r\n\r\n1\r\na\r\n0\r\n\r\n") << QByteArray("/upload")
        << Http1Framing::Chunked << QByteArray("a");
    QTest::newRow("chunk sizes may have leading zeros and upper-case hex")
        << chunked("000A\r\n0123456789\r\n000\r\n\r\n") << QByteArray("/upload")
        << Http1Framing::Chunked << QByteArray("0123456789");
    QTest::newRow("well-formed chunk extensions are allowed and dropped")
        << chunked("5;a=b;c;d=\"x \\\" y\"\r\nhello\r\n0;last\r\n\r\n") << QByteArray("/upload")
        << Http1Framing::Chunked << QByteArray("hello");
    QTest::newRow("empty lines before the request line are skipped")
        << QByteArray("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("/")
        << Http1Framing::NoBody << QByteArray();
    QTest::newRow("OPTIONS may use the asterisk form")
        << QByteArray("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("*")
        << Http1Framing::NoBody << QByteArray();
    QTest::newRow("absolute-form target with http scheme")
        << QByteArray("GET http://a.example:8080/x?y HTTP/1.1\r\nHost: a.example:8080\r\n\r\n")
        << QByteArray("http://a.example:8080/x?y") << Http1Framing::NoBody << QByteArray();
    QTest::newRow("HTTP/1.0 needs no Host")
        << QByteArray("GET /old HTTP/1.0\r\n\r\n") << QByteArray("/old") << Http1Framing::NoBody
        << QByteArray();
    QTest::newRow("WebDAV method from the IANA registry")
        << QByteArray("PROPFIND /dav HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        << QByteArray("/dav") << Http1Framing::ContentLength << QByteArray();
    QTest::newRow("obs-text and inner spaces are kept in values")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-Name: D\xc3\xbcsseldorf  am Rhein\r\n\r\n")
        << QByteArray("/") << Http1Framing::NoBody << QByteArray();
}

void tst_Http1Parser::acceptsRequests()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, target);
    QFETCH(Http1Framing, framing);
    QFETCH(QByteArray, body);
    const ParseOutcome out = parseAll(Http1Role::Request, input);
    QVERIFY2(!out.error, out.transcript().constData());
    QCOMPARE(out.messages.size(), 1);
    QCOMPARE(out.messages[0].target, target);
    QCOMPARE(out.messages[0].framing, framing);
    QCOMPARE(out.messages[0].body, body);
    QVERIFY(out.messages[0].complete);
    QCOMPARE(out.offset, qint64(input.size()));
}

void tst_Http1Parser::refusesSmuggling_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Http1Error>("error");
    QTest::addColumn<int>("status");
    using E = Http1Error;
    auto row = [](const char *name, const QByteArray &input, E error, int status = 400) {
        QTest::newRow(name) << input << error << status;
    };

    // Content-Length versus Transfer-Encoding
    row("CL.TE: Content-Length then Transfer-Encoding",
        post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG"),
        E::ContentLengthWithTransferEncoding);
    row("TE.CL: Transfer-Encoding then Content-Length",
        post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n"),
        E::ContentLengthWithTransferEncoding);
    row("two equal Content-Length fields", post("Content-Length: 5\r\nContent-Length: 5\r\n\r\n"),
        E::DuplicateContentLength);
    row("two differing Content-Length fields", post("Content-Length: 5\r\nContent-Length: 50\r\n\r\n"),
        E::DuplicateContentLength);
    row("Content-Length as a list", post("Content-Length: 5, 5\r\n\r\nhello"), E::InvalidContentLength);
    row("Content-Length with a plus sign", post("Content-Length: +5\r\n\r\n"), E::InvalidContentLength);
    row("Content-Length with a minus sign", post("Content-Length: -1\r\n\r\n"), E::InvalidContentLength);
    row("Content-Length with a space between digits", post("Content-Length: 4 2\r\n\r\n"),
        E::InvalidContentLength);
    row("Content-Length in hex", post("Content-Length: 0x10\r\n\r\n"), E::InvalidContentLength);
    row("Content-Length with a trailing letter", post("Content-Length: 5a\r\n\r\n"),
        E::InvalidContentLength);
    row("Content-Length that overflows 64 bits", post("Content-Length: 99999999999999999999\r\n\r\n"),
        E::InvalidContentLength);
    row("empty Content-Length", post("Content-Length:\r\n\r\n"), E::InvalidContentLength);
    row("Content-Length behind a vertical tab", post("Content-Length:\x0b" "5\r\n\r\n"),
        E::InvalidHeaderValue);
    // Obfuscated Transfer-Encoding
    row("chunked followed by identity", post("Transfer-Encoding: chunked, identity\r\n\r\n"),
        E::InvalidTransferEncoding);
    row("identity alone", post("Transfer-Encoding: identity\r\n\r\n"), E::InvalidTransferEncoding);
    row("xchunked", post("Transfer-Encoding: xchunked\r\n\r\n"), E::InvalidTransferEncoding);
    row("chunkedchunked", post("Transfer-Encoding: chunkedchunked\r\n\r\n"), E::InvalidTransferEncoding);
    row("chunked with a parameter", post("Transfer-Encoding: chunked;q=1\r\n\r\n"),
        E::InvalidTransferEncoding);
    row("empty element before chunked", post("Transfer-Encoding: , chunked\r\n\r\n"),
        E::InvalidTransferEncoding);
    row("empty Transfer-Encoding", post("Transfer-Encoding:\r\n\r\n"), E::InvalidTransferEncoding);
    row("Transfer-Encoding repeated", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
        E::InvalidTransferEncoding);
    row("codings split over two Transfer-Encoding fields",
        post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"), E::InvalidTransferEncoding);
    row("gzip then chunked is well framed but not implemented",
        post("Transfer-Encoding: gzip, chunked\r\n\r\n"), E::UnsupportedTransferCoding, 501);
    row("space before the colon of Transfer-Encoding", post("Transfer-Encoding : chunked\r\n\r\n"),
        E::WhitespaceBeforeColon);
    row("tab before the colon of Transfer-Encoding", post("Transfer-Encoding\t: chunked\r\n\r\n"),
        E::WhitespaceBeforeColon);
    row("vertical tab before chunked", post("Transfer-Encoding:\x0b" "chunked\r\n\r\n"),
        E::InvalidHeaderValue);
    row("form feed after chunked", post("Transfer-Encoding: chunked\x0c\r\n\r\n"), E::InvalidHeaderValue);
    row("NUL inside chunked", post(QByteArray("Transfer-Encoding: chun\0ked\r\n\r\n", 31)),
        E::InvalidHeaderValue);
    row("chunked folded onto a continuation line", post("Transfer-Encoding:\r\n chunked\r\n\r\n"),
        E::ObsoleteLineFolding);
    row("space before the first field name",
        "POST / HTTP/1.1\r\n Transfer-Encoding: chunked\r\nHost: a\r\n\r\n", E::ObsoleteLineFolding);
    row("Transfer-Encoding in an HTTP/1.0 request",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", E::InvalidTransferEncoding);
    // Line endings
    row("bare LF ends a field line", post("X: a\nContent-Length: 0\r\n\r\n"), E::InvalidLineEnding);
    row("bare LF ends the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", E::InvalidLineEnding);
    row("bare LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", E::InvalidLineEnding);
    row("bare LF before the request line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidLineEnding);
    row("bare CR inside a field value", post("X: a\rContent-Length: 5\r\n\r\n"), E::InvalidLineEnding);
    row("bare CR instead of the empty line", "GET / HTTP/1.1\r\nHost: a\r\n\rGET /evil HTTP/1.1\r\n\r\n",
        E::InvalidLineEnding);
    // Names, values, methods, targets
    row("space inside a field name", post("Content Length: 5\r\n\r\n"), E::WhitespaceBeforeColon);
    row("at sign in a field name", post("Fo@: x\r\n\r\n"), E::InvalidHeaderName);
    row("empty field name", post(": x\r\n\r\n"), E::InvalidHeaderName);
    row("field line without a colon", post("Content-Length 5\r\n\r\n"), E::WhitespaceBeforeColon);
    row("non-ASCII byte in a field name", post("X-\xc3\xa9: x\r\n\r\n"), E::InvalidHeaderName);
    row("DEL in a field value", post("X: a\x7f" "b\r\n\r\n"), E::InvalidHeaderValue);
    row("lower-case method", "get / HTTP/1.1\r\nHost: a\r\n\r\n", E::UnknownMethod, 501);
    row("unregistered method", "MKCOLA / HTTP/1.1\r\nHost: a\r\n\r\n", E::UnknownMethod, 501);
    row("control byte in the method", "G\x01T / HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidMethod);
    row("tab between method and target", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidMethod);
    row("two spaces after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidStartLine);
    row("space inside the target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidVersion);
    row("control byte in the target", "GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidTarget);
    row("UTF-8 in the target", "GET /\xce\xb4 HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidTarget);
    row("fragment in the target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidTarget);
    row("relative target", "GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidTarget);
    row("authority-form target with GET", "GET a.example:443 HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidTarget);
    row("asterisk-form target with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidTarget);
    row("CONNECT with an origin-form target", "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidTarget);
    row("CONNECT without a port", "CONNECT a.example HTTP/1.1\r\nHost: a\r\n\r\n", E::InvalidTarget);
    row("CONNECT with a body", "CONNECT a:443 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd",
        E::BodyNotAllowed);
    row("absolute-form target with userinfo", "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n",
        E::InvalidTarget);
    row("absolute-form target with another scheme", "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n",
        E::InvalidTarget);
    // Versions
    row("HTTP/0.9 request line", "GET /\r\n\r\n", E::UnsupportedVersion, 505);
    row("HTTP/2.0 connection preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", E::UnsupportedVersion, 505);
    row("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", E::UnsupportedVersion, 505);
    row("two-digit major version", "GET / HTTP/01.1\r\nHost: a\r\n\r\n", E::InvalidVersion);
    row("lower-case protocol name", "GET / http/1.1\r\nHost: a\r\n\r\n", E::InvalidVersion);
    row("space after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", E::InvalidVersion);
    row("RTSP instead of HTTP", "OPTIONS /a RTSP/1.0\r\n\r\n", E::InvalidVersion);
    // Host
    row("HTTP/1.1 request without Host", "GET / HTTP/1.1\r\n\r\n", E::MissingHost);
    row("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", E::DuplicateHost);
    row("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", E::InvalidHost);
    row("Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", E::InvalidHost);
    row("Host with an inner space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", E::InvalidHost);
    // Chunked framing
    row("chunk size with a leading space", chunked(" 5\r\nhello\r\n0\r\n\r\n"), E::InvalidChunkSize);
    row("chunk size with a trailing space", chunked("5 \r\nhello\r\n0\r\n\r\n"), E::InvalidChunkSize);
    row("chunk size with 0x prefix", chunked("0x5\r\nhello\r\n0\r\n\r\n"), E::InvalidChunkSize);
    row("chunk size with a sign", chunked("+5\r\nhello\r\n0\r\n\r\n"), E::InvalidChunkSize);
    row("chunk size overflowing 64 bits", chunked("ffffffffffffffff\r\n"), E::InvalidChunkSize);
    row("empty chunk size (missing last chunk)", chunked("3\r\nfoo\r\n\r\n"), E::InvalidChunkSize);
    row("chunk size ended by a bare LF", chunked("5\nhello\r\n0\r\n\r\n"), E::InvalidChunkSize);
    row("chunk size ended by a bare CR", chunked("5\rhello\r\n0\r\n\r\n"), E::InvalidLineEnding);
    row("chunk extension without a name", chunked("5;\r\nhello\r\n0\r\n\r\n"), E::InvalidChunkExtension);
    row("chunk extension with spaces", chunked("5; a=b\r\nhello\r\n0\r\n\r\n"), E::InvalidChunkExtension);
    row("unterminated quoted chunk extension", chunked("5;a=\"b\r\nhello\r\n0\r\n\r\n"),
        E::InvalidChunkExtension);
    row("chunk data longer than its size", chunked("5\r\nhelloX\r\n0\r\n\r\n"), E::InvalidChunkData);
    row("chunk data ended by a bare LF", chunked("5\r\nhello\n0\r\n\r\n"), E::InvalidChunkData);
    row("obs-fold in a trailer", chunked("0\r\nX: a\r\n b\r\n\r\n"), E::ObsoleteLineFolding);
    row("bare LF in a trailer", chunked("0\r\nX: a\n\r\n"), E::InvalidLineEnding);
    // Connection boundaries
    row("request after Connection: close",
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
        E::DataAfterClose);
    row("request after an HTTP/1.0 request without keep-alive",
        "GET / HTTP/1.0\r\n\r\nGET /2 HTTP/1.0\r\n\r\n", E::DataAfterClose);
    row("many empty lines before a request", "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        E::InvalidStartLine);
}

void tst_Http1Parser::refusesSmuggling()
{
    QFETCH(QByteArray, input);
    QFETCH(Http1Error, error);
    QFETCH(int, status);
    const ParseOutcome whole = parseAll(Http1Role::Request, input);
    QVERIFY2(whole.error, whole.transcript().constData());
    QCOMPARE(http1ErrorName(*whole.error).toByteArray(), http1ErrorName(error).toByteArray());
    QCOMPARE(whole.errorStatus, status);
    // The refused message is never reported as complete.
    QVERIFY(whole.messages.isEmpty() || !whole.messages.last().complete
            || error == Http1Error::DataAfterClose);
    ParseOptions oneByte;
    oneByte.pieceSize = 1;
    QCOMPARE(parseAll(Http1Role::Request, input, oneByte).transcript(), whole.transcript());
}

void tst_Http1Parser::byteAtATimeEqualsAllAtOnce_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("three pipelined requests with every framing")
        << QByteArray("GET /a HTTP/1.1\r\nHost: a\r\n\r\n" + post("Content-Length: 3\r\n\r\nabc")
                      + chunked("3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: 1\r\n\r\n"));
    QTest::newRow("a browser-like request with many fields")
        << QByteArray("GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: "
                      "Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: text/html,*/*;q=0.8\r\n"
                      "Accept-Language: en-US,en;q=0.5\r\nCookie: a=b; c=d\r\n\r\n");
    QTest::newRow("a refused request after a good one")
        << QByteArray("GET /a HTTP/1.1\r\nHost: a\r\n\r\n" + post("Content-Length: 1\r\nContent-Length: 2\r\n\r\n"));
}

void tst_Http1Parser::byteAtATimeEqualsAllAtOnce()
{
    QFETCH(QByteArray, input);
    const QByteArray whole = parseAll(Http1Role::Request, input).transcript();
    for (qsizetype piece : {1, 2, 3, 5, 13, 64}) {
        ParseOptions options;
        options.pieceSize = piece;
        QCOMPARE(parseAll(Http1Role::Request, input, options).transcript(), whole);
    }
}

QTEST_GUILESS_MAIN(tst_Http1Parser)
#include "tst_http1parser.moc"
