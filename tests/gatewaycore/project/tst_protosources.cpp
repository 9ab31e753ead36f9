// Where the .proto loader's files come from and what it hands on: in-memory sources, built-in and
// overridden option files, protoc positions, the well-known types, the shared corpus (grpc-proto,
// OTLP, googleapis), the sample project and the FileDescriptorSet.
#include "project/project.h"
#include "project/protoloader.h"
#include "project/protosourcetree.h"
#include "prototesthelpers.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

using namespace Gatehouse;
using namespace Gatehouse::ProtoTest;

class tst_ProtoSources : public QObject
{
    Q_OBJECT
private slots:
    void columns_data();
    void columns();
    void inMemorySourcesImportEachOther();
    void builtinPathsShadowProjectCopies();
    void resourcesDirOverridesBuiltins();
    void descriptorSetIsCompleteAndOrdered();
    void wellKnownTypesRebuiltFromLibraryParse_data();
    void wellKnownTypesRebuiltFromLibraryParse();
    void corpusInterop_data();
    void corpusInterop();
    void corpusInteropCounts();
    void corpusOtlp();
    void corpusGoogleapisMatchesBuiltins();
    void sampleGreeter();
};

void tst_ProtoSources::columns_data()
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

void tst_ProtoSources::columns()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, protocColumn);
    QFETCH(int, expected);
    QCOMPARE(protocColumnToCharacterColumn(text.toStdString(), line, protocColumn), expected);
}

void tst_ProtoSources::inMemorySourcesImportEachOther()
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

void tst_ProtoSources::builtinPathsShadowProjectCopies()
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

void tst_ProtoSources::resourcesDirOverridesBuiltins()
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

void tst_ProtoSources::descriptorSetIsCompleteAndOrdered()
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

void tst_ProtoSources::wellKnownTypesRebuiltFromLibraryParse_data()
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
void tst_ProtoSources::wellKnownTypesRebuiltFromLibraryParse()
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

void tst_ProtoSources::corpusInterop_data()
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

void tst_ProtoSources::corpusInterop()
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

void tst_ProtoSources::corpusInteropCounts()
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

void tst_ProtoSources::corpusOtlp()
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

void tst_ProtoSources::corpusGoogleapisMatchesBuiltins()
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

void tst_ProtoSources::sampleGreeter()
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

QTEST_GUILESS_MAIN(tst_ProtoSources)
#include "tst_protosources.moc"
