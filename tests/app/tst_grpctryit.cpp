// gRPC try-it through the embedded gateway to the python3-grpcio interop server of the
// integration tests (tests/integration/grpcinterop.py): the request template, a unary call, a
// server stream arriving message by message, a gateway error as a status, bad input refused.
#include "gatewaycontroller.h"
#include "grpctryit.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_GrpcTryIt : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void theTemplateHasTheInputsFields();
    void aUnaryCallShowsTheResponseAndStatus();
    void aServerStreamArrivesMessageByMessage();
    void aFailedCallShowsItsStatusByName();
    void badInputIsRefusedBeforeSending();

private:
    GrpcOutcome call(GrpcTryIt &tryIt, const QString &method, const QByteArray &json);

    QTemporaryDir m_dir;
    QProcess m_server;
    Project m_project;
    std::unique_ptr<GatewayController> m_gateway;
};

void tst_GrpcTryIt::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString python = QStringLiteral("/usr/bin/python3");
    QProcess probe;
    probe.start(python, {QStringLiteral("-c"), QStringLiteral("import grpc")});
    if (!probe.waitForFinished(30'000) || probe.exitCode() != 0 || QStandardPaths::findExecutable(QStringLiteral("protoc")).isEmpty())
        QSKIP("python3-grpcio and protoc are needed (scripts/deps.sh test)");
    const QString corpus = qEnvironmentVariable("GATEHOUSE_CORPUS") + QStringLiteral("/proto/grpc-proto");
    m_server.start(python, {qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/tests/integration/grpcinterop.py"),
                            QStringLiteral("server"), QStringLiteral("--protos"), corpus});
    QVERIFY(m_server.waitForStarted(10'000));
    QByteArray line;
    QTRY_VERIFY_WITH_TIMEOUT((line += m_server.readAllStandardOutput()).contains('\n'), 30'000);
    QVERIFY2(line.startsWith("PORT "), line.constData());
    const QByteArray upstream = "http://127.0.0.1:" + line.mid(5).trimmed();

    QDir root(m_dir.path());
    QVERIFY(root.mkpath(QStringLiteral("protos/grpc/testing")));
    for (const QString &name : {QStringLiteral("empty.proto"), QStringLiteral("messages.proto"), QStringLiteral("test.proto")}) {
        QFile in(corpus + QStringLiteral("/grpc/testing/") + name);
        QVERIFY2(in.open(QIODevice::ReadOnly), qPrintable(in.fileName()));
        QByteArray text = in.readAll();
        if (name == u"test.proto") {   // every service open
            text.replace("import \"grpc/testing/empty.proto\";",
                         "import \"grpc/testing/empty.proto\";\nimport \"gatehouse/options.proto\";");
            QByteArray open;
            for (const QByteArray &l : text.split('\n')) {
                open += l + '\n';
                if (l.startsWith("service ") && l.endsWith('{'))
                    open += "  option (gatehouse.service) = { security: [NONE] };\n";
            }
            text = open;
        }
        QFile out(root.filePath(QStringLiteral("protos/grpc/testing/") + name));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text);
    }
    QFile settings(root.filePath(QStringLiteral("gatehouse.yaml")));
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write("version: 1\n"
                   "listeners: {http: {address: 127.0.0.1, port: 0}, https: {enabled: false}, admin: {enabled: false}}\n"
                   "grpc:\n  endpoints:\n"
                   "    grpc.testing.TestService: " + upstream + "\n"
                   "    grpc.testing.UnimplementedService: " + upstream + "\n"
                   "    grpc.testing.ReconnectService: " + upstream + "\n"
                   "    grpc.testing.LoadBalancerStatsService: " + upstream + "\n"
                   "    grpc.testing.HookService: " + upstream + "\n"
                   "    grpc.testing.XdsUpdateHealthService: " + upstream + "\n"
                   "    grpc.testing.XdsUpdateClientConfigureService: " + upstream + "\n");
    settings.close();
    Diagnostics diagnostics;
    m_project = Project::load(m_dir.path(), diagnostics);
    QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
    m_gateway = std::make_unique<GatewayController>();
    m_gateway->setProjectDir(m_project.rootDir);
    QVERIFY(m_gateway->start());
    QTRY_VERIFY(m_gateway->isRunning());
}

void tst_GrpcTryIt::cleanupTestCase()
{
    if (m_gateway)
        m_gateway->stop();
    m_gateway.reset();
    m_server.kill();
    m_server.waitForFinished();
}

GrpcOutcome tst_GrpcTryIt::call(GrpcTryIt &tryIt, const QString &method, const QByteArray &json)
{
    GrpcOutcome outcome;
    bool done = false;
    const auto connection = connect(&tryIt, &GrpcTryIt::finished, this, [&](const GrpcOutcome &o) {
        outcome = o;
        done = true;
    });
    if (tryIt.selectMethod(method)) {
        tryIt.requestEdit()->setPlainText(QString::fromUtf8(json));
        if (tryIt.send() && !QTest::qWaitFor([&] { return done; }, 20'000))
            outcome.error = QStringLiteral("no outcome within 20 s");
    }
    disconnect(connection);
    return outcome;
}

void tst_GrpcTryIt::theTemplateHasTheInputsFields()
{
    GrpcTryIt tryIt;
    tryIt.setProject(m_project);
    QVERIFY(tryIt.selectMethod(QStringLiteral("grpc.testing.TestService/UnaryCall")));
    const QJsonObject json = QJsonDocument::fromJson(tryIt.requestEdit()->toPlainText().toUtf8()).object();
    QVERIFY2(json.contains(u"responseSize"), qPrintable(tryIt.requestEdit()->toPlainText()));
    QVERIFY(json.value(u"payload").toObject().contains(u"body"));
    QCOMPARE(json.value(u"responseType").toString(), QStringLiteral("COMPRESSABLE"));
}

void tst_GrpcTryIt::aUnaryCallShowsTheResponseAndStatus()
{
    GrpcTryIt tryIt;
    tryIt.setProject(m_project);
    tryIt.setGateway(m_gateway.get());
    const GrpcOutcome o = call(tryIt, QStringLiteral("grpc.testing.TestService/UnaryCall"), R"({"responseSize": 3})");
    QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
    QCOMPARE(o.grpcStatus, 0);
    QCOMPARE(o.messages, 1);
    QCOMPARE(tryIt.receivedMessages().size(), 1);
    const QJsonObject reply = QJsonDocument::fromJson(tryIt.receivedMessages().first().toUtf8()).object();
    QCOMPARE(reply.value(u"payload").toObject().value(u"body").toString(), QStringLiteral("AAAA"));   // 3 zero bytes
    QVERIFY(tryIt.statusLabel()->text().startsWith(QStringLiteral("OK (0)")));
    QVERIFY(tryIt.responseView()->toPlainText().contains(QStringLiteral("grpc-status: 0")));
}

void tst_GrpcTryIt::aServerStreamArrivesMessageByMessage()
{
    GrpcTryIt tryIt;
    tryIt.setProject(m_project);
    tryIt.setGateway(m_gateway.get());
    QList<int> shownAtMessage;
    connect(tryIt.call(), &GrpcCall::messageReceived, this, [&] { shownAtMessage << int(tryIt.receivedMessages().size()); });
    const GrpcOutcome o = call(tryIt, QStringLiteral("grpc.testing.TestService/StreamingOutputCall"),
                               R"({"responseParameters": [{"size": 1}, {"size": 2, "intervalUs": 200000}, {"size": 3}]})");
    QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
    QCOMPARE(o.grpcStatus, 0);
    QCOMPARE(o.messages, 3);
    QCOMPARE(tryIt.receivedMessages().size(), 3);
    QVERIFY(tryIt.receivedMessages().at(2).contains(QStringLiteral("AAAA")));   // 3 bytes
    // Each message was on screen before the next one came.
    QCOMPARE(shownAtMessage, (QList<int>{1, 2, 3}));
}

void tst_GrpcTryIt::aFailedCallShowsItsStatusByName()
{
    GrpcTryIt tryIt;
    tryIt.setProject(m_project);
    tryIt.setGateway(m_gateway.get());
    // The interop server leaves this method out on purpose: gRPC answers UNIMPLEMENTED.
    const GrpcOutcome o = call(tryIt, QStringLiteral("grpc.testing.TestService/UnimplementedCall"), "{}");
    QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
    QCOMPARE(o.grpcStatus, 12);
    QVERIFY2(tryIt.statusLabel()->text().startsWith(QStringLiteral("UNIMPLEMENTED (12)")),
             qPrintable(tryIt.statusLabel()->text()));
}

void tst_GrpcTryIt::badInputIsRefusedBeforeSending()
{
    GrpcTryIt tryIt;
    tryIt.setProject(m_project);
    tryIt.setGateway(m_gateway.get());
    QVERIFY(tryIt.selectMethod(QStringLiteral("grpc.testing.TestService/UnaryCall")));
    tryIt.requestEdit()->setPlainText(QStringLiteral("{\"responseSize\": "));
    QVERIFY(!tryIt.send());
    QVERIFY(tryIt.statusLabel()->text().contains(QStringLiteral("not JSON")));
    tryIt.requestEdit()->setPlainText(QStringLiteral("{\"noSuchField\": 1}"));
    QVERIFY(!tryIt.send());
    QVERIFY2(tryIt.statusLabel()->text().contains(QStringLiteral("noSuchField")), qPrintable(tryIt.statusLabel()->text()));
    tryIt.requestEdit()->setPlainText(QStringLiteral("{}"));
    tryIt.metadataEdit()->setPlainText(QStringLiteral("Bad Name: x"));
    QVERIFY(!tryIt.send());
    QVERIFY(tryIt.statusLabel()->text().contains(QStringLiteral("Metadata line 1")));
    QVERIFY(!tryIt.call()->isRunning());
}

QTEST_MAIN(tst_GrpcTryIt)
#include "tst_grpctryit.moc"
