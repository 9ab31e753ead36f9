// gRPC-Web codec as tables: content types, streaming base64 both ways (split anywhere, padding
// inside the stream), frame checks on hostile bodies (truncated, bad flags, huge declared
// lengths) and the trailer frame.
#include "proxy/grpcweb.h"

#include <QTest>

using namespace Gatehouse;

namespace {

QByteArray frame(QByteArrayView payload, char flags = 0)
{
    QByteArray f;
    const quint32 n = quint32(payload.size());
    f.append(flags);
    f.append(char(n >> 24));
    f.append(char(n >> 16));
    f.append(char(n >> 8));
    f.append(char(n));
    f.append(payload.data(), payload.size());
    return f;
}

// Feeds `in` to the codec's request side in pieces of `piece` bytes.
bool feedRequest(GrpcWebCodec &codec, const QByteArray &in, qsizetype piece, QByteArray &out)
{
    for (qsizetype at = 0; at < in.size(); at += piece) {
        if (!codec.requestBytes(QByteArrayView(in).sliced(at, std::min(piece, in.size() - at)), out))
            return false;
    }
    return codec.requestEnd();
}

} // namespace

class tst_GrpcWeb : public QObject
{
    Q_OBJECT
private slots:
    void contentTypes_data();
    void contentTypes();
    void base64DecodesSplitAnywhere_data();
    void base64DecodesSplitAnywhere();
    void base64EncoderRoundTrips_data();
    void base64EncoderRoundTrips();
    void hostileRequestBodies_data();
    void hostileRequestBodies();
    void hugeDeclaredLengthIsRefusedAtItsHeader();
    void trailerFrameIsLowerCaseLines();
    void textResponsePadsEachMessage();
    void upstreamTypesKeepTheCodec();
};

void tst_GrpcWeb::contentTypes_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("mode");   // 0: not gRPC-Web
    QTest::newRow("application/grpc-web is binary") << QByteArray("application/grpc-web") << int(GrpcWebMode::Binary);
    QTest::newRow("grpc-web+proto is binary") << QByteArray("application/grpc-web+proto") << int(GrpcWebMode::Binary);
    QTest::newRow("grpc-web-text is text") << QByteArray("application/grpc-web-text") << int(GrpcWebMode::Text);
    QTest::newRow("grpc-web-text+proto is text") << QByteArray("application/grpc-web-text+proto") << int(GrpcWebMode::Text);
    QTest::newRow("upper case is accepted") << QByteArray("Application/GRPC-Web-Text") << int(GrpcWebMode::Text);
    QTest::newRow("parameters are allowed") << QByteArray("application/grpc-web; charset=utf-8") << int(GrpcWebMode::Binary);
    QTest::newRow("native gRPC is not gRPC-Web") << QByteArray("application/grpc") << 0;
    QTest::newRow("a longer word is not gRPC-Web") << QByteArray("application/grpc-webby") << 0;
    QTest::newRow("JSON is not gRPC-Web") << QByteArray("application/json") << 0;
    QTest::newRow("an empty type is not gRPC-Web") << QByteArray() << 0;
}

void tst_GrpcWeb::contentTypes()
{
    QFETCH(QByteArray, contentType);
    QFETCH(int, mode);
    const auto m = grpcWebMode(contentType);
    QCOMPARE(m ? int(*m) : 0, mode);
}

void tst_GrpcWeb::base64DecodesSplitAnywhere_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("one quantum") << QByteArray("TWFu") << QByteArray("Man");
    QTest::newRow("two padding characters") << QByteArray("TQ==") << QByteArray("M");
    QTest::newRow("one padding character") << QByteArray("TWE=") << QByteArray("Ma");
    QTest::newRow("padding inside the stream, then more base64")
        << QByteArray("TQ==TWE=TWFu") << QByteArray("MMaMan");
    QTest::newRow("binary bytes of every value")
        << QByteArray("AAECA/z9/v8=") << QByteArray::fromHex("00010203fcfdfeff");
    QTest::newRow("nothing at all") << QByteArray() << QByteArray();
}

void tst_GrpcWeb::base64DecodesSplitAnywhere()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QByteArray, decoded);
    for (qsizetype piece = 1; piece <= std::max<qsizetype>(1, encoded.size()); ++piece) {
        Base64StreamDecoder d;
        QByteArray out;
        for (qsizetype at = 0; at < encoded.size(); at += piece)
            QVERIFY(d.decode(QByteArrayView(encoded).sliced(at, std::min(piece, encoded.size() - at)), out));
        QVERIFY(d.atEnd());
        QCOMPARE(out, decoded);
    }
}

void tst_GrpcWeb::base64EncoderRoundTrips_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("piece");
    QTest::newRow("a message split in single bytes") << QByteArray("hello, grpc-web") << 1;
    QTest::newRow("a message split in pairs") << QByteArray("hello, grpc-web!") << 2;
    QTest::newRow("a message in one piece") << QByteArray(1000, 'x') << 1000;
    QTest::newRow("binary bytes split in sevens") << QByteArray::fromHex("00ff10ee20dd30cc40bb50aa6099") << 7;
}

void tst_GrpcWeb::base64EncoderRoundTrips()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, piece);
    Base64StreamEncoder e;
    QByteArray text;
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        e.encode(QByteArrayView(bytes).sliced(at, std::min<qsizetype>(piece, bytes.size() - at)), text);
    e.flush(text);
    QCOMPARE(text, bytes.toBase64());
}

void tst_GrpcWeb::hostileRequestBodies_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");   // 0: accepted; else the HTTP status the error stands for
    const QByteArray two = frame("ab") + frame("");
    QTest::newRow("two frames pass") << int(GrpcWebMode::Binary) << two << 0;
    QTest::newRow("two frames in base64 pass") << int(GrpcWebMode::Text) << two.toBase64() << 0;
    QTest::newRow("a compressed message passes") << int(GrpcWebMode::Binary) << frame("zz", 1) << 0;
    QTest::newRow("a body cut inside a frame header is refused")
        << int(GrpcWebMode::Binary) << frame("abc").first(3) << 400;
    QTest::newRow("a body cut inside a payload is refused")
        << int(GrpcWebMode::Binary) << frame("abcdef").first(8) << 400;
    QTest::newRow("a trailer frame from the client is refused")
        << int(GrpcWebMode::Binary) << frame("grpc-status: 0\r\n", char(0x80)) << 400;
    QTest::newRow("reserved flag bits are refused") << int(GrpcWebMode::Binary) << frame("x", 4) << 400;
    QTest::newRow("a character outside base64 is refused")
        << int(GrpcWebMode::Text) << QByteArray("AAAA*AAA") << 400;
    QTest::newRow("base64 after a padding character in one quantum is refused")
        << int(GrpcWebMode::Text) << QByteArray("AA=A") << 400;
    QTest::newRow("a padding character too early is refused") << int(GrpcWebMode::Text) << QByteArray("A===") << 400;
    QTest::newRow("base64 cut inside a quantum is refused")
        << int(GrpcWebMode::Text) << frame("abc").toBase64().chopped(1) << 400;
    QTest::newRow("a line break inside base64 is refused")
        << int(GrpcWebMode::Text) << QByteArray("AAAA\r\nAAAA") << 400;
    QTest::newRow("a message over the bound is refused as too large")
        << int(GrpcWebMode::Binary) << frame(QByteArray(2000, 'm')) << 413;
}

void tst_GrpcWeb::hostileRequestBodies()
{
    QFETCH(int, mode);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const QByteArray type = mode == int(GrpcWebMode::Text) ? "application/grpc-web-text" : "application/grpc-web";
    for (const qsizetype piece : {qsizetype(1), qsizetype(3), body.size() + 1}) {
        GrpcWebCodec codec(GrpcWebMode(mode), type, 1024);
        QByteArray out;
        const bool ok = feedRequest(codec, body, piece, out);
        QCOMPARE(ok, status == 0);
        if (ok)
            continue;
        const GatewayError e = codec.requestError();
        QCOMPARE(e.status, status);
        QVERIFY(!e.description.isEmpty());
        // Once failed, the codec stays failed.
        QVERIFY(!codec.requestBytes(frame("x"), out));
    }
}

void tst_GrpcWeb::hugeDeclaredLengthIsRefusedAtItsHeader()
{
    // 4 GiB - 1 declared, nothing of it sent: the header alone is refused, nothing is kept.
    GrpcWebCodec codec(GrpcWebMode::Binary, "application/grpc-web", GrpcWebCodec::kDefaultMaxMessageBytes);
    QByteArray out;
    QVERIFY(!codec.requestBytes(QByteArray::fromHex("00ffffffff"), out));
    QVERIFY(out.isEmpty());
    QCOMPARE(codec.requestError().status, 413);
    QVERIFY2(codec.requestError().description.contains(u"4294967295"), qPrintable(codec.requestError().description));
}

void tst_GrpcWeb::trailerFrameIsLowerCaseLines()
{
    Http1FieldList trailers;
    trailers.append("Grpc-Status", "5");
    trailers.append("grpc-message", "not%20found");
    trailers.append("X-Custom-Bin", "AQI");
    const QByteArray block = "grpc-status: 5\r\ngrpc-message: not%20found\r\nx-custom-bin: AQI\r\n";
    QCOMPARE(grpcWebTrailerFrame(trailers), frame(block, char(0x80)));
    QCOMPARE(grpcWebTrailerFrame({}), QByteArray::fromHex("8000000000"));
}

void tst_GrpcWeb::textResponsePadsEachMessage()
{
    // Two messages arriving split at odd places: each one's base64 is complete (padded) on its
    // own, then the trailer frame follows as its own padded base64.
    GrpcWebCodec codec(GrpcWebMode::Text, "application/grpc-web-text+proto", 1024);
    const QByteArray first = frame("a");
    const QByteArray second = frame("bcde");
    const QByteArray both = first + second;
    QByteArray out;
    codec.responseBytes(QByteArrayView(both).first(4), out);
    codec.responseBytes(QByteArrayView(both).sliced(4, 5), out);
    codec.responseBytes(QByteArrayView(both).sliced(9), out);
    Http1FieldList trailers;
    trailers.append("grpc-status", "0");
    codec.responseTrailers(trailers, out);
    QCOMPARE(out, first.toBase64() + second.toBase64() + grpcWebTrailerFrame(trailers).toBase64());

    // And what the client does with it: decode the concatenation in one go.
    Base64StreamDecoder d;
    QByteArray decoded;
    QVERIFY(d.decode(out, decoded));
    QCOMPARE(decoded, both + grpcWebTrailerFrame(trailers));
}

void tst_GrpcWeb::upstreamTypesKeepTheCodec()
{
    const GrpcWebCodec proto(GrpcWebMode::Text, "application/grpc-web-text+proto", 1024);
    QCOMPARE(proto.upstreamContentType(), QByteArrayView("application/grpc+proto"));
    QCOMPARE(proto.responseContentType(), QByteArrayView("application/grpc-web-text+proto"));
    const GrpcWebCodec plain(GrpcWebMode::Binary, "application/grpc-web; charset=x", 1024);
    QCOMPARE(plain.upstreamContentType(), QByteArrayView("application/grpc"));
    QCOMPARE(plain.responseContentType(), QByteArrayView("application/grpc-web"));
}

QTEST_GUILESS_MAIN(tst_GrpcWeb)
#include "tst_grpcweb.moc"
