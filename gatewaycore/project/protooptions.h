// Reads gateway options of gRPC services and methods: (gatehouse.*), MGW's (wso2.*), google.api.http.
#pragma once

#include "grpcmodel.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>

#include <map>
#include <memory>
#include <vector>

namespace Gatehouse {

class ProtoErrorCollector;

// The options of a descriptor built by an Importer are generated C++ messages in which custom
// options are unknown fields: the extensions live only in the importer's pool, and Gatehouse has no
// generated code for them. So the options are re-parsed into dynamic messages of the pool's own
// google.protobuf.*Options types, where reflection sees the extensions.
// One reader per pool; not thread-safe; the pool must outlive it.
class ProtoOptionReader
{
public:
    ProtoOptionReader(const google::protobuf::DescriptorPool &pool,
                      const ProtoErrorCollector &locator, Diagnostics &diagnostics);
    ~ProtoOptionReader();

    // Fills security, tier and endpoints of `service` (whose fullName and location are set).
    void readService(const google::protobuf::ServiceDescriptor &descriptor, GrpcService &service);
    // Fills scopes, tier and httpRule of `method` (whose name and location are set).
    void readMethod(const google::protobuf::MethodDescriptor &descriptor, GrpcMethod &method);

    // Location of a declaration from the file's SourceCodeInfo: the first span whose path starts
    // with `path` (see descriptor.proto's SourceCodeInfo); `fallback` when there is none.
    SourceLocation locate(const google::protobuf::FileDescriptor &file, const std::vector<int> &path,
                          const SourceLocation &fallback);

private:
    std::unique_ptr<google::protobuf::Message> reparse(const google::protobuf::Message &options,
                                                       const char *typeName);
    EndpointSet readEndpoints(const google::protobuf::Message &endpoints, const char *urlsField,
                              const QString &what, const SourceLocation &where);
    std::optional<HttpRule> readHttpRule(const google::protobuf::Message &rule, bool topLevel,
                                          const QString &methodName, const SourceLocation &where);
    QStringList readSecurity(const google::protobuf::Message &message,
                             const google::protobuf::FieldDescriptor *field, const QString &what,
                             const SourceLocation &where);

    const google::protobuf::DescriptorPool &m_pool;
    const ProtoErrorCollector &m_locator;
    Diagnostics &m_diagnostics;
    google::protobuf::DynamicMessageFactory m_factory;
    // SourceCodeInfo per file, copied out once.
    std::map<const google::protobuf::FileDescriptor *,
             std::unique_ptr<google::protobuf::SourceCodeInfo>> m_sourceInfo;
};

} // namespace Gatehouse
