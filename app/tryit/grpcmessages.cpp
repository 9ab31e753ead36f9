// GrpcMessages: protobuf's DynamicMessage (through the core's TranscodeTypes pool) and its JSON
// utilities; the template walks the descriptor.
#include "grpcmessages.h"

#include "proxy/transcoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

namespace Gatehouse {

namespace pb = google::protobuf;

namespace {

constexpr int kTemplateDepth = 4;

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QJsonValue neutral(const pb::FieldDescriptor &field, int depth);

QJsonObject templateOf(const pb::Descriptor &type, int depth)
{
    QJsonObject out;
    for (int i = 0; i < type.field_count(); ++i) {
        const pb::FieldDescriptor &field = *type.field(i);
        if (const pb::OneofDescriptor *oneof = field.real_containing_oneof(); oneof && oneof->field(0) != &field)
            continue;   // one member of a oneof at a time
        const QJsonValue value = neutral(field, depth);
        if (!value.isUndefined())
            out.insert(fromStd(field.json_name()), value);
    }
    return out;
}

QJsonValue neutral(const pb::FieldDescriptor &field, int depth)
{
    if (field.is_map())
        return QJsonObject();
    if (field.is_repeated())
        return QJsonArray();
    switch (field.cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING: return QString();
    case pb::FieldDescriptor::CPPTYPE_BOOL: return false;
    case pb::FieldDescriptor::CPPTYPE_ENUM: return fromStd(field.enum_type()->value(0)->name());
    case pb::FieldDescriptor::CPPTYPE_INT64:
    case pb::FieldDescriptor::CPPTYPE_UINT64: return QStringLiteral("0");   // JSON mapping: strings
    case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
        const pb::Descriptor &type = *field.message_type();
        // Well-known types have JSON forms of their own; deep or recursive types stop somewhere.
        if (type.file()->package() == "google.protobuf" || depth >= kTemplateDepth)
            return QJsonValue(QJsonValue::Undefined);
        return templateOf(type, depth + 1);
    }
    default: return 0;
    }
}

} // namespace

Result<GrpcMessages> GrpcMessages::fromDescriptorSet(const QByteArray &descriptorSet)
{
    auto types = TranscodeTypes::fromDescriptorSet(descriptorSet);
    if (!types)
        return types.error();
    GrpcMessages messages;
    messages.m_types = *types;
    return messages;
}

bool GrpcMessages::hasType(const QString &fullName) const
{
    return m_types && m_types->message(fullName);
}

QString GrpcMessages::jsonTemplate(const QString &type) const
{
    const pb::Descriptor *descriptor = m_types ? m_types->message(type) : nullptr;
    if (!descriptor)
        return QStringLiteral("{}");
    return QString::fromUtf8(QJsonDocument(templateOf(*descriptor, 0)).toJson(QJsonDocument::Indented));
}

Result<QByteArray> GrpcMessages::encode(const QString &type, const QByteArray &json) const
{
    const pb::Descriptor *descriptor = m_types ? m_types->message(type) : nullptr;
    if (!descriptor)
        return Error::config(QStringLiteral("unknown message type %1").arg(type));
    std::unique_ptr<pb::Message> message(m_types->prototype(descriptor)->New());
    const pb::util::Status status = pb::util::JsonStringToMessage(
        pb::StringPiece(json.constData(), size_t(json.size())), message.get(), pb::util::JsonParseOptions());
    if (!status.ok())
        return Error::config(QString::fromStdString(std::string(status.message())));
    std::string bytes;
    if (!message->SerializeToString(&bytes))
        return Error::config(QStringLiteral("the message cannot be serialized"));
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

Result<QString> GrpcMessages::decode(const QString &type, const QByteArray &bytes) const
{
    const pb::Descriptor *descriptor = m_types ? m_types->message(type) : nullptr;
    if (!descriptor)
        return Error::config(QStringLiteral("unknown message type %1").arg(type));
    std::unique_ptr<pb::Message> message(m_types->prototype(descriptor)->New());
    if (!message->ParseFromArray(bytes.constData(), int(bytes.size())))
        return Error::config(QStringLiteral("the response is not a valid %1").arg(type));
    pb::util::JsonPrintOptions print;
    print.add_whitespace = true;
    print.always_print_primitive_fields = true;
    std::string json;
    const pb::util::Status status = pb::util::MessageToJsonString(*message, &json, print);
    if (!status.ok())
        return Error::config(QString::fromStdString(std::string(status.message())));
    return QString::fromStdString(json).trimmed();
}

} // namespace Gatehouse
