// JSON <-> gRPC transcoding core as tables: google.api.http path templates (parse errors,
// matches and bindings), request messages from path, query and body (hostile ones refused with a
// clear message), response JSON, and grpc-gateway's status mapping.
#include "proxy/transcoder.h"

#include "project/protoloader.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

using namespace Gatehouse;

namespace {

// grpc-gateway's echo messages (examples/internal/proto/examplepb/echo_service.proto).
constexpr char kEchoProto[] = R"(syntax = "proto3";
package examplepb;
message Embedded {
  oneof mark {
    int64 progress = 1;
    string note = 2;
  }
}
message NestedMessage {
  string n_id = 1;
  string val = 2;
}
message SimpleMessage {
  string id = 1;
  int64 num = 2;
  oneof code {
    int64 line_num = 3;
    string lang = 4;
  }
  Embedded status = 5;
  oneof ext {
    int64 en = 6;
    Embedded no = 7;
  }
  string resource_id = 8;
  NestedMessage n_id = 9;
  repeated string tags = 10;
  bool flag = 11;
}
)";

std::shared_ptr<const TranscodeTypes> echoTypes()
{
    static std::shared_ptr<const TranscodeTypes> types = [] {
        Diagnostics d;
        const ProtoSet set = loadProtoSources({{QStringLiteral("echo.proto"), kEchoProto}}, QStringLiteral("protos/"), d);
        auto t = TranscodeTypes::fromDescriptorSet(set.descriptorSet);
        return t ? *t : nullptr;
    }();
    return types;
}

TranscodeRule rule(const QString &path, const QString &body = {})
{
    TranscodeRule r;
    r.httpMethod = QStringLiteral("GET");
    r.path = *HttpPathTemplate::parse(path);
    r.body = body;
    r.input = echoTypes()->message(QStringLiteral("examplepb.SimpleMessage"));
    r.output = r.input;
    return r;
}

// The request message as JSON (proto field names), to compare.
QJsonObject asJson(const QByteArray &bytes)
{
    const auto *prototype = echoTypes()->prototype(echoTypes()->message(QStringLiteral("examplepb.SimpleMessage")));
    std::unique_ptr<google::protobuf::Message> m(prototype->New());
    if (!m->ParseFromArray(bytes.constData(), int(bytes.size())))
        return {};
    std::string json;
    google::protobuf::util::JsonPrintOptions o;
    o.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(*m, &json, o);
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

} // namespace

class tst_Transcoder : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void templates_data();
    void templates();
    void badTemplatesAreRefused_data();
    void badTemplatesAreRefused();
    void requestMessages_data();
    void requestMessages();
    void hostileRequestsAreRefused_data();
    void hostileRequestsAreRefused();
    void rulesAreCheckedAgainstTheTypes();
    void responsesBecomeJson();
    void statusMapping_data();
    void statusMapping();
};

void tst_Transcoder::initTestCase()
{
    QVERIFY(echoTypes());
    QVERIFY(echoTypes()->message(QStringLiteral("examplepb.SimpleMessage")));
}

void tst_Transcoder::templates_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("bindings");   // "field=value;..." or "-" for no match
    QTest::newRow("a literal path matches itself") << "/v1/example/echo_body" << QByteArray("/v1/example/echo_body") << "";
    QTest::newRow("a simple variable takes one segment") << "/v1/echo/{id}" << QByteArray("/v1/echo/abc") << "id=abc";
    QTest::newRow("a simple variable does not take two") << "/v1/echo/{id}" << QByteArray("/v1/echo/a/b") << "-";
    QTest::newRow("nested field paths bind") << "/v1/echo1/{id}/{status.note}" << QByteArray("/v1/echo1/x/hi") << "id=x;status.note=hi";
    QTest::newRow("a variable with a pattern takes its segments")
        << "/v1/{name=messages/*}" << QByteArray("/v1/messages/42") << "name=messages/42";
    QTest::newRow("a pattern's literal must match") << "/v1/{name=messages/*}" << QByteArray("/v1/books/42") << "-";
    QTest::newRow("a trailing ** takes the rest") << "/v1/{name=files/**}" << QByteArray("/v1/files/a/b/c") << "name=files/a/b/c";
    QTest::newRow("** may take nothing") << "/v1/files/**" << QByteArray("/v1/files") << "";
    QTest::newRow("single-segment values are percent-decoded")
        << "/v1/echo/{id}" << QByteArray("/v1/echo/a%20b%2Fc") << "id=a b/c";
    QTest::newRow("multi-segment values keep %2F") << "/v1/{name=**}" << QByteArray("/v1/a%2Fb/c") << "name=a%2Fb/c";
    QTest::newRow("a verb is matched at the end") << "/v1/{id}:undelete" << QByteArray("/v1/7:undelete") << "id=7";
    QTest::newRow("a missing verb does not match") << "/v1/{id}:undelete" << QByteArray("/v1/7") << "-";
    QTest::newRow("an empty segment does not bind") << "/v1/echo/{id}" << QByteArray("/v1/echo/") << "-";
    QTest::newRow("a malformed escape does not match") << "/v1/echo/{id}" << QByteArray("/v1/echo/%zz") << "-";
}

void tst_Transcoder::templates()
{
    QFETCH(QString, pattern);
    QFETCH(QByteArray, path);
    QFETCH(QString, bindings);
    const auto t = HttpPathTemplate::parse(pattern);
    QVERIFY2(t, qPrintable(t ? QString() : t.error().message));
    const auto m = t->match(path);
    if (bindings == u"-") {
        QVERIFY(!m);
        return;
    }
    QVERIFY(m);
    QStringList got;
    for (const PathBinding &b : *m)
        got.append(b.fieldPath + u'=' + b.value);
    QCOMPARE(got.join(u';'), bindings);
}

void tst_Transcoder::badTemplatesAreRefused_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::newRow("no leading slash") << "v1/echo";
    QTest::newRow("an unclosed variable") << "/v1/{id";
    QTest::newRow("nested variables") << "/v1/{a={b}}";
    QTest::newRow("** before the end") << "/v1/**/x";
    QTest::newRow("an empty segment") << "/v1//x";
    QTest::newRow("an empty verb") << "/v1/x:";
    QTest::newRow("a field path starting with a digit") << "/v1/{1a}";
    QTest::newRow("an empty field path") << "/v1/{}";
}

void tst_Transcoder::badTemplatesAreRefused()
{
    QFETCH(QString, pattern);
    const auto t = HttpPathTemplate::parse(pattern);
    QVERIFY(!t);
    QVERIFY(t.error().message.contains(pattern));
}

void tst_Transcoder::requestMessages_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");   // the message as proto-named JSON
    QTest::newRow("path variables set their fields")
        << "/v1/example/echo/{id}/{num}" << "" << QByteArray("/v1/example/echo/a/7") << QByteArray() << QByteArray()
        << QByteArray(R"({"id":"a","num":"7"})");
    QTest::newRow("a nested path variable sets a nested field")
        << "/v1/example/echo2/{no.note}" << "" << QByteArray("/v1/example/echo2/hi") << QByteArray() << QByteArray()
        << QByteArray(R"({"no":{"note":"hi"}})");
    QTest::newRow("query parameters set nested and repeated fields")
        << "/v1/example/echo/{id}" << "" << QByteArray("/v1/example/echo/a")
        << QByteArray("status.progress=3&tags=x&tags=y%20z&flag=true&lineNum=9") << QByteArray()
        << QByteArray(R"({"id":"a","line_num":"9","status":{"progress":"3"},"tags":["x","y z"],"flag":true})");
    QTest::newRow("body * is the whole message")
        << "/v1/example/echo_body" << "*" << QByteArray("/v1/example/echo_body") << QByteArray()
        << QByteArray(R"({"id":"b","num":"2","resourceId":"r"})") << QByteArray(R"({"id":"b","num":"2","resource_id":"r"})");
    QTest::newRow("a body field takes the body and the path the rest")
        << "/v1/example/echo_body/{id}" << "no" << QByteArray("/v1/example/echo_body/i")
        << QByteArray("num=4") << QByteArray(R"({"note":"n"})") << QByteArray(R"({"id":"i","num":"4","no":{"note":"n"}})");
    QTest::newRow("the path wins over the body")
        << "/v1/example/echo/{id}" << "*" << QByteArray("/v1/example/echo/p") << QByteArray()
        << QByteArray(R"({"id":"body"})") << QByteArray(R"({"id":"p"})");
    QTest::newRow("no body rule ignores a body") << "/v1/example/echo_delete" << "" << QByteArray("/v1/example/echo_delete")
        << QByteArray("id=d") << QByteArray("anything") << QByteArray(R"({"id":"d"})");
}

void tst_Transcoder::requestMessages()
{
    QFETCH(QString, pattern);
    QFETCH(QString, body);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    const TranscodeRule r = rule(pattern, body);
    QVERIFY(r.check());
    const auto bindings = r.path.match(path);
    QVERIFY(bindings);
    const auto message = buildRequestMessage(*echoTypes(), r, *bindings, query, json);
    QVERIFY2(message, qPrintable(message ? QString() : message.error().message));
    QCOMPARE(asJson(*message), QJsonDocument::fromJson(expected).object());
}

void tst_Transcoder::hostileRequestsAreRefused_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("says");
    QTest::newRow("malformed JSON") << "/x" << "*" << QByteArray() << QByteArray("{\"id\":") << "not a valid";
    QTest::newRow("an unknown JSON field") << "/x" << "*" << QByteArray() << QByteArray(R"({"nope":1})") << "nope";
    QTest::newRow("a wrong JSON type") << "/x" << "*" << QByteArray() << QByteArray(R"({"num":{"a":1}})") << "num";
    QTest::newRow("an array for a message") << "/x" << "*" << QByteArray() << QByteArray("[1,2]") << "not a valid";
    QTest::newRow("a body field given two values") << "/x" << "no" << QByteArray() << QByteArray(R"({"note":"a"},"id":"x")")
                                                    << "one JSON value";
    QTest::newRow("a body field reaching other fields") << "/x" << "no" << QByteArray() << QByteArray(R"({}, "id": "x")")
                                                        << "one JSON value";
    QTest::newRow("an unknown query parameter") << "/x" << "" << QByteArray("nope=1") << QByteArray() << "nope";
    QTest::newRow("a query parameter naming a message") << "/x" << "" << QByteArray("status=1") << QByteArray() << "status";
    QTest::newRow("a query boolean that is not one") << "/x" << "" << QByteArray("flag=yes") << QByteArray() << "boolean";
    QTest::newRow("a query number that is not one") << "/x" << "" << QByteArray("num=abc") << QByteArray() << "num";
    QTest::newRow("a malformed query escape") << "/x" << "" << QByteArray("id=%zz") << QByteArray() << "percent";
    QTest::newRow("a query parameter through a repeated field") << "/x" << "" << QByteArray("tags.x=1") << QByteArray() << "tags";
    QTest::newRow("deeply nested JSON") << "/x" << "*" << QByteArray() << QByteArray(20000, '[') << "not a valid";
}

void tst_Transcoder::hostileRequestsAreRefused()
{
    QFETCH(QString, pattern);
    QFETCH(QString, body);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, json);
    QFETCH(QString, says);
    const TranscodeRule r = rule(pattern, body);
    const auto message = buildRequestMessage(*echoTypes(), r, {}, query, json);
    QVERIFY(!message);
    QVERIFY2(message.error().message.contains(says), qPrintable(message.error().message));
}

void tst_Transcoder::rulesAreCheckedAgainstTheTypes()
{
    QVERIFY(rule(QStringLiteral("/v1/{id}/{status.note}"), QStringLiteral("no")).check());
    const auto unknown = rule(QStringLiteral("/v1/{nope}")).check();
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().message.contains(u"nope"), qPrintable(unknown.error().message));
    QVERIFY(!rule(QStringLiteral("/v1/{status}")).check());   // a message cannot take a segment
    QVERIFY(!rule(QStringLiteral("/v1/x"), QStringLiteral("missing")).check());
}

void tst_Transcoder::responsesBecomeJson()
{
    TranscodeRule r = rule(QStringLiteral("/x"));
    const auto bytes = buildRequestMessage(*echoTypes(), r, {}, "lineNum=3&status.note=n&id=i", {});
    QVERIFY(bytes);
    const auto camel = renderResponseMessage(*echoTypes(), r, *bytes, {});
    QVERIFY(camel);
    QCOMPARE(QJsonDocument::fromJson(*camel).object(),
             QJsonDocument::fromJson(R"({"id":"i","lineNum":"3","status":{"note":"n"}})").object());
    TranscodeOptions proto;
    proto.protoFieldNames = true;
    const auto named = renderResponseMessage(*echoTypes(), r, *bytes, proto);
    QVERIFY(named && named->contains("line_num"));
    r.responseBody = QStringLiteral("status");
    QCOMPARE(*renderResponseMessage(*echoTypes(), r, *bytes, {}), QByteArray(R"({"note":"n"})"));
    r.responseBody = QStringLiteral("id");
    QCOMPARE(*renderResponseMessage(*echoTypes(), r, *bytes, {}), QByteArray(R"("i")"));
    QVERIFY(!renderResponseMessage(*echoTypes(), r, QByteArray("\xff\xff\xff"), {}));
}

void tst_Transcoder::statusMapping_data()
{
    QTest::addColumn<int>("grpc");
    QTest::addColumn<int>("http");
    QTest::newRow("OK is 200") << 0 << 200;
    QTest::newRow("INVALID_ARGUMENT is 400") << 3 << 400;
    QTest::newRow("DEADLINE_EXCEEDED is 504") << 4 << 504;
    QTest::newRow("NOT_FOUND is 404") << 5 << 404;
    QTest::newRow("ALREADY_EXISTS is 409") << 6 << 409;
    QTest::newRow("PERMISSION_DENIED is 403") << 7 << 403;
    QTest::newRow("RESOURCE_EXHAUSTED is 429") << 8 << 429;
    QTest::newRow("FAILED_PRECONDITION is 400") << 9 << 400;
    QTest::newRow("UNIMPLEMENTED is 501") << 12 << 501;
    QTest::newRow("UNAVAILABLE is 503") << 14 << 503;
    QTest::newRow("UNAUTHENTICATED is 401") << 16 << 401;
    QTest::newRow("an unknown code is 500") << 99 << 500;
}

void tst_Transcoder::statusMapping()
{
    QFETCH(int, grpc);
    QFETCH(int, http);
    QCOMPARE(httpStatusForGrpcStatus(grpc), http);
    const QJsonObject body = QJsonDocument::fromJson(transcodedErrorBody(grpc, QStringLiteral("why"))).object();
    QCOMPARE(body.value(u"code").toInt(), grpc);
    QCOMPARE(body.value(u"message").toString(), QStringLiteral("why"));
    QVERIFY(body.value(u"details").isArray());
}

QTEST_GUILESS_MAIN(tst_Transcoder)
#include "tst_transcoder.moc"
