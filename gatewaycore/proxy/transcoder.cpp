// JSON <-> gRPC transcoding: request messages from path variables, query parameters and a JSON
// body; JSON from response messages; grpc-gateway's status mapping and error body.
#include "transcoder.h"

#include "base/hexdigit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

namespace Gatehouse {

namespace pb = google::protobuf;

namespace {

QString statusText(const pb::util::Status &status)
{
    const auto m = status.message();
    return QString::fromUtf8(m.data(), qsizetype(m.size()));
}

// A field of `type` by its .proto name or its JSON (lowerCamel) name.
const pb::FieldDescriptor *findField(const pb::Descriptor *type, const QString &name)
{
    const std::string n = name.toStdString();
    if (const pb::FieldDescriptor *f = type->FindFieldByName(n))
        return f;
    for (int i = 0; i < type->field_count(); ++i) {
        if (type->field(i)->json_name() == n)
            return type->field(i);
    }
    return nullptr;
}

// Well-known types whose JSON form is a string (Timestamp, Duration, FieldMask, wrappers).
bool isStringLikeMessage(const pb::FieldDescriptor *f)
{
    return f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE
           && f->message_type()->full_name().rfind("google.protobuf.", 0) == 0
           && f->message_type()->full_name() != "google.protobuf.Struct"
           && f->message_type()->full_name() != "google.protobuf.Any";
}

// The fields a dotted path names, every one but the last a singular message.
Result<QList<const pb::FieldDescriptor *>> resolvePath(const pb::Descriptor *type, const QString &path)
{
    QList<const pb::FieldDescriptor *> fields;
    const pb::Descriptor *at = type;
    const QStringList parts = path.split(u'.');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const pb::FieldDescriptor *f = at ? findField(at, parts[i]) : nullptr;
        if (!f)
            return Error::internal(QStringLiteral("%1 has no field '%2'")
                                       .arg(QString::fromStdString(at ? at->full_name() : type->full_name()), parts[i]));
        const bool last = i + 1 == parts.size();
        if (!last && (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated() || f->is_map()))
            return Error::internal(QStringLiteral("'%1' in '%2' is not a message field").arg(parts[i], path));
        if (last && (f->is_map() || (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !isStringLikeMessage(f))))
            return Error::internal(QStringLiteral("'%1' is a message or map; it cannot take a single value").arg(path));
        fields.append(f);
        at = f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE ? f->message_type() : nullptr;
    }
    return fields;
}

// A text value as the JSON the field's type takes (proto3 JSON accepts numbers as strings).
Result<QJsonValue> jsonValue(const pb::FieldDescriptor *f, const QString &text)
{
    switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_BOOL:
        if (text == u"true")
            return QJsonValue(true);
        if (text == u"false")
            return QJsonValue(false);
        return Error::internal(QStringLiteral("'%1' is not a boolean (true or false) for '%2'")
                                   .arg(text, QString::fromStdString(f->name())));
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
        bool number = false;
        const int value = text.toInt(&number);
        return number ? QJsonValue(value) : QJsonValue(text);
    }
    default:
        return QJsonValue(text);
    }
}

// Sets obj[keys...] = value, appending when the leaf is repeated.
void setPath(QJsonObject &obj, const QList<const pb::FieldDescriptor *> &fields, qsizetype at, const QJsonValue &value)
{
    const QString key = QString::fromStdString(fields[at]->json_name());
    if (at + 1 < fields.size()) {
        QJsonObject child = obj.value(key).toObject();
        setPath(child, fields, at + 1, value);
        obj.insert(key, child);
        return;
    }
    if (fields[at]->is_repeated()) {
        QJsonArray list = obj.value(key).toArray();
        list.append(value);
        obj.insert(key, list);
        return;
    }
    obj.insert(key, value);
}

std::optional<QString> formDecode(QByteArrayView in)
{
    QByteArray out;
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] == '+') {
            out.append(' ');
        } else if (in[i] == '%') {
            if (i + 2 >= in.size() || hexDigitValue(in[i + 1]) < 0 || hexDigitValue(in[i + 2]) < 0)
                return std::nullopt;
            out.append(char(hexDigitValue(in[i + 1]) * 16 + hexDigitValue(in[i + 2])));
            i += 2;
        } else {
            out.append(in[i]);
        }
    }
    return QString::fromUtf8(out);
}

Result<void> mergeJson(pb::Message &target, const QByteArray &json, const QString &what)
{
    std::unique_ptr<pb::Message> part(target.New());
    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const pb::util::Status status = pb::util::JsonStringToMessage(
        pb::StringPiece(json.constData(), size_t(json.size())), part.get(), options);
    if (!status.ok())
        return Error::internal(QStringLiteral("%1: %2").arg(what, statusText(status)));
    target.MergeFrom(*part);
    return {};
}

} // namespace

// ---------------------------------------------------------------- types

TranscodeTypes::TranscodeTypes() = default;
TranscodeTypes::~TranscodeTypes() = default;

Result<std::shared_ptr<const TranscodeTypes>> TranscodeTypes::fromDescriptorSet(QByteArrayView descriptorSet)
{
    pb::FileDescriptorSet set;
    if (!set.ParseFromArray(descriptorSet.data(), int(descriptorSet.size())))
        return Error::internal(QStringLiteral("the descriptor set cannot be read"));
    std::shared_ptr<TranscodeTypes> types(new TranscodeTypes());
    types->m_pool = std::make_unique<pb::DescriptorPool>();
    // Files in any order: build what has its dependencies until nothing more can be built.
    QList<int> pending;
    for (int i = 0; i < set.file_size(); ++i)
        pending.append(i);
    while (!pending.isEmpty()) {
        QList<int> next;
        for (int i : std::as_const(pending)) {
            const pb::FileDescriptorProto &file = set.file(i);
            bool ready = true;
            for (const std::string &dep : file.dependency())
                ready = ready && types->m_pool->FindFileByName(dep) != nullptr;
            if (!ready || !types->m_pool->BuildFile(file))
                next.append(i);
        }
        if (next.size() == pending.size())
            return Error::internal(QStringLiteral("%1 proto files cannot be built").arg(next.size()));
        pending = next;
    }
    types->m_factory = std::make_unique<pb::DynamicMessageFactory>(types->m_pool.get());
    // Every prototype now: afterwards the factory is only read.
    std::function<void(const pb::Descriptor *)> make = [&](const pb::Descriptor *d) {
        (void)types->m_factory->GetPrototype(d);
        for (int i = 0; i < d->nested_type_count(); ++i)
            make(d->nested_type(i));
    };
    for (int i = 0; i < set.file_size(); ++i) {
        const pb::FileDescriptor *file = types->m_pool->FindFileByName(set.file(i).name());
        for (int m = 0; file && m < file->message_type_count(); ++m)
            make(file->message_type(m));
    }
    return std::shared_ptr<const TranscodeTypes>(std::move(types));
}

const pb::Descriptor *TranscodeTypes::message(const QString &fullName) const
{
    return m_pool->FindMessageTypeByName(fullName.toStdString());
}

const pb::Message *TranscodeTypes::prototype(const pb::Descriptor *type) const
{
    return m_factory->GetPrototype(type);
}

// ---------------------------------------------------------------- rules

Result<void> TranscodeRule::check() const
{
    if (!input || !output)
        return Error::config(QStringLiteral("the method's message types are unknown"));
    for (const QString &variable : path.variables()) {
        const auto fields = resolvePath(input, variable);
        if (!fields)
            return Error::config(QStringLiteral("path variable '%1': %2").arg(variable, fields.error().message));
    }
    if (!body.isEmpty() && body != u"*" && !findField(input, body))
        return Error::config(QStringLiteral("body '%1': %2 has no such field")
                                 .arg(body, QString::fromStdString(input->full_name())));
    if (!responseBody.isEmpty() && !findField(output, responseBody))
        return Error::config(QStringLiteral("response_body '%1': %2 has no such field")
                                 .arg(responseBody, QString::fromStdString(output->full_name())));
    return {};
}

Result<QByteArray> buildRequestMessage(const TranscodeTypes &types, const TranscodeRule &rule,
                                       const QList<PathBinding> &bindings, QByteArrayView query,
                                       QByteArrayView jsonBody)
{
    const pb::Message *prototype = types.prototype(rule.input);
    if (!prototype)
        return Error::internal(QStringLiteral("no prototype"));
    std::unique_ptr<pb::Message> message(prototype->New());
    const QString typeName = QString::fromStdString(rule.input->full_name());

    // The body: the whole message, one field of it, or nothing.
    const bool hasBody = !QByteArrayView(jsonBody).trimmed().isEmpty();
    if (rule.body == u"*" && hasBody) {
        if (auto r = mergeJson(*message, jsonBody.toByteArray(), QStringLiteral("The body is not a valid %1").arg(typeName)); !r)
            return r.error();
    } else if (!rule.body.isEmpty() && hasBody) {
        // One JSON value for that field: checked alone first, so that the body cannot reach
        // other fields of the message.
        QJsonParseError error;
        const QJsonDocument one = QJsonDocument::fromJson('[' + jsonBody.toByteArray() + ']', &error);
        if (error.error != QJsonParseError::NoError || one.array().size() != 1)
            return Error::internal(QStringLiteral("The body is not one JSON value"));
        const pb::FieldDescriptor *field = findField(rule.input, rule.body);
        if (!field)
            return Error::internal(QStringLiteral("%1 has no field '%2'").arg(typeName, rule.body));
        const QByteArray wrapped = "{\"" + QByteArray::fromStdString(field->json_name()) + "\":" + jsonBody.toByteArray() + '}';
        if (auto r = mergeJson(*message, wrapped, QStringLiteral("The body is not a valid '%1'").arg(rule.body)); !r)
            return r.error();
    }

    // Query parameters name any field the path and body do not (none with body "*").
    if (rule.body != u"*" && !query.isEmpty()) {
        QJsonObject params;
        for (QByteArrayView pair : QByteArray(query.data(), query.size()).split('&')) {
            if (pair.isEmpty())
                continue;
            const qsizetype eq = pair.indexOf('=');
            const std::optional<QString> name = formDecode(eq < 0 ? pair : pair.first(eq));
            const std::optional<QString> value = formDecode(eq < 0 ? QByteArrayView() : pair.sliced(eq + 1));
            if (!name || !value)
                return Error::internal(QStringLiteral("The query has a malformed percent-escape"));
            const auto fields = resolvePath(rule.input, *name);
            if (!fields)
                return Error::internal(QStringLiteral("Query parameter '%1': %2").arg(*name, fields.error().message));
            if (!rule.body.isEmpty() && fields->first()->name() == rule.body.toStdString())
                return Error::internal(QStringLiteral("Query parameter '%1' names a field of the body").arg(*name));
            const auto v = jsonValue(fields->last(), *value);
            if (!v)
                return v.error();
            setPath(params, *fields, 0, *v);
        }
        if (!params.isEmpty()) {
            if (auto r = mergeJson(*message, QJsonDocument(params).toJson(QJsonDocument::Compact),
                                   QStringLiteral("The query parameters do not fit %1").arg(typeName));
                !r)
                return r.error();
        }
    }

    // Path variables last: they win over what the body said.
    if (!bindings.isEmpty()) {
        QJsonObject path;
        for (const PathBinding &b : bindings) {
            const auto fields = resolvePath(rule.input, b.fieldPath);
            if (!fields)
                return Error::internal(QStringLiteral("Path variable '%1': %2").arg(b.fieldPath, fields.error().message));
            const auto v = jsonValue(fields->last(), b.value);
            if (!v)
                return v.error();
            setPath(path, *fields, 0, *v);
        }
        if (auto r = mergeJson(*message, QJsonDocument(path).toJson(QJsonDocument::Compact),
                               QStringLiteral("The path does not fit %1").arg(typeName));
            !r)
            return r.error();
    }
    std::string bytes;
    if (!message->SerializeToString(&bytes))
        return Error::internal(QStringLiteral("the request message cannot be serialized"));
    return QByteArray::fromStdString(bytes);
}

Result<QByteArray> renderResponseMessage(const TranscodeTypes &types, const TranscodeRule &rule,
                                         QByteArrayView bytes, const TranscodeOptions &options)
{
    const pb::Message *prototype = types.prototype(rule.output);
    if (!prototype)
        return Error::internal(QStringLiteral("no prototype"));
    std::unique_ptr<pb::Message> message(prototype->New());
    if (!message->ParseFromArray(bytes.data(), int(bytes.size())))
        return Error::internal(QStringLiteral("the upstream's response is not a valid %1")
                                   .arg(QString::fromStdString(rule.output->full_name())));
    pb::util::JsonPrintOptions print;
    print.preserve_proto_field_names = options.protoFieldNames;
    print.always_print_primitive_fields = options.emitDefaults;
    const pb::FieldDescriptor *field = rule.responseBody.isEmpty() ? nullptr : findField(rule.output, rule.responseBody);
    std::string json;
    if (field && field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
        const pb::Message &part = message->GetReflection()->GetMessage(*message, field);
        const pb::util::Status status = pb::util::MessageToJsonString(part, &json, print);
        if (!status.ok())
            return Error::internal(statusText(status));
        return QByteArray::fromStdString(json);
    }
    if (field)
        print.always_print_primitive_fields = true;   // the field's value, default or not
    const pb::util::Status status = pb::util::MessageToJsonString(*message, &json, print);
    if (!status.ok())
        return Error::internal(statusText(status));
    if (!field)
        return QByteArray::fromStdString(json);
    // A scalar or repeated field alone: its value out of the object.
    const QJsonObject whole = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
    const QString key = QString::fromStdString(options.protoFieldNames ? field->name() : field->json_name());
    const QByteArray array = QJsonDocument(QJsonArray{whole.value(key)}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

int httpStatusForGrpcStatus(int grpcStatus)
{
    switch (GrpcStatus(grpcStatus)) {
    case GrpcStatus::Ok: return 200;
    case GrpcStatus::Cancelled: return 499;
    case GrpcStatus::Unknown: return 500;
    case GrpcStatus::InvalidArgument: return 400;
    case GrpcStatus::DeadlineExceeded: return 504;
    case GrpcStatus::NotFound: return 404;
    case GrpcStatus::AlreadyExists: return 409;
    case GrpcStatus::PermissionDenied: return 403;
    case GrpcStatus::ResourceExhausted: return 429;
    case GrpcStatus::FailedPrecondition: return 400;
    case GrpcStatus::Aborted: return 409;
    case GrpcStatus::OutOfRange: return 400;
    case GrpcStatus::Unimplemented: return 501;
    case GrpcStatus::Internal: return 500;
    case GrpcStatus::Unavailable: return 503;
    case GrpcStatus::DataLoss: return 500;
    case GrpcStatus::Unauthenticated: return 401;
    }
    return 500;
}

QByteArray transcodedErrorBody(int grpcStatus, const QString &message)
{
    const QJsonObject body{{QStringLiteral("code"), grpcStatus},
                           {QStringLiteral("message"), message},
                           {QStringLiteral("details"), QJsonArray()}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace Gatehouse
