// The gRPC model: services and methods from the project's .proto files, with gateway options.
#pragma once

#include "apimodel.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Gatehouse {

// google.api.http rule of a method (for JSON transcoding).
struct HttpRule
{
    QString method;        // "GET", "POST", ... or the custom verb
    QString pathTemplate;  // "/v1/{name=messages/*}"
    QString body;          // "*", a field name, or empty
    QList<HttpRule> additionalBindings;
};

struct GrpcMethod
{
    QString name;            // "SayHello"
    QString inputType;       // fully qualified: "helloworld.HelloRequest"
    QString outputType;
    bool clientStreaming = false;
    bool serverStreaming = false;
    QStringList scopes;              // (gatehouse.method).scopes or wso2 method scopes
    QString throttlingTier;          // method tier, empty = none
    std::optional<HttpRule> httpRule;
    SourceLocation location;
    QString path(const QString &serviceFullName) const { return u'/' + serviceFullName + u'/' + name; }
};

struct GrpcService
{
    QString fullName;        // "helloworld.Greeter"
    QString file;            // relative to the project directory
    QList<GrpcMethod> methods;
    QStringList security;    // scheme kinds: "jwt", "oauth2", "apikey", "basic", "none"; empty = project default
    QString throttlingTier;
    EndpointSet endpoints;   // from options; empty = from gatehouse.yaml grpc endpoints
    SourceLocation location;
};

struct ProtoSet
{
    QStringList files;              // relative .proto paths that were loaded
    QList<GrpcService> services;
    QByteArray descriptorSet;       // serialized google.protobuf.FileDescriptorSet of all files + deps
};

} // namespace Gatehouse
