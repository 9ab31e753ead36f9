// JSON <-> gRPC transcoding through gatehoused, checked against grpc-gateway's echo service: every
// path and method of its Swagger (../shared/corpus/openapi/real/grpc-gateway-echo_service-
// swagger-2.0.json) is called as REST and must reach the right RPC of a python3-grpcio echo
// server (transcodeecho.py) with its path, query and body bound; then hostile requests. Every
// table runs over HTTP/1.1, h2c by prior knowledge and h2 over TLS with ALPN (transcodefixture.h);
// streaming methods are tst_transcodestreaming's.
#include "transcodefixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

// A value for each path or query parameter the Swagger names (camelCase field paths).
const QMap<QString, QString> &sampleValues()
{
    static const QMap<QString, QString> values{
        {QStringLiteral("id"), QStringLiteral("id-1")},         {QStringLiteral("num"), QStringLiteral("42")},
        {QStringLiteral("lang"), QStringLiteral("en")},         {QStringLiteral("lineNum"), QStringLiteral("7")},
        {QStringLiteral("status.note"), QStringLiteral("hi there")},
        {QStringLiteral("no.note"), QStringLiteral("no-note")}, {QStringLiteral("resourceId"), QStringLiteral("res-9")},
        {QStringLiteral("nId.nId"), QStringLiteral("nested-3")},
    };
    return values;
}

// A value found by a dotted path in a JSON object ("status.note").
QJsonValue lookup(const QJsonObject &o, const QString &path)
{
    QJsonValue at = o;
    for (const QString &part : path.split(u'.'))
        at = at.toObject().value(part);
    return at;
}

} // namespace

class tst_Transcode : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase() { m_peers.stop(); }
    void everySwaggerOperationReachesItsRpc_data() { addTranscodeClientColumn(); }
    void everySwaggerOperationReachesItsRpc();
    void hostileRequests_data();
    void hostileRequests();
    void upstreamStatusesMapLikeGrpcGateway_data() { addTranscodeClientColumn(); }
    void upstreamStatusesMapLikeGrpcGateway();
    void bindingsKeepTheMethodsSecurity_data() { addTranscodeClientColumn(); }
    void bindingsKeepTheMethodsSecurity();

private:
    TranscodeFixture m_peers;
};

void tst_Transcode::initTestCase()
{
    QString skip;
    QString error;
    if (!m_peers.start(skip, error)) {
        if (!skip.isEmpty())
            QSKIP(qPrintable(skip));
        QFAIL(qPrintable(error));
    }
}

void tst_Transcode::everySwaggerOperationReachesItsRpc()
{
    QFETCH(TranscodeClient, client);
    QFile file(qEnvironmentVariable("GATEHOUSE_CORPUS")
               + QStringLiteral("/openapi/real/grpc-gateway-echo_service-swagger-2.0.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const QJsonObject paths = QJsonDocument::fromJson(file.readAll()).object().value(u"paths").toObject();
    QVERIFY(paths.size() >= 10);
    int calls = 0;
    for (auto p = paths.begin(); p != paths.end(); ++p) {
        const QJsonObject methods = p.value().toObject();
        for (auto m = methods.begin(); m != methods.end(); ++m) {
            const QJsonObject op = m.value().toObject();
            const QString operationId = op.value(u"operationId").toString();   // "EchoService_Echo3"
            QString rpc = operationId.section(u'_', 1);
            while (!rpc.isEmpty() && rpc.back().isDigit())
                rpc.chop(1);                        // additional bindings are numbered
            QString path = p.key();
            QStringList query;
            QByteArray body;
            QMap<QString, QString> expected;   // response field path -> value
            for (const QJsonValue &v : op.value(u"parameters").toArray()) {
                const QJsonObject param = v.toObject();
                const QString name = param.value(u"name").toString();
                const QString in = param.value(u"in").toString();
                if (in == u"path") {
                    path.replace(u'{' + name + u'}', QString::fromUtf8(QUrl::toPercentEncoding(sampleValues().value(name))));
                    expected.insert(name, sampleValues().value(name));
                } else if (in == u"query" && name == u"num" && !op.value(u"requestBody").isObject()) {
                    query.append(QStringLiteral("num=5"));   // one query parameter per call is enough
                    expected.insert(name, QStringLiteral("5"));
                } else if (in == u"body") {
                    const QString schema = param.value(u"schema").toObject().value(u"$ref").toString();
                    if (schema.endsWith(u"SimpleMessage")) {
                        body = R"({"id":"body-id","lang":"fr"})";
                        expected.insert(QStringLiteral("id"), QStringLiteral("body-id"));
                        expected.insert(QStringLiteral("lang"), QStringLiteral("fr"));
                    } else if (schema.endsWith(u"Embedded")) {
                        body = R"({"note":"in-body"})";
                        expected.insert(QStringLiteral("no.note"), QStringLiteral("in-body"));
                    } else if (schema.endsWith(u"DynamicMessage")) {
                        body = R"({"structField":{"a":1},"valueField":"v"})";
                        expected.insert(QStringLiteral("body.valueField"), QStringLiteral("v"));
                    } else if (schema.endsWith(u"StatusCheckRequest")) {
                        body = R"({"id":"st"})";
                    }
                }
            }
            const QByteArray target = (path + (query.isEmpty() ? QString() : u'?' + query.join(u'&'))).toUtf8();
            const QByteArray method = m.key().toUpper().toLatin1();
            FieldPairs fields;
            if (!body.isEmpty())
                fields.append({QByteArray("content-type"), QByteArray("application/json")});
            const TranscodeAnswer r = m_peers.call(client, method, target, fields, body);
            QCOMPARE(r.version, client == TranscodeClient::Http11 ? QByteArray("1.1") : QByteArray("2"));
            const QString where = QString::fromLatin1(method + ' ' + target) + QStringLiteral(" (") + operationId + u')';
            const QJsonObject json = QJsonDocument::fromJson(r.body).object();
            ++calls;
            if (rpc == u"EchoUnauthorized") {
                // The example server always refuses it: 401 with grpc-gateway's error body.
                QVERIFY2(r.status == 401, qPrintable(where + QStringLiteral(": ") + QString::fromUtf8(r.body)));
                QCOMPARE(json.value(u"code").toInt(), 16);
                continue;
            }
            QVERIFY2(r.status == 200, qPrintable(where + QStringLiteral(": ") + QString::number(r.status) + u' ' + QString::fromUtf8(r.body)));
            QCOMPARE(r.contentType, QByteArray("application/json"));
            // Which RPC answered: the server marks its answers.
            if (rpc == u"EchoPatch")
                QVERIFY2(json.value(u"updateMask").toString() == u"echoPatch", qPrintable(where + QString::fromUtf8(r.body)));
            else if (rpc == u"EchoStatus")
                QVERIFY2(json.value(u"result").toString() == u"EchoStatus:st", qPrintable(where + QString::fromUtf8(r.body)));
            else
                QVERIFY2(lookup(json, QStringLiteral("nId.val")).toString() == rpc, qPrintable(where + QString::fromUtf8(r.body)));
            for (auto e = expected.begin(); e != expected.end(); ++e) {
                const QJsonValue got = lookup(json, e.key());
                QVERIFY2(got.toString() == e.value(),
                         qPrintable(where + QStringLiteral(": ") + e.key() + QStringLiteral(" is ") + got.toVariant().toString() + QStringLiteral(" in ")
                                    + QString::fromUtf8(r.body)));
            }
        }
    }
    QCOMPARE(calls, 13);
}

void tst_Transcode::hostileRequests_data()
{
    QTest::addColumn<TranscodeClient>("client");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("says");
    struct Row
    {
        const char *name;
        QByteArray method;
        QByteArray target;
        QByteArray body;
        int status;
        QString says;
    };
    const Row rows[] = {
        {"malformed JSON is 400", "POST", "/v1/example/echo_body", "{\"id\":", 400, QStringLiteral("not a valid")},
        {"an unknown field is 400 and named", "POST", "/v1/example/echo_body", R"({"id":"x","bogus":1})", 400,
         QStringLiteral("bogus")},
        {"a wrong type is 400", "POST", "/v1/example/echo_body", R"({"num":{"x":1}})", 400, QStringLiteral("num")},
        {"a body field with two values is 400", "PUT", "/v1/example/echo_body/i", R"({"note":"a"},"id":"x")", 400,
         QStringLiteral("one JSON value")},
        {"an unknown query parameter is 400", "GET", "/v1/example/echo/a/1?zzz=1", {}, 400, QStringLiteral("zzz")},
        {"a query number that is not one is 400", "DELETE", "/v1/example/echo_delete?num=abc", {}, 400,
         QStringLiteral("num")},
        {"a body over 4 MiB is 413", "POST", "/v1/example/echo_body", QByteArray(5 * 1024 * 1024, ' '), 413, {}},
        {"deeply nested JSON is 400", "POST", "/v1/example/echo_body", QByteArray(100000, '['), 400, {}},
    };
    for (const auto &[client, protocol] : transcodeClients()) {
        for (const Row &r : rows)
            QTest::addRow("%s %s", r.name, protocol.constData()) << client << r.method << r.target << r.body << r.status << r.says;
    }
}

void tst_Transcode::hostileRequests()
{
    QFETCH(TranscodeClient, client);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, says);
    const TranscodeAnswer r = m_peers.call(client, method, target, {{"content-type", "application/json"}}, body);
    QVERIFY2(r.status == status, qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.body).contains(says), r.body.constData());
    // The gateway is still there and answers the next call.
    const TranscodeAnswer next = m_peers.call(client, "GET", "/v1/example/echo/ok/1");
    QCOMPARE(next.status, 200);
}

void tst_Transcode::upstreamStatusesMapLikeGrpcGateway()
{
    QFETCH(TranscodeClient, client);
    // NOT_FOUND from the upstream: 404 with {code, message, details}.
    const TranscodeAnswer r = m_peers.call(client, "POST", "/v1/example/echo/not-found");
    QVERIFY2(r.status == 404, qPrintable(r.describe()));
    const QJsonObject json = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(json.value(u"code").toInt(), 5);
    QCOMPARE(json.value(u"message").toString(), QStringLiteral("no such echo"));
    QVERIFY(json.value(u"details").isArray());
}

void tst_Transcode::bindingsKeepTheMethodsSecurity()
{
    QFETCH(TranscodeClient, client);
    const TranscodeAnswer r = m_peers.call(client, "GET", "/v1/locked/x");
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
}

QTEST_GUILESS_MAIN(tst_Transcode)
#include "tst_transcode.moc"
