// JSON <-> gRPC transcoding through gatehoused, checked against grpc-gateway's echo service: every
// path and method of its Swagger (../shared/corpus/openapi/real/grpc-gateway-echo_service-
// swagger-2.0.json) is called as REST and must reach the right RPC of a python3-grpcio echo
// server (transcodeecho.py) with its path, query and body bound; then hostile requests.
#include "testgateway.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QUrl>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QString sourceDir()
{
    return qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
}

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
    void cleanupTestCase();
    void everySwaggerOperationReachesItsRpc();
    void hostileRequests_data();
    void hostileRequests();
    void upstreamStatusesMapLikeGrpcGateway();
    void bindingsKeepTheMethodsSecurity();

private:
    QString m_python = QStringLiteral("/usr/bin/python3");
    QProcess m_server;
    TestProject m_project;
    std::unique_ptr<GatewayUnderTest> m_gateway;
};

void tst_Transcode::initTestCase()
{
    if (!QFile::exists(m_python)
        || runProcess(m_python, {QStringLiteral("-c"), QStringLiteral("import grpc")}).exitCode != 0)
        QSKIP("/usr/bin/python3 with python3-grpcio is needed (scripts/deps.sh test)");
    QVERIFY(m_project.isValid());
    const QString protoDir = sourceDir() + QStringLiteral("/tests/integration/transcode");
    m_server.start(m_python, {sourceDir() + QStringLiteral("/tests/integration/transcodeecho.py"),
                              QStringLiteral("--proto-dir"), protoDir, QStringLiteral("--include"),
                              sourceDir() + QStringLiteral("/resources/proto")});
    QVERIFY(m_server.waitForStarted(10'000));
    QByteArray line;
    QVERIFY2(waitUntil([&] {
                 line += m_server.readAllStandardOutput();
                 return line.contains('\n');
             }, 30'000),
             m_server.readAllStandardError().constData());
    QVERIFY2(line.startsWith("PORT "), line.constData());
    const QByteArray port = line.mid(5).trimmed();

    QFile proto(protoDir + QStringLiteral("/echo_service.proto"));
    QVERIFY(proto.open(QIODevice::ReadOnly));
    QVERIFY(m_project.write(QStringLiteral("protos/echo_service.proto"), proto.readAll()));
    // A service with the default security (OAuth2/JWT): its REST bindings are protected alike.
    QVERIFY(m_project.write(QStringLiteral("protos/locked.proto"),
                            "syntax = \"proto3\";\n"
                            "package gatehouse.test;\n"
                            "import \"google/api/annotations.proto\";\n"
                            "import \"echo_service.proto\";\n"
                            "service LockedEcho {\n"
                            "  rpc Echo(grpc.gateway.examples.internal.proto.examplepb.SimpleMessage)\n"
                            "      returns (grpc.gateway.examples.internal.proto.examplepb.SimpleMessage) {\n"
                            "    option (google.api.http) = { get: \"/v1/locked/{id}\" };\n"
                            "  }\n"
                            "}\n"));
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("grpc:\n"
                                         "  endpoints:\n"
                                         "    grpc.gateway.examples.internal.proto.examplepb.EchoService: "
                                         "http://127.0.0.1:" + port + "\n"
                                         "    gatehouse.test.LockedEcho: http://127.0.0.1:" + port + "\n")));
    m_gateway = std::make_unique<GatewayUnderTest>(GatewayMode::Daemon);
    QVERIFY2(m_gateway->start(m_project.path()), qPrintable(m_gateway->errorString()));
}

void tst_Transcode::cleanupTestCase()
{
    if (m_gateway)
        m_gateway->stop();
    if (m_server.state() != QProcess::NotRunning) {
        m_server.closeWriteChannel();   // the server ends with its stdin
        if (!m_server.waitForFinished(5'000))
            m_server.kill();
    }
}

void tst_Transcode::everySwaggerOperationReachesItsRpc()
{
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
            const HttpResponse r = httpRequest(m_gateway->httpPort(), method, target, fields, body);
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
            QCOMPARE(fieldValue(r.headers, "content-type"), QByteArray("application/json"));
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
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("says");
    QTest::newRow("malformed JSON is 400") << QByteArray("POST") << QByteArray("/v1/example/echo_body")
                                           << QByteArray("{\"id\":") << 400 << "not a valid";
    QTest::newRow("an unknown field is 400 and named") << QByteArray("POST") << QByteArray("/v1/example/echo_body")
                                                       << QByteArray(R"({"id":"x","bogus":1})") << 400 << "bogus";
    QTest::newRow("a wrong type is 400") << QByteArray("POST") << QByteArray("/v1/example/echo_body")
                                         << QByteArray(R"({"num":{"x":1}})") << 400 << "num";
    QTest::newRow("a body field with two values is 400") << QByteArray("PUT") << QByteArray("/v1/example/echo_body/i")
                                                         << QByteArray(R"({"note":"a"},"id":"x")") << 400 << "one JSON value";
    QTest::newRow("an unknown query parameter is 400") << QByteArray("GET") << QByteArray("/v1/example/echo/a/1?zzz=1")
                                                       << QByteArray() << 400 << "zzz";
    QTest::newRow("a query number that is not one is 400") << QByteArray("DELETE")
                                                           << QByteArray("/v1/example/echo_delete?num=abc")
                                                           << QByteArray() << 400 << "num";
    QTest::newRow("a body over 4 MiB is 413") << QByteArray("POST") << QByteArray("/v1/example/echo_body")
                                              << QByteArray(5 * 1024 * 1024, ' ') << 413 << "";
    QTest::newRow("deeply nested JSON is 400") << QByteArray("POST") << QByteArray("/v1/example/echo_body")
                                               << QByteArray(100000, '[') << 400 << "";
}

void tst_Transcode::hostileRequests()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, says);
    const HttpResponse r = httpRequest(m_gateway->httpPort(), method, target, {{"content-type", "application/json"}}, body);
    QVERIFY2(r.status == status, qPrintable(QString::number(r.status) + u' ' + QString::fromUtf8(r.body)));
    QVERIFY2(QString::fromUtf8(r.body).contains(says), r.body.constData());
    // The gateway is still there and answers the next call.
    const HttpResponse next = httpRequest(m_gateway->httpPort(), "GET", "/v1/example/echo/ok/1", {}, {});
    QCOMPARE(next.status, 200);
}

void tst_Transcode::upstreamStatusesMapLikeGrpcGateway()
{
    // NOT_FOUND from the upstream: 404 with {code, message, details}.
    const HttpResponse r = httpRequest(m_gateway->httpPort(), "POST", "/v1/example/echo/not-found", {}, {});
    QCOMPARE(r.status, 404);
    const QJsonObject json = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(json.value(u"code").toInt(), 5);
    QCOMPARE(json.value(u"message").toString(), QStringLiteral("no such echo"));
    QVERIFY(json.value(u"details").isArray());
}

void tst_Transcode::bindingsKeepTheMethodsSecurity()
{
    const HttpResponse r = httpRequest(m_gateway->httpPort(), "GET", "/v1/locked/x", {}, {});
    QCOMPARE(r.status, 401);
    QVERIFY(!fieldValue(r.headers, "www-authenticate").isEmpty());
}

QTEST_GUILESS_MAIN(tst_Transcode)
#include "tst_transcode.moc"
