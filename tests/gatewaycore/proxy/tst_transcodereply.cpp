// The gRPC side of a transcoded call as tables: request frames (404, 400 and the 501 of a
// client-streaming method), response messages cut from DATA however it is split and rendered as
// a JSON array's elements (compressed, oversized and malformed messages refused), a streamed
// array's end with its error element, and the answer's status from trailers or HTTP.
#include "proxy/transcodereply.h"

#include "project/gatewayconfig.h"
#include "project/protoloader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Gatehouse;

namespace {

constexpr char kProto[] = R"(syntax = "proto3";
package t;
message Tick {
  int32 i = 1;
  string pad = 2;
}
)";

TranscodeRoute tickRoute()
{
    Diagnostics d;
    const ProtoSet set = loadProtoSources({{QStringLiteral("t.proto"), kProto}}, QStringLiteral("protos/"), d);
    TranscodeRoute route;
    route.types = *TranscodeTypes::fromDescriptorSet(set.descriptorSet);
    route.rule.httpMethod = QStringLiteral("GET");
    route.rule.path = *HttpPathTemplate::parse(QStringLiteral("/v1/ticks/{i}"));
    route.rule.input = route.types->message(QStringLiteral("t.Tick"));
    route.rule.output = route.rule.input;
    route.methodName = QStringLiteral("t.Ticks.Count");
    route.serverStreaming = true;
    return route;
}

// A length-prefixed Tick {i} (field 1, varint; i < 128).
QByteArray tickFrame(int i, char flag = 0)
{
    const QByteArray message = QByteArray("\x08", 1) + char(i);
    QByteArray frame(1, flag);
    frame += QByteArray("\0\0\0", 3) + char(message.size());
    return frame + message;
}

} // namespace

class tst_TranscodeReply : public QObject
{
    Q_OBJECT
private slots:
    void requestFrames_data();
    void requestFrames();
    void messagesAreCutHoweverDataIsSplit_data();
    void messagesAreCutHoweverDataIsSplit();
    void badMessagesEndTheCall_data();
    void badMessagesEndTheCall();
    void streamEnds();
    void statusComesFromTrailersOrHttp();
};

void tst_TranscodeReply::requestFrames_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("clientStreaming");
    QTest::addColumn<bool>("serverStreaming");
    QTest::addColumn<int>("status");   // 0: framed
    QTest::addColumn<QString>("says");
    QTest::newRow("a matching path is one uncompressed message") << QByteArray("/v1/ticks/7") << false << true << 0 << QString();
    QTest::newRow("a path the template does not match is 404") << QByteArray("/v1/other") << false << true << 404 << QString();
    QTest::newRow("a value that is no number is 400") << QByteArray("/v1/ticks/x") << false << true << 400 << QString();
    QTest::newRow("a client-streaming method is 501 before anything else")
        << QByteArray("/v1/other") << true << false << 501 << QStringLiteral("client-streaming method t.Ticks.Count");
    QTest::newRow("a bidirectional method is 501 and says so")
        << QByteArray("/v1/ticks/7") << true << true << 501 << QStringLiteral("bidirectional streaming method t.Ticks.Count");
}

void tst_TranscodeReply::requestFrames()
{
    QFETCH(QByteArray, path);
    QFETCH(bool, clientStreaming);
    QFETCH(bool, serverStreaming);
    QFETCH(int, status);
    QFETCH(QString, says);
    TranscodeRoute route = tickRoute();
    route.clientStreaming = clientStreaming;
    route.serverStreaming = serverStreaming;
    QByteArray frame;
    GatewayError error;
    const bool ok = transcodeRequestFrame(route, path, {}, {}, frame, error);
    QCOMPARE(ok, status == 0);
    if (ok) {
        QCOMPARE(frame, tickFrame(7));
        return;
    }
    QCOMPARE(error.status, status);
    QVERIFY2(error.description.contains(says), qPrintable(error.description));
}

void tst_TranscodeReply::messagesAreCutHoweverDataIsSplit_data()
{
    QTest::addColumn<int>("chunk");   // DATA arrives in pieces of this many bytes
    for (int chunk : {1, 2, 5, 7, 64})
        QTest::addRow("three messages in %d-byte pieces are three elements", chunk) << chunk;
}

void tst_TranscodeReply::messagesAreCutHoweverDataIsSplit()
{
    QFETCH(int, chunk);
    const TranscodeRoute route = tickRoute();
    const QByteArray data = tickFrame(1) + tickFrame(2) + tickFrame(3);
    QByteArray buffer;
    QByteArray json;
    int count = 0;
    for (qsizetype at = 0; at < data.size(); at += chunk) {
        buffer += data.mid(at, chunk);
        TranscodeStatus status;
        QVERIFY(takeTranscodedMessages(route, buffer, 1024, json, count, status));
        QVERIFY(buffer.size() < tickFrame(1).size());   // only an incomplete message waits
    }
    QCOMPARE(count, 3);
    QVERIFY(buffer.isEmpty());
    const QJsonArray array = QJsonDocument::fromJson('[' + json + ']').array();
    QCOMPARE(array.size(), 3);
    QCOMPARE(array.at(2).toObject().value(u"i").toInt(), 3);
}

void tst_TranscodeReply::badMessagesEndTheCall_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("says");
    QTest::newRow("a compressed message is refused") << tickFrame(1, 1) << QStringLiteral("compressed");
    QTest::newRow("a message declaring 4 GiB is refused before it arrives")
        << QByteArray("\0\xff\xff\xff\xff", 5) << QStringLiteral("exceeds the 1024 bytes");
    QTest::newRow("bytes that are not a Tick are refused") << QByteArray("\0\0\0\0\3\xff\xff\xff", 8)
                                                           << QStringLiteral("t.Tick");
}

void tst_TranscodeReply::badMessagesEndTheCall()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, says);
    const TranscodeRoute route = tickRoute();
    QByteArray buffer = tickFrame(1) + data;
    QByteArray json;
    int count = 0;
    TranscodeStatus status;
    QVERIFY(!takeTranscodedMessages(route, buffer, 1024, json, count, status));
    QCOMPARE(count, 1);   // what came before the bad message was taken
    QCOMPARE(status.grpcStatus, 13);
    QVERIFY2(status.message.contains(says), qPrintable(status.message));
}

void tst_TranscodeReply::streamEnds()
{
    QCOMPARE(transcodedStreamEnd({0, {}}, true), QByteArray("]"));
    const QByteArray error = transcodedStreamEnd({5, QStringLiteral("gone")}, true);
    QVERIFY(error.startsWith(','));
    const QJsonArray array = QJsonDocument::fromJson("[{}" + error).array();
    QCOMPARE(array.size(), 2);
    const QJsonObject e = array.at(1).toObject().value(u"error").toObject();
    QCOMPARE(e.value(u"code").toInt(), 5);
    QCOMPARE(e.value(u"message").toString(), QStringLiteral("gone"));
    QVERIFY(e.value(u"details").isArray());
}

void tst_TranscodeReply::statusComesFromTrailersOrHttp()
{
    const TranscodeStatus ok = transcodeStatus(200, "0", {});
    QCOMPARE(ok.grpcStatus, 0);
    const TranscodeStatus named = transcodeStatus(200, "5", "no%20such");
    QCOMPARE(named.grpcStatus, 5);
    QCOMPARE(named.message, QStringLiteral("no such"));
    // No grpc-status: gRPC's HTTP mapping (503 is UNAVAILABLE).
    const TranscodeStatus http = transcodeStatus(503, {}, {});
    QCOMPARE(http.grpcStatus, 14);
    QVERIFY(http.message.contains(u"503"));
}

QTEST_GUILESS_MAIN(tst_TranscodeReply)
#include "tst_transcodereply.moc"
