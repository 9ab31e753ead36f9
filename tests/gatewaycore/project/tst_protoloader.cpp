// The .proto loader: gateway options, google.api.http, diagnostics and limits, on small projects.
#include "project/project.h"
#include "project/protoloader.h"
#include "prototesthelpers.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::ProtoTest;

class tst_ProtoLoader : public QObject
{
    Q_OBJECT
private slots:
    void properties_data();
    void properties();
    void diagnostics_data();
    void diagnostics();
    void limits_data();
    void limits();
    void cleanProjectsHaveNoDiagnostics_data();
    void cleanProjectsHaveNoDiagnostics();
    void brokenFilesDoNotStopOthers();
    void gatehouseOptionsWinOverWso2();
    void messageTypes();
    void projectWithoutProtosIsEmpty();
    void hiddenDirectoriesAndOtherFilesAreSkipped();
};

void tst_ProtoLoader::properties_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("method");   // empty: a property of the service
    QTest::addColumn<QString>("property");
    QTest::addColumn<QString>("expected");

    const QString options = QStringLiteral("options");
    const QString catalog = QStringLiteral("shop.v1.Catalog");
    QTest::newRow("a service in a nested package directory keeps its file path")
        << options << catalog << "" << "file" << "protos/shop/v1/shop.proto";
    QTest::newRow("a service is located at its 'service' keyword")
        << options << catalog << "" << "location" << "protos/shop/v1/shop.proto:9:1";
    QTest::newRow("our service security lists JWT then OAuth2")
        << options << catalog << "" << "security" << "jwt,oauth2";
    QTest::newRow("our service tier is Gold") << options << catalog << "" << "tier" << "Gold";
    QTest::newRow("our service tier points at the option statement")
        << options << catalog << "" << "tierLocation" << "protos/shop/v1/shop.proto:10:3";
    QTest::newRow("our endpoints: two failover URLs with a timeout")
        << options << catalog << "" << "endpoints"
        << "failover http://localhost:50051,http://localhost:50052 2500ms";
    QTest::newRow("our sandbox endpoint: a single TLS URL")
        << options << catalog << "" << "sandbox" << "single https://sandbox.example.com:8443";
    QTest::newRow("a method's input may come from another project file")
        << options << catalog << "UpdatePrices" << "types" << "common.Money -> shop.v1.Item";
    QTest::newRow("client streaming is detected")
        << options << catalog << "UpdatePrices" << "streaming" << "stream -> unary";
    QTest::newRow("server streaming is detected")
        << options << catalog << "ListItems" << "streaming" << "unary -> stream";
    QTest::newRow("a method is located at its 'rpc' keyword")
        << options << catalog << "ListItems" << "location" << "protos/shop/v1/shop.proto:24:3";
    QTest::newRow("our method scopes from a list")
        << options << catalog << "GetItem" << "scopes" << "catalog:read";
    QTest::newRow("our method scopes from one space-separated string")
        << options << catalog << "UpdatePrices" << "scopes" << "catalog:write,catalog:admin";
    QTest::newRow("our method scopes point at the option statement")
        << options << catalog << "GetItem" << "scopesLocation" << "protos/shop/v1/shop.proto:22:5";
    QTest::newRow("our method tier is Silver")
        << options << catalog << "GetItem" << "tier" << "Silver";
    QTest::newRow("a method without options has no tier")
        << options << catalog << "ListItems" << "tier" << "";
    QTest::newRow("the gRPC path is /package.Service/Method")
        << options << catalog << "GetItem" << "path" << "/shop.v1.Catalog/GetItem";

    const QString wso2 = QStringLiteral("wso2");
    const QString hello = QStringLiteral("org.example.grpc.HelloWorld");
    QTest::newRow("wso2 security written twice gives both schemes in order")
        << wso2 << hello << "" << "security" << "apikey,jwt";
    QTest::newRow("wso2 service tier") << wso2 << hello << "" << "tier" << "20kPerMin";
    QTest::newRow("wso2 production endpoint is a single URL")
        << wso2 << hello << "" << "endpoints" << "single http://localhost:50051";
    QTest::newRow("wso2 sandbox endpoints with two URLs balance the load")
        << wso2 << hello << "" << "sandbox"
        << "load_balance http://localhost:50061,http://localhost:50062";
    QTest::newRow("wso2 comma-separated method scopes become a list")
        << wso2 << hello << "hello" << "scopes" << "scope1,scope2";
    QTest::newRow("wso2 method tier") << wso2 << hello << "hello" << "tier" << "10kPerMin";
    QTest::newRow("a wso2 method without options has no scopes")
        << wso2 << hello << "bye" << "scopes" << "";

    const QString both = QStringLiteral("both");
    const QString twice = QStringLiteral("both.Twice");
    QTest::newRow("with both options our security wins")
        << both << twice << "" << "security" << "basic";
    QTest::newRow("with both options our tier wins") << both << twice << "" << "tier" << "Gold";
    QTest::newRow("with both options our endpoints win")
        << both << twice << "" << "endpoints" << "single http://ours:50051";
    QTest::newRow("with both options our method scopes win")
        << both << twice << "Call" << "scopes" << "ours:scope";
    QTest::newRow("with both options our method tier wins")
        << both << twice << "Call" << "tier" << "Silver";

    const QString http = QStringLiteral("http");
    const QString messaging = QStringLiteral("messaging.v1.Messaging");
    QTest::newRow("google.api.http get with two additional bindings")
        << http << messaging << "GetMessage" << "http"
        << "GET /v1/{name=messages/*} | GET /v1/users/{user_id}/messages/{message_id}"
           " | POST /v1/messages:lookup body=*";
    QTest::newRow("google.api.http patch with body and response_body")
        << http << messaging << "UpdateMessage" << "http"
        << "PATCH /v1/{message.name=messages/*} body=message response=text";
    QTest::newRow("google.api.http custom verb keeps its spelling")
        << http << messaging << "Purge" << "http" << "PURGE /v1/cache";
    QTest::newRow("a method without google.api.http has no rule")
        << http << messaging << "Stream" << "http" << "none";
}

void tst_ProtoLoader::properties()
{
    QFETCH(QString, project);
    QFETCH(QString, service);
    QFETCH(QString, method);
    QFETCH(QString, property);
    QFETCH(QString, expected);

    Diagnostics diagnostics;
    const ProtoSet set = loadProtos(dataDir(project), diagnostics);
    QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
    const GrpcService *s = findService(set, service);
    QVERIFY2(s, qPrintable(service));
    const GrpcMethod *m = method.isEmpty() ? nullptr : findMethod(*s, method);
    QVERIFY2(method.isEmpty() || m, qPrintable(method));
    QCOMPARE(describe(*s, m, property), expected);
}

void tst_ProtoLoader::diagnostics_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("expected");

    const QString errors = QStringLiteral("errors");
    QTest::newRow("a syntax error is reported at its line and character column")
        << errors << "protos/syntax.proto:8:2: error: Expected \";\"";
    QTest::newRow("a missing import names the file and where imports are looked up")
        << errors
        << "protos/missing_import.proto:6:1: error: cannot find imported file "
           "\"does/not/exist.proto\" (imports are relative to protos/; built in are "
           "gatehouse/options.proto, wso2_options.proto, google/api/annotations.proto and "
           "google/protobuf/*.proto)";
    QTest::newRow("an import of a broken file points at the import")
        << errors
        << "protos/imports_broken.proto:6:1: error: imported file \"syntax.proto\" has errors "
           "(reported for that file)";
    QTest::newRow("an unknown request type is reported where it is used")
        << errors << "protos/unknown_type.proto:7:12: error: \"NoSuchRequest\" is not defined";
    QTest::newRow("a number for a string option is an error at the value")
        << errors
        << "protos/wrong_option.proto:10:35: error: Value must be quoted string for string "
           "option \"wso2.throttling_tier\"";
    QTest::newRow("an unknown security scheme name is an error")
        << errors
        << "protos/wrong_option.proto:15:32: error: Error while parsing option value for "
           "\"service\": Unknown enumeration value of \"KERBEROS\" for field \"security\"";
    QTest::newRow("SECURITY_UNSPECIFIED is refused")
        << errors
        << "protos/bad_values.proto:10:3: error: errors.values.Odd: SECURITY_UNSPECIFIED is not "
           "a security scheme; use NONE, JWT, OAUTH2, APIKEY or BASIC";
    QTest::newRow("an endpoint URL without a scheme is refused")
        << errors
        << "protos/bad_values.proto:10:3: error: errors.values.Odd: (gatehouse.service).endpoints: "
           "endpoint URL \"localhost:50051\" is not usable; write http://host:port or "
           "https://host:port";
    QTest::newRow("a google.api.http rule without a path is ignored with a warning")
        << errors
        << "protos/bad_values.proto:15:5: warning: errors.values.Odd.NoPath: the google.api.http "
           "rule sets no path (get, put, post, delete, patch or custom); it is ignored";
    QTest::newRow("a google.api.http path must be absolute")
        << errors
        << "protos/bad_values.proto:18:5: error: errors.values.Odd.Relative: the google.api.http "
           "path \"v1/relative\" must start with '/'";

    const QString both = QStringLiteral("both");
    QTest::newRow("wso2 security next to ours warns at the wso2 option")
        << both
        << "protos/both.proto:15:3: warning: both.Twice: both (gatehouse.service).security and "
           "(wso2.security) are set; the gatehouse option wins";
    QTest::newRow("wso2 tier next to ours warns")
        << both
        << "protos/both.proto:16:3: warning: both.Twice: both (gatehouse.service).throttling_tier "
           "and (wso2.throttling_tier) are set; the gatehouse option wins";
    QTest::newRow("wso2 endpoints next to ours warn")
        << both
        << "protos/both.proto:17:3: warning: both.Twice: both (gatehouse.service).endpoints and "
           "(wso2.production_endpoints) are set; the gatehouse option wins";
    QTest::newRow("wso2 method scopes next to ours warn")
        << both
        << "protos/both.proto:21:5: warning: both.Twice.Call: both (gatehouse.method).scopes and "
           "(wso2.method_scopes) are set; the gatehouse option wins";
    QTest::newRow("wso2 method tier next to ours warns")
        << both
        << "protos/both.proto:22:5: warning: both.Twice.Call: both (gatehouse.method)."
           "throttling_tier and (wso2.method_throttling_tier) are set; the gatehouse option wins";
}

void tst_ProtoLoader::diagnostics()
{
    QFETCH(QString, project);
    QFETCH(QString, expected);
    Diagnostics diagnostics;
    (void)loadProtos(dataDir(project), diagnostics);
    QStringList lines;
    for (const Diagnostic &d : diagnostics.items())
        lines << d.toString();
    QVERIFY2(lines.contains(expected), qPrintable(lines.join(u'\n')));
    QCOMPARE(lines.count(expected), 1);   // reported once, even when several files hit it
}

void tst_ProtoLoader::limits_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("expected");
    const QByteArray header("syntax = \"proto3\";\n");
    QTest::newRow("messages nested 32 deep hit protoc's own limit")
        << header + QByteArray("message A {").repeated(32) + QByteArray("}").repeated(32)
        << QStringLiteral("protos/x.proto: error: Reached maximum recursion limit for nested "
                          "messages");
    QTest::newRow("an option value nested 101 deep is refused")
        << header + "import \"google/api/annotations.proto\";\nservice S { rpc M(E) returns (E) "
                    "{ option (google.api.http) = {"
               + QByteArray("additional_bindings {").repeated(99) + QByteArray("}").repeated(99)
               + "}; } }\nmessage E {}\n"
        << QStringLiteral("protos/x.proto:3:2121: error: nesting deeper than 100 levels of { [ < is "
                          "not supported");
    QTest::newRow("a type name of 101 dotted parts is refused")
        << header + "message E { " + QByteArray("a.").repeated(100) + "b x = 1; }\n"
        << QStringLiteral("protos/x.proto:2:213: error: a dotted name with more than 100 parts is "
                          "not supported");
    QTest::newRow("an option value nested 100 deep is still accepted")
        << header + "import \"google/api/annotations.proto\";\nservice S { rpc M(E) returns (E) "
                    "{ option (google.api.http) = { get: \"/\" "
               + QByteArray("additional_bindings { get: \"/\" ").repeated(97)
               + QByteArray("}").repeated(97) + "}; } }\nmessage E {}\n"
        << QString();
}

void tst_ProtoLoader::limits()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, expected);
    const QList<ProtoSourceFile> files = {
        {QStringLiteral("x.proto"), contents},
        {QStringLiteral("y.proto"), "syntax = \"proto3\";\nimport \"x.proto\";\n"},
    };
    Diagnostics diagnostics;
    const ProtoSet set = loadProtoSources(files, QStringLiteral("protos/"), diagnostics);
    if (expected.isEmpty()) {
        QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
        QCOMPARE(set.files.size(), 2);
        return;
    }
    QCOMPARE(diagnostics.items().size(), 2);
    QCOMPARE(diagnostics.items().at(0).toString(), expected);
    // The importer is told the import failed; the refused file is not reported twice.
    QCOMPARE(diagnostics.items().at(1).toString(),
             QStringLiteral("protos/y.proto:2:1: error: imported file \"x.proto\" has errors "
                            "(reported for that file)"));
    QVERIFY(set.files.isEmpty());
}

void tst_ProtoLoader::cleanProjectsHaveNoDiagnostics_data()
{
    QTest::addColumn<QString>("project");
    QTest::newRow("our options") << QStringLiteral("options");
    QTest::newRow("wso2 options") << QStringLiteral("wso2");
    QTest::newRow("google.api.http") << QStringLiteral("http");
}

void tst_ProtoLoader::cleanProjectsHaveNoDiagnostics()
{
    QFETCH(QString, project);
    Diagnostics diagnostics;
    const ProtoSet set = loadProtos(dataDir(project), diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QVERIFY(!set.services.isEmpty());
}

void tst_ProtoLoader::brokenFilesDoNotStopOthers()
{
    Diagnostics diagnostics;
    const ProtoSet set = loadProtos(dataDir(QStringLiteral("errors")), diagnostics);
    QVERIFY(diagnostics.hasErrors());
    QVERIFY2(set.files.contains(QStringLiteral("protos/good.proto")), qPrintable(set.files.join(u' ')));
    QVERIFY(!set.files.contains(QStringLiteral("protos/syntax.proto")));
    QVERIFY(!set.files.contains(QStringLiteral("protos/imports_broken.proto")));
    QVERIFY(findService(set, QStringLiteral("errors.good.Fine")));
    // Every file that did not load has at least one error naming it.
    const QStringList all = {QStringLiteral("bad_values"), QStringLiteral("good"),
                             QStringLiteral("imports_broken"), QStringLiteral("missing_import"),
                             QStringLiteral("syntax"), QStringLiteral("unknown_type"),
                             QStringLiteral("wrong_option")};
    for (const QString &name : all) {
        const QString file = QStringLiteral("protos/%1.proto").arg(name);
        if (set.files.contains(file))
            continue;
        bool named = false;
        for (const Diagnostic &d : diagnostics.items())
            named = named || (d.location.file == file && d.severity == Severity::Error);
        QVERIFY2(named, qPrintable(file));
    }
}

void tst_ProtoLoader::gatehouseOptionsWinOverWso2()
{
    Diagnostics diagnostics;
    (void)loadProtos(dataDir(QStringLiteral("both")), diagnostics);
    QCOMPARE(diagnostics.errorCount(), 0);
    QCOMPARE(diagnostics.warningCount(), 5);
}

void tst_ProtoLoader::messageTypes()
{
    Diagnostics diagnostics;
    const ProtoSet set = loadProtos(dataDir(QStringLiteral("options")), diagnostics);
    QVERIFY(set.messageTypes.contains(QStringLiteral("common.Money")));
    QVERIFY(set.messageTypes.contains(QStringLiteral("shop.v1.Item")));
    QVERIFY(set.messageTypes.contains(QStringLiteral("shop.v1.Item.Tag")));
    QVERIFY2(!set.messageTypes.contains(QStringLiteral("shop.v1.Item.LabelsEntry")),
             "map entries are not user types");
    QVERIFY2(!set.messageTypes.contains(QStringLiteral("gatehouse.ServiceOptions")),
             "only project files' messages are listed");
    QCOMPARE(set.files, QStringList({QStringLiteral("protos/common/money.proto"),
                                     QStringLiteral("protos/shop/v1/shop.proto")}));
}

void tst_ProtoLoader::projectWithoutProtosIsEmpty()
{
    QTemporaryDir dir;
    Diagnostics diagnostics;
    const ProtoSet set = loadProtos(dir.path(), diagnostics);
    QVERIFY(diagnostics.isEmpty());
    QVERIFY(set.files.isEmpty());
    QVERIFY(set.services.isEmpty());
}

void tst_ProtoLoader::hiddenDirectoriesAndOtherFilesAreSkipped()
{
    QTemporaryDir dir;
    const QDir protos(dir.filePath(QStringLiteral("protos")));
    QVERIFY(protos.mkpath(QStringLiteral(".cache")));
    auto write = [&](const QString &name, const QByteArray &text) {
        QFile file(protos.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
    };
    write(QStringLiteral(".cache/stale.proto"), "this would be a syntax error");
    write(QStringLiteral("notes.txt"), "not a proto");
    write(QStringLiteral("ok.proto"), "syntax = \"proto3\"; message Ok {}\n");
    Diagnostics diagnostics;
    const ProtoSet set = loadProtos(dir.path(), diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(set.files, QStringList{QStringLiteral("protos/ok.proto")});
}

QTEST_GUILESS_MAIN(tst_ProtoLoader)
#include "tst_protoloader.moc"
