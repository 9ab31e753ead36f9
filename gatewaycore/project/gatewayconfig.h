// GatewayConfig: a project compiled for the data plane. Immutable and shared between worker threads.
#pragma once

#include "apimodel.h"
#include "grpcmodel.h"
#include "projectsettings.h"
#include "proxy/router.h"
#include "proxy/transcoder.h"
#include "proxy/upstreamendpoint.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace Gatehouse {

class FilterChain;

struct Project;

// What an API contributes to all of its routes (shared by them, never copied per route).
struct ApiConfig
{
    QString name;           // info.title
    QString version;        // info.version
    QString file;           // relative to the project directory
    QString basePath;       // resolved, e.g. "/petstore/v1"
    QMap<QString, SecurityScheme> securitySchemes;
};

// An OpenAPI operation as the validation policies read it: parameters, request body and responses
// with their schemas, and the document whose components those schemas' remaining $refs name.
struct OperationSource
{
    Operation operation;
    OpenApiVersion version = OpenApiVersion::OpenApi30;
    QJsonObject document;
};

enum class RouteKind { Rest = 1, Grpc };

// Routes the gateway answers itself, added by the compiler.
enum class BuiltinRoute {
    None = 0,
    ApiKeyIssue,   // GET/POST /apikey on the HTTPS listener (security.apiKeys.httpsEndpoint)
};

// A REST binding of a gRPC method (google.api.http): how requests become its messages.
struct TranscodeRoute
{
    TranscodeRule rule;
    std::shared_ptr<const TranscodeTypes> types;
    QByteArray grpcPath;   // "/pkg.Service/Method" on the method's upstream
    QString methodName;    // "pkg.Service.Method", for the 501 of a streaming request
    // Server streaming: the answer is a JSON array, element by element. Client streaming (and
    // bidi) cannot be a REST request: such a route answers 501 naming the method.
    bool serverStreaming = false;
    bool clientStreaming = false;
};

// One operation (REST) or one method (gRPC), with everything the filter chain needs, resolved.
struct Route
{
    int id = -1;                 // index in GatewayConfig::routes
    RouteKind kind = RouteKind::Rest;
    std::shared_ptr<const ApiConfig> api;
    QString method;              // "GET" ...; gRPC: "POST"
    QString pathTemplate;        // full template: base path + operation path ("/petstore/v1/pets/{id}")
    QString operationId;         // REST operationId or gRPC "pkg.Service/Method"
    EndpointSet endpoints;       // production upstream
    QList<UpstreamEndpoint> upstreams;   // endpoints.urls, prepared for the data plane
    QByteArray basePath;         // the API's base path as bytes ("" for gRPC), stripped upstream
    // pathTemplate and api->name as UTF-8, converted once when compiled (each traced request's
    // record carries them).
    QByteArray pathTemplateBytes;
    QByteArray apiNameBytes;
    std::optional<EndpointSet> sandboxEndpoints;
    QList<SecurityRequirement> security;   // OR of ANDs; empty list = no authentication
    bool securityDisabled = false;
    QString authHeader;          // header carrying credentials
    QStringList requiredScopes;  // extra scopes from x-gatehouse-scopes / proto method scopes
    QString apiTier;             // throttling tier at API (or gRPC service) level; empty = none
    QString resourceTier;        // operation (or gRPC method) level; empty = none
    QList<PolicyAttachment> requestPolicies;    // API then operation, in execution order
    QList<PolicyAttachment> responsePolicies;   // operation then API, in execution order
    // The OpenAPI operation (parameters, request body, responses with their schemas) for the
    // validation policies; nullptr for gRPC methods and synthetic preflight routes.
    std::shared_ptr<const OperationSource> operation;
    std::optional<CorsSettings> cors;
    // Added by the compiler for a CORS-enabled path without an OPTIONS operation, so preflights
    // reach the CORS stage (which answers every request of it): no security, tiers or policies.
    bool corsPreflight = false;
    BuiltinRoute builtin = BuiltinRoute::None;
    bool clientStreaming = false;   // gRPC
    bool serverStreaming = false;   // gRPC
    // A google.api.http binding of a gRPC method (kind Grpc, the method's security, tiers and
    // upstream; answered as JSON); null for every other route.
    std::shared_ptr<const TranscodeRoute> transcode;
    SourceLocation location;
};

struct GatewayConfig
{
    quint64 version = 0;        // increases with every successful apply (set by the engine)
    QString projectDir;
    ProjectSettings settings;
    QList<std::shared_ptr<const ApiConfig>> apis;
    QList<Route> routes;
    Router router;              // matches (method, path) to an index into routes
    QByteArray fingerprint;     // SHA-256 over the compiled routes: equal inputs, equal fingerprint
    // Each route's filters (same index as routes; nullptr = none), built by the engine with
    // buildFilterChains() (pipeline/pipelinebuilder.h) after compiling.
    std::vector<std::shared_ptr<const FilterChain>> chains;
};

// Compiles a loaded project. Returns nullptr when the project has errors (they are in diagnostics,
// together with any found while compiling, such as duplicate routes). Deterministic.
std::shared_ptr<GatewayConfig> compileProject(const Project &project, Diagnostics &diagnostics);

} // namespace Gatehouse
