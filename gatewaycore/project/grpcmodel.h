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
    QString method;        // "GET", "POST", ... or the custom verb as written
    QString pathTemplate;  // "/v1/{name=messages/*}"
    QString body;          // "*", a field name, or empty
    QString responseBody;  // a field of the response to return instead of the whole message; or empty
    QList<HttpRule> additionalBindings;   // only on the top-level rule; never nested
    SourceLocation location;              // the option statement
};

struct GrpcMethod
{
    QString name;            // "SayHello"
    QString inputType;       // fully qualified: "helloworld.HelloRequest"
    QString outputType;
    bool clientStreaming = false;
    bool serverStreaming = false;
    QStringList scopes;              // (gatehouse.method).scopes or wso2 method scopes
    SourceLocation scopesLocation;
    QString throttlingTier;          // method tier, empty = none
    SourceLocation throttlingTierLocation;
    std::optional<HttpRule> httpRule;
    SourceLocation location;
    QString path(const QString &serviceFullName) const { return u'/' + serviceFullName + u'/' + name; }
};

// Options are read from (gatehouse.service)/(gatehouse.method) and from MGW's wso2 options; when
// both set the same thing, Gatehouse's wins (the loader warns). Names of tiers and schemes are not
// checked here but by the project's cross-validation, at the *Location fields.
struct GrpcService
{
    QString fullName;        // "helloworld.Greeter"
    QString file;            // relative to the project directory: "protos/greeter.proto"
    QList<GrpcMethod> methods;
    QStringList security;    // scheme kinds: "jwt", "oauth2", "apikey", "basic", "none"; empty = project default
    SourceLocation securityLocation;
    QString throttlingTier;
    SourceLocation throttlingTierLocation;
    EndpointSet endpoints;          // production; from options; empty = from gatehouse.yaml grpc endpoints
    EndpointSet sandboxEndpoints;   // (gatehouse.service).sandbox_endpoints or wso2.sandbox_endpoints
    SourceLocation location;
};

struct ProtoSet
{
    QStringList files;              // relative .proto paths that were loaded ("protos/greeter.proto")
    QList<GrpcService> services;    // by file, then in declaration order
    QStringList messageTypes;       // fully qualified message names declared in the loaded files
    QByteArray descriptorSet;       // serialized google.protobuf.FileDescriptorSet of all files + deps
};

} // namespace Gatehouse
