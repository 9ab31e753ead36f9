// libFuzzer target for the JSON transcoder's request side: a path template (first line), a
// request path with query (second line) and a JSON body (the rest) against grpc-gateway's echo
// messages: parse the template, match the path, bind path + query + body into a message, render
// the message back as JSON. Every step must fail cleanly, never crash or hang.
#include "proxy/transcoder.h"

#include <google/protobuf/compiler/parser.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <cstddef>
#include <cstdint>

using namespace Gatehouse;

namespace {

constexpr char kEcho[] = R"(syntax = "proto3";
package examplepb;
message Embedded { oneof mark { int64 progress = 1; string note = 2; } }
message NestedMessage { string n_id = 1; string val = 2; }
message SimpleMessage {
  string id = 1; int64 num = 2;
  oneof code { int64 line_num = 3; string lang = 4; }
  Embedded status = 5;
  oneof ext { int64 en = 6; Embedded no = 7; }
  string resource_id = 8; NestedMessage n_id = 9;
  repeated string tags = 10; bool flag = 11; double ratio = 12; bytes blob = 13;
  map<string, string> labels = 14; repeated Embedded history = 15;
}
)";

std::shared_ptr<const TranscodeTypes> echoTypes()
{
    static const std::shared_ptr<const TranscodeTypes> types = [] {
        google::protobuf::io::ArrayInputStream input(kEcho, int(sizeof kEcho - 1));
        google::protobuf::io::Tokenizer tokenizer(&input, nullptr);
        google::protobuf::FileDescriptorSet set;
        google::protobuf::FileDescriptorProto *file = set.add_file();
        google::protobuf::compiler::Parser parser;
        parser.Parse(&tokenizer, file);
        file->set_name("echo.proto");
        std::string bytes;
        set.SerializeToString(&bytes);
        auto t = TranscodeTypes::fromDescriptorSet(QByteArray::fromStdString(bytes));
        return t ? *t : std::shared_ptr<const TranscodeTypes>();
    }();
    return types;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::shared_ptr<const TranscodeTypes> types = echoTypes();
    if (!types || size > 64 * 1024)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype first = input.indexOf('\n');
    const qsizetype second = first < 0 ? -1 : input.indexOf('\n', first + 1);
    if (second < 0)
        return 0;
    const QString pattern = QString::fromUtf8(input.first(first));
    const QByteArray target = input.mid(first + 1, second - first - 1);
    const QByteArray body = input.mid(second + 1);

    auto path = HttpPathTemplate::parse(pattern);
    if (!path)
        return 0;
    (void)path->routerPattern();
    TranscodeRule rule;
    rule.path = *path;
    rule.input = types->message(QStringLiteral("examplepb.SimpleMessage"));
    rule.output = rule.input;
    // The body mapping comes from the body's first byte, so all three forms are reached.
    rule.body = body.startsWith('{') ? QStringLiteral("*") : body.startsWith('"') ? QStringLiteral("id") : QString();
    if (!rule.check())
        rule.body.clear();
    const qsizetype q = target.indexOf('?');
    const auto bindings = path->match(q < 0 ? QByteArrayView(target) : QByteArrayView(target).first(q));
    if (!bindings)
        return 0;
    const auto message = buildRequestMessage(*types, rule, *bindings,
                                             q < 0 ? QByteArrayView() : QByteArrayView(target).sliced(q + 1), body);
    if (!message)
        return 0;
    TranscodeOptions options;
    options.protoFieldNames = (size & 1) != 0;
    (void)renderResponseMessage(*types, rule, *message, options);
    rule.responseBody = QStringLiteral("status");
    (void)renderResponseMessage(*types, rule, *message, options);
    return 0;
}
