// The API model: what an OpenAPI document (2.0, 3.0, 3.1) means to the gateway, independent of its format.
#pragma once

#include "base/diagnostic.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>

namespace Gatehouse {

enum class OpenApiVersion { Swagger20 = 1, OpenApi30, OpenApi31 };
QString openApiVersionName(OpenApiVersion version);   // "2.0", "3.0", "3.1"

enum class ParameterLocation { Path = 1, Query, Header, Cookie };

struct Parameter
{
    QString name;
    ParameterLocation in = ParameterLocation::Query;
    bool required = false;
    QJsonValue schema;   // JSON Schema with $refs inlined where acyclic; may be Undefined
    QString style;       // as written ("form", "simple" ...); empty = the default for `in`
    std::optional<bool> explode;   // as written (Swagger 2: collectionFormat multi); unset = the style's default
    SourceLocation location;   // where the parameter object is written (after following $ref)
};

// One media type of a request body or a response.
struct MediaType
{
    QString contentType;   // "application/json"
    QJsonValue schema;
};

struct RequestBody
{
    bool required = false;
    QList<MediaType> content;   // Swagger 2: one entry per `consumes` type
    SourceLocation location;
};

struct Response
{
    QString status;   // "200", "4XX", "default"
    QString description;
    QList<MediaType> content;   // Swagger 2: one entry per `produces` type when a schema is given
};

// One element of a security requirement: a scheme name and the scopes it must carry.
struct SecurityRequirementItem
{
    QString scheme;
    QStringList scopes;
    friend bool operator==(const SecurityRequirementItem &, const SecurityRequirementItem &) = default;
};
// All items of a requirement must pass (AND). A list of requirements is an OR. An empty requirement
// ({}), as OpenAPI allows, makes the operation callable without credentials.
using SecurityRequirement = QList<SecurityRequirementItem>;

enum class SecuritySchemeType { ApiKey = 1, HttpBasic, HttpBearer, OAuth2, OpenIdConnect, MutualTls };
enum class ApiKeyLocation { Header = 1, Query, Cookie };

struct SecurityScheme
{
    QString name;   // the key under securitySchemes / securityDefinitions
    SecuritySchemeType type = SecuritySchemeType::HttpBearer;
    QString apiKeyName;                                    // ApiKey: header/query/cookie name
    ApiKeyLocation apiKeyIn = ApiKeyLocation::Header;      // ApiKey
    QString bearerFormat;                                  // HttpBearer, e.g. "JWT"
    QStringList declaredScopes;                            // OAuth2: union of scopes of all flows
    QString tokenUrl;                                      // OAuth2: of the first flow that has one
    QString authorizationUrl;                              // OAuth2: of the first flow that has one
    QString openIdConnectUrl;                              // OpenIdConnect
    SourceLocation location;
};

enum class EndpointStrategy { Single = 1, LoadBalance, Failover };

// Upstream endpoints of an API or operation (x-gatehouse-endpoints, x-wso2-production-endpoints,
// servers[0]). Times are optional overrides of the gatehouse.yaml defaults.
struct EndpointSet
{
    QList<QUrl> urls;
    EndpointStrategy strategy = EndpointStrategy::Single;
    std::optional<std::chrono::milliseconds> timeout;
    QString basicAuthUser;          // upstream Basic credentials (MGW securityConfig)
    QString basicAuthPasswordRef;   // never a literal secret in exports: "env:NAME" or the literal
    SourceLocation location;
    // REST routes speak HTTP/2 to these URLs: `http2: true` (http:// is h2c by prior knowledge,
    // https:// is h2 by ALPN) or h2c:// URLs. gRPC routes always do.
    bool http2 = false;
    bool isEmpty() const { return urls.isEmpty(); }
};

// A policy attachment: {name, settings} as in x-gatehouse-request-policies.
struct PolicyAttachment
{
    QString name;
    QJsonObject settings;
    SourceLocation location;
};

struct CorsSettings
{
    bool enabled = false;
    QStringList allowOrigins;
    QStringList allowMethods;
    QStringList allowHeaders;
    QStringList exposeHeaders;
    bool allowCredentials = false;
    std::optional<std::chrono::seconds> maxAge;
    SourceLocation location;
};

// Gateway settings that may appear on the API (root) or on one operation; operation values win.
struct GatewayExtensions
{
    std::optional<EndpointSet> productionEndpoints;
    std::optional<EndpointSet> sandboxEndpoints;
    QString throttlingTier;                       // empty = none at this level
    SourceLocation throttlingTierLocation;
    std::optional<bool> disableSecurity;
    QString authHeader;                           // header carrying the token (default Authorization)
    QStringList scopes;                           // x-gatehouse-scopes: extra scopes required
    QList<PolicyAttachment> requestPolicies;
    QList<PolicyAttachment> responsePolicies;
    std::optional<CorsSettings> cors;
    QStringList applicationSecurity;              // MGW 3.2 x-wso2-application-security types
    bool applicationSecurityOptional = false;
    QStringList transports;                       // "http", "https"; empty = both (x-wso2-transports)
    QString mutualSsl;                            // "mandatory" | "optional"; empty = off
    std::optional<bool> passRequestPayloadToInterceptor;
    std::optional<std::chrono::seconds> responseCacheTimeout;   // set = response cache enabled
    QString owner;                                // x-wso2-owner, informational
};

struct Operation
{
    QString method;         // upper case: GET, POST, ...
    QString pathTemplate;   // as written under paths: "/pets/{petId}"
    QString operationId;
    QString summary;
    QList<Parameter> parameters;   // path-level and operation-level merged, operation wins
    std::optional<RequestBody> requestBody;
    QList<Response> responses;
    std::optional<QList<SecurityRequirement>> security;   // absent = inherit the API's
    GatewayExtensions extensions;   // path-item extensions merged in; the operation's win
    QStringList tags;
    bool deprecated = false;
    QList<QUrl> servers;            // operation- or path-level `servers` (3.x); empty = the API's
    EndpointSet serverEndpoints;    // servers[0] of those, when absolute
    SourceLocation location;        // the operation's key (e.g. "get:")
};

struct ApiSpec
{
    QString file;                // relative to the project directory
    OpenApiVersion version = OpenApiVersion::OpenApi30;
    QString title;
    QString apiVersion;          // info.version
    QString basePath;            // resolved: x-gatehouse-basePath / x-wso2-basePath / path of servers[0];
                                 // starts with "/", no trailing "/" except the root "/"
    QString basePathTemplate;    // as written, may contain "{version}"
    QList<QUrl> servers;         // servers[].url (Swagger 2: schemes + host + basePath)
    EndpointSet serverEndpoints; // servers[0] as an endpoint set (the default upstream)
    QList<Operation> operations;
    QMap<QString, SecurityScheme> securitySchemes;
    QList<SecurityRequirement> security;   // root-level requirement (OR of ANDs)
    GatewayExtensions extensions;
    SourceLocation location;     // the document root
    QJsonObject document;        // the whole document as JSON (for validation and the editors)
};

// The upstream an operation calls, most specific first: the operation's production endpoints
// extension, the API's, then the operation's own servers[0], then the API's servers[0].
// Extensions beat `servers` because servers often name the public (gateway) address.
const EndpointSet &effectiveEndpoints(const ApiSpec &api, const Operation &op);

} // namespace Gatehouse
