// GrpcMessages: the message types of a project's protos for the gRPC try-it: a JSON template of a
// method's input, JSON to protobuf's binary form for the request and back for the responses.
#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace Gatehouse {

class TranscodeTypes;

class GrpcMessages
{
public:
    // From the serialized FileDescriptorSet of a loaded ProtoSet (ProtoSet::descriptorSet).
    static Result<GrpcMessages> fromDescriptorSet(const QByteArray &descriptorSet);

    bool hasType(const QString &fullName) const;
    // Every field of `type` with a neutral value (nested messages filled in a few levels deep,
    // lists and maps empty, the first field of each oneof), as indented JSON.
    QString jsonTemplate(const QString &type) const;
    // Protobuf's JSON mapping; unknown fields and wrong types are refused with protobuf's reason.
    Result<QByteArray> encode(const QString &type, const QByteArray &json) const;
    Result<QString> decode(const QString &type, const QByteArray &bytes) const;

private:
    std::shared_ptr<const TranscodeTypes> m_types;
};

} // namespace Gatehouse
