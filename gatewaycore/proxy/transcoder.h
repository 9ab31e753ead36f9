// JSON <-> gRPC transcoding core (google.api.http): a REST request's path variables, query
// parameters and JSON body become a method's request message; its response message becomes JSON.
// Built on protobuf's DescriptorPool, DynamicMessageFactory and util::JsonStringToMessage /
// MessageToJsonString. Types are built once per config and are read-only afterwards (usable
// from every worker thread at once).
#pragma once

#include "grpcprotocol.h"
#include "transcodepath.h"

#include "base/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

namespace google::protobuf {
class Descriptor;
class DescriptorPool;
class DynamicMessageFactory;
class Message;
} // namespace google::protobuf

namespace Gatehouse {

// The project's message types, from the serialized FileDescriptorSet the proto loader made.
class TranscodeTypes
{
public:
    static Result<std::shared_ptr<const TranscodeTypes>> fromDescriptorSet(QByteArrayView descriptorSet);
    ~TranscodeTypes();

    // Null when the pool has no such message.
    const google::protobuf::Descriptor *message(const QString &fullName) const;
    // The prototype of a message of this pool (made when the types were built).
    const google::protobuf::Message *prototype(const google::protobuf::Descriptor *type) const;

private:
    TranscodeTypes();
    std::unique_ptr<google::protobuf::DescriptorPool> m_pool;
    std::unique_ptr<google::protobuf::DynamicMessageFactory> m_factory;
};

// One binding of a method (its google.api.http rule or one of the additional bindings).
struct TranscodeRule
{
    QString httpMethod;          // "GET", "POST" ...
    HttpPathTemplate path;
    QString body;                // "*", a top-level field of the request, or empty
    QString responseBody;        // a top-level field of the response, or empty
    const google::protobuf::Descriptor *input = nullptr;
    const google::protobuf::Descriptor *output = nullptr;

    // Checks the rule against the method's types: the path's variables and the body field name
    // fields that exist and can be bound. The message says what is wrong.
    Result<void> check() const;
};

struct TranscodeOptions
{
    bool protoFieldNames = false;   // response JSON keys as in the .proto instead of lowerCamel
    bool emitDefaults = false;      // print fields that hold their default value
};

// The request message (serialized) for a REST request that matched `rule` with `bindings`.
// `query` is the raw query without '?'. An Error's message is the 400 answer's description.
Result<QByteArray> buildRequestMessage(const TranscodeTypes &types, const TranscodeRule &rule,
                                       const QList<PathBinding> &bindings, QByteArrayView query,
                                       QByteArrayView jsonBody);

// The response message (serialized) as the JSON body of the REST answer.
Result<QByteArray> renderResponseMessage(const TranscodeTypes &types, const TranscodeRule &rule,
                                         QByteArrayView message, const TranscodeOptions &options);

// grpc-gateway's mapping of a gRPC status to the REST answer's HTTP status (NOT_FOUND 404,
// INVALID_ARGUMENT 400, UNAUTHENTICATED 401 ...), and its error body {code, message, details}.
int httpStatusForGrpcStatus(int grpcStatus);
QByteArray transcodedErrorBody(int grpcStatus, const QString &message);

} // namespace Gatehouse
