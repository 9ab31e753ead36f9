// The .proto loader: services, streaming flags, gateway options, google.api.http and diagnostics.
#include "project/project.h"
#include "project/protoloader.h"
#include "project/protosourcetree.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

using namespace Gatehouse;

namespace {

QString dataDir(const QString &project)
{
    return QFINDTESTDATA(QStringLiteral("data/proto/") + project);
}

QString sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
    return fromEnv.isEmpty() ? QFINDTESTDATA("../../../resources/..") : fromEnv;
}

QString corpusDir()
{
    return qEnvironmentVariable("GATEHOUSE_CORPUS");
}

const GrpcService *findService(const ProtoSet &set, const QString &fullName)
{
    for (const GrpcService &service : set.services) {
        if (service.fullName == fullName)
            return &service;
    }
    return nullptr;
}

const GrpcMethod *findMethod(const GrpcService &service, const QString &name)
{
    for (const GrpcMethod &method : service.methods) {
        if (method.name == name)
            return &method;
    }
    return nullptr;
}

QString strategyName(EndpointStrategy strategy)
{
    switch (strategy) {
    case EndpointStrategy::Single: return QStringLiteral("single");
    case EndpointStrategy::LoadBalance: return QStringLiteral("load_balance");
    case EndpointStrategy::Failover: return QStringLiteral("failover");
    }
    return {};
}

QString describeEndpoints(const EndpointSet &set)
{
    if (set.isEmpty())
        return QStringLiteral("none");
    QStringList urls;
    for (const QUrl &url : set.urls)
        urls << url.toString();
    QString text = strategyName(set.strategy) + u' ' + urls.join(u',');
    if (set.timeout)
        text += QStringLiteral(" %1ms").arg(set.timeout->count());
    return text;
}

QString describeRule(const HttpRule &rule)
{
    QString text = rule.method + u' ' + rule.pathTemplate;
    if (!rule.body.isEmpty())
        text += QStringLiteral(" body=") + rule.body;
    if (!rule.responseBody.isEmpty())
        text += QStringLiteral(" response=") + rule.responseBody;
    for (const HttpRule &extra : rule.additionalBindings)
        text += QStringLiteral(" | ") + describeRule(extra);
    return text;
}

// One property of a service (method empty) or method, as text, so that table rows stay readable.
QString describe(const GrpcService &service, const GrpcMethod *method, const QString &property)
{
    if (!method) {
        if (property == u"security")
            return service.security.join(u',');
        if (property == u"tier")
            return service.throttlingTier;
        if (property == u"endpoints")
            return describeEndpoints(service.endpoints);
        if (property == u"sandbox")
            return describeEndpoints(service.sandboxEndpoints);
        if (property == u"file")
            return service.file;
        if (property == u"location")
            return service.location.toString();
        if (property == u"tierLocation")
            return service.throttlingTierLocation.toString();
        if (property == u"methods")
            return QString::number(service.methods.size());
    } else {
        if (property == u"scopes")
            return method->scopes.join(u',');
        if (property == u"tier")
            return method->throttlingTier;
        if (property == u"http")
            return method->httpRule ? describeRule(*method->httpRule) : QStringLiteral("none");
        if (property == u"types")
            return method->inputType + QStringLiteral(" -> ") + method->outputType;
        if (property == u"streaming")
            return QStringLiteral("%1 -> %2")
                .arg(method->clientStreaming ? u"stream" : u"unary",
                     method->serverStreaming ? u"stream" : u"unary");
        if (property == u"location")
            return method->location.toString();
        if (property == u"scopesLocation")
            return method->scopesLocation.toString();
        if (property == u"path")
            return method->path(service.fullName);
    }
    return QStringLiteral("?unknown property %1").arg(property);
}

QString readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class tst_ProtoLoader : public QObject
{
    Q_OBJECT
private slots:
    void columns_data();
    void columns();
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
    void descriptorSetIsCompleteAndOrdered();
    void projectWithoutProtosIsEmpty();
    void inMemorySourcesImportEachOther();
    void builtinPathsShadowProjectCopies();
    void resourcesDirOverridesBuiltins();
    void wellKnownTypesRebuiltFromLibraryParse_data();
    void wellKnownTypesRebuiltFromLibraryParse();
    void corpusInterop_data();
    void corpusInterop();
    void corpusInteropCounts();
    void corpusOtlp();
    void corpusGoogleapisMatchesBuiltins();
    void sampleGreeter();
};

void tst_ProtoLoader::columns_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("protocColumn");
    QTest::addColumn<int>("expected");
    QTest::newRow("plain text: protoc's 0-based column plus one")
        << QByteArray("abc def\n") << 0 << 4 << 5;
    QTest::newRow("a leading tab is one character, not eight columns")
        << QByteArray("x\n\tint32 a;\n") << 1 << 8 << 2;
    QTest::newRow("a tab after text advances to the next multiple of eight")
        << QByteArray("ab\tc\n") << 0 << 8 << 4;
    QTest::newRow("a two-byte UTF-8 character is one character")
        << QByteArray("// \xc3\xa9t\xc3\xa9\nx") << 0 << 8 << 7;
    QTest::newRow("a line past the end keeps protoc's column")
        << QByteArray("one line") << 5 << 3 << 4;
    QTest::newRow("a column past the end of the line keeps the distance")
        << QByteArray("ab\n") << 0 << 4 << 5;
}

void tst_ProtoLoader::columns()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, protocColumn);
    QFETCH(int, expected);
    QCOMPARE(protocColumnToCharacterColumn(text.toStdString(), line, protocColumn), expected);
}

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

void tst_ProtoLoader::descriptorSetIsCompleteAndOrdered()
{
    Diagnostics diagnostics;
    const ProtoSet set = loadProtos(dataDir(QStringLiteral("options")), diagnostics);
    google::protobuf::FileDescriptorSet files;
    QVERIFY(files.ParseFromArray(set.descriptorSet.constData(), int(set.descriptorSet.size())));

    QStringList names;
    google::protobuf::DescriptorPool pool;
    for (const auto &file : files.file()) {
        names << QString::fromStdString(file.name());
        // Building in order only works when every dependency came first.
        QVERIFY2(pool.BuildFile(file), file.name().c_str());
    }
    QCOMPARE(names.count(QStringLiteral("common/money.proto")), 1);
    QVERIFY(names.contains(QStringLiteral("google/protobuf/descriptor.proto")));
    QVERIFY(names.contains(QStringLiteral("gatehouse/options.proto")));
    QCOMPARE(names.constLast(), QStringLiteral("shop/v1/shop.proto"));

    const auto *service = pool.FindServiceByName("shop.v1.Catalog");
    QVERIFY(service);
    QCOMPARE(service->method_count(), 3);
    const auto *request = pool.FindMessageTypeByName("shop.v1.ListItemsRequest");
    QVERIFY(request);
    QCOMPARE(request->field(0)->json_name(), std::string("pageSize"));
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

void tst_ProtoLoader::inMemorySourcesImportEachOther()
{
    const QList<ProtoSourceFile> files = {
        {QStringLiteral("api/b.proto"),
         "syntax = \"proto3\"; package b; import \"types/a.proto\";\n"
         "service B { rpc Get(a.A) returns (stream a.A); }\n"},
        {QStringLiteral("types/a.proto"), "syntax = \"proto3\"; package a; message A {}\n"},
    };
    Diagnostics diagnostics;
    const ProtoSet set = loadProtoSources(files, QStringLiteral("protos/"), diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(set.files, QStringList({QStringLiteral("protos/api/b.proto"),
                                     QStringLiteral("protos/types/a.proto")}));
    QCOMPARE(set.services.size(), 1);
    QCOMPARE(set.services.at(0).methods.at(0).inputType, QStringLiteral("a.A"));
    QCOMPARE(set.services.at(0).location.toString(), QStringLiteral("protos/api/b.proto:2:1"));
}

void tst_ProtoLoader::builtinPathsShadowProjectCopies()
{
    const QList<ProtoSourceFile> files = {
        {QStringLiteral("google/api/http.proto"), "this is not even proto"},
        {QStringLiteral("x.proto"),
         "import \"google/api/annotations.proto\";\nmessage X {}\n"},
    };
    Diagnostics diagnostics;
    const ProtoSet set = loadProtoSources(files, QStringLiteral("protos/"), diagnostics);
    QCOMPARE(diagnostics.errorCount(), 0);
    QCOMPARE(diagnostics.items().size(), 2);
    QCOMPARE(diagnostics.items().at(0).toString(),
             QStringLiteral("protos/google/api/http.proto: note: Gatehouse's built-in "
                            "\"google/api/http.proto\" is used for imports of this path; this copy "
                            "is not loaded"));
    // What libprotobuf only logs becomes a diagnostic too.
    QCOMPARE(diagnostics.items().at(1).toString(),
             QStringLiteral("protos/x.proto: warning: no syntax statement, so protoc reads the file "
                            "as proto2; start it with syntax = \"proto3\"; (or \"proto2\") to say "
                            "which is meant"));
    QCOMPARE(set.files, QStringList{QStringLiteral("protos/x.proto")});
}

void tst_ProtoLoader::resourcesDirOverridesBuiltins()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("proto/gatehouse")));
    QFile options(dir.filePath(QStringLiteral("proto/gatehouse/options.proto")));
    QVERIFY(options.open(QIODevice::WriteOnly));
    options.write("syntax = \"proto3\"; package gatehouse; message OnlyInTheOverride {}\n");
    options.close();

    const QList<ProtoSourceFile> files = {
        {QStringLiteral("x.proto"), "syntax = \"proto3\"; import \"gatehouse/options.proto\";\n"
                                    "message X { gatehouse.OnlyInTheOverride o = 1; }\n"},
    };
    qputenv("GATEHOUSE_RESOURCES_DIR", dir.path().toLocal8Bit());
    Diagnostics overridden;
    (void)loadProtoSources(files, QStringLiteral("protos/"), overridden);
    qunsetenv("GATEHOUSE_RESOURCES_DIR");
    QVERIFY2(overridden.isEmpty(), qPrintable(overridden.toString()));

    Diagnostics embedded;
    (void)loadProtoSources(files, QStringLiteral("protos/"), embedded);
    QVERIFY2(embedded.hasErrors(), "without the override the embedded options.proto is used");
}

void tst_ProtoLoader::wellKnownTypesRebuiltFromLibraryParse_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"any", "api", "descriptor", "duration", "empty", "field_mask",
                             "source_context", "struct", "timestamp", "type", "wrappers"}) {
        const QString path = QStringLiteral("google/protobuf/%1.proto").arg(QLatin1String(name));
        QTest::newRow(qPrintable(path + QStringLiteral(" printed from libprotobuf parses back")))
            << path;
    }
}

// Without /usr/include/google/protobuf (no libprotobuf-dev), the loader serves these files printed
// from the descriptors inside libprotobuf; that text must be valid .proto.
void tst_ProtoLoader::wellKnownTypesRebuiltFromLibraryParse()
{
    QFETCH(QString, name);
    const auto *file =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name.toStdString());
    QVERIFY(file);
    const std::string text = file->DebugString();
    Diagnostics diagnostics;
    const ProtoSet set = loadProtoSources(
        {{QStringLiteral("copy.proto"), QByteArray(text.data(), qsizetype(text.size()))}},
        QStringLiteral("protos/"), diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(set.files.size(), 1);
}

void tst_ProtoLoader::corpusInterop_data()
{
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("streaming");
    QTest::addColumn<QString>("types");
    const QString test = QStringLiteral("grpc.testing.TestService");
    QTest::newRow("EmptyCall is unary")
        << test << "EmptyCall" << "unary -> unary" << "grpc.testing.Empty -> grpc.testing.Empty";
    QTest::newRow("UnaryCall is unary") << test << "UnaryCall" << "unary -> unary"
                                        << "grpc.testing.SimpleRequest -> grpc.testing.SimpleResponse";
    QTest::newRow("StreamingOutputCall streams from the server")
        << test << "StreamingOutputCall" << "unary -> stream"
        << "grpc.testing.StreamingOutputCallRequest -> grpc.testing.StreamingOutputCallResponse";
    QTest::newRow("StreamingInputCall streams from the client")
        << test << "StreamingInputCall" << "stream -> unary"
        << "grpc.testing.StreamingInputCallRequest -> grpc.testing.StreamingInputCallResponse";
    QTest::newRow("FullDuplexCall streams both ways")
        << test << "FullDuplexCall" << "stream -> stream"
        << "grpc.testing.StreamingOutputCallRequest -> grpc.testing.StreamingOutputCallResponse";
    QTest::newRow("HalfDuplexCall streams both ways")
        << test << "HalfDuplexCall" << "stream -> stream"
        << "grpc.testing.StreamingOutputCallRequest -> grpc.testing.StreamingOutputCallResponse";
    QTest::newRow("health Watch streams from the server")
        << "grpc.health.v1.Health" << "Watch" << "unary -> stream"
        << "grpc.health.v1.HealthCheckRequest -> grpc.health.v1.HealthCheckResponse";
    QTest::newRow("reflection streams both ways")
        << "grpc.reflection.v1.ServerReflection" << "ServerReflectionInfo" << "stream -> stream"
        << "grpc.reflection.v1.ServerReflectionRequest -> grpc.reflection.v1.ServerReflectionResponse";
}

void tst_ProtoLoader::corpusInterop()
{
    QFETCH(QString, service);
    QFETCH(QString, method);
    QFETCH(QString, streaming);
    QFETCH(QString, types);
    if (corpusDir().isEmpty())
        QSKIP("GATEHOUSE_CORPUS is not set");
    Diagnostics diagnostics;
    const ProtoSet set =
        loadProtoDirectory(corpusDir() + QStringLiteral("/proto/grpc-proto"), {}, diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    const GrpcService *s = findService(set, service);
    QVERIFY(s);
    const GrpcMethod *m = findMethod(*s, method);
    QVERIFY(m);
    QCOMPARE(describe(*s, m, QStringLiteral("streaming")), streaming);
    QCOMPARE(describe(*s, m, QStringLiteral("types")), types);
}

void tst_ProtoLoader::corpusInteropCounts()
{
    if (corpusDir().isEmpty())
        QSKIP("GATEHOUSE_CORPUS is not set");
    Diagnostics diagnostics;
    const ProtoSet set =
        loadProtoDirectory(corpusDir() + QStringLiteral("/proto/grpc-proto"), {}, diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(set.files.size(), 5);
    int services = 0, methods = 0, clientStreaming = 0, serverStreaming = 0;
    for (const GrpcService &service : set.services) {
        if (service.file != u"grpc/testing/test.proto")
            continue;
        ++services;
        for (const GrpcMethod &method : service.methods) {
            ++methods;
            clientStreaming += method.clientStreaming ? 1 : 0;
            serverStreaming += method.serverStreaming ? 1 : 0;
        }
    }
    QCOMPARE(services, 7);
    QCOMPARE(methods, 20);
    QCOMPARE(clientStreaming, 3);
    QCOMPARE(serverStreaming, 3);
    QCOMPARE(set.services.size(), 9);   // + grpc.health.v1.Health, grpc.reflection.v1.ServerReflection
}

void tst_ProtoLoader::corpusOtlp()
{
    if (corpusDir().isEmpty())
        QSKIP("GATEHOUSE_CORPUS is not set");
    Diagnostics diagnostics;
    const ProtoSet set =
        loadProtoDirectory(corpusDir() + QStringLiteral("/proto/otlp"), {}, diagnostics);
    QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
    const GrpcService *trace =
        findService(set, QStringLiteral("opentelemetry.proto.collector.trace.v1.TraceService"));
    QVERIFY(trace);
    QCOMPARE(trace->methods.size(), 1);
    QCOMPARE(trace->methods.at(0).name, QStringLiteral("Export"));
    QCOMPARE(set.services.size(), 4);
}

void tst_ProtoLoader::corpusGoogleapisMatchesBuiltins()
{
    if (corpusDir().isEmpty())
        QSKIP("GATEHOUSE_CORPUS is not set");
    const QString corpus = corpusDir() + QStringLiteral("/proto/googleapis/google/api/");
    for (const QString &name : {QStringLiteral("annotations.proto"), QStringLiteral("http.proto")}) {
        const QString builtin = readAll(QStringLiteral(":/gatehouse/proto/google/api/") + name);
        QVERIFY2(!builtin.isEmpty(), qPrintable(name));
        QCOMPARE(builtin, readAll(corpus + name));
    }
    // Loading googleapis itself: its two files are the built-in ones, noted and not duplicated.
    Diagnostics diagnostics;
    const ProtoSet set =
        loadProtoDirectory(corpusDir() + QStringLiteral("/proto/googleapis"), {}, diagnostics);
    QCOMPARE(diagnostics.errorCount(), 0);
    QCOMPARE(diagnostics.items().size(), 2);
    QVERIFY(set.files.isEmpty());
}

void tst_ProtoLoader::sampleGreeter()
{
    Diagnostics diagnostics;
    const ProtoSet set =
        loadProtos(sourceDir() + QStringLiteral("/resources/samples/petstore"), diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    const GrpcService *greeter = findService(set, QStringLiteral("helloworld.Greeter"));
    QVERIFY(greeter);
    QCOMPARE(greeter->file, QStringLiteral("protos/greeter.proto"));
    QCOMPARE(greeter->security, QStringList({QStringLiteral("jwt"), QStringLiteral("oauth2")}));
    QCOMPARE(greeter->throttlingTier, QStringLiteral("Gold"));
    QCOMPARE(greeter->methods.size(), 3);
    QCOMPARE(describe(*greeter, findMethod(*greeter, QStringLiteral("SayHello")), QStringLiteral("streaming")),
             QStringLiteral("unary -> unary"));
    QCOMPARE(describe(*greeter, findMethod(*greeter, QStringLiteral("SayHelloStream")),
                      QStringLiteral("streaming")),
             QStringLiteral("unary -> stream"));
    QCOMPARE(describe(*greeter, findMethod(*greeter, QStringLiteral("Chat")), QStringLiteral("streaming")),
             QStringLiteral("stream -> stream"));
    const GrpcMethod *sayHello = findMethod(*greeter, QStringLiteral("SayHello"));
    QVERIFY(sayHello->httpRule);
    QVERIFY(sayHello->scopes.contains(QStringLiteral("greet:read")));
}

QTEST_GUILESS_MAIN(tst_ProtoLoader)
#include "tst_protoloader.moc"
