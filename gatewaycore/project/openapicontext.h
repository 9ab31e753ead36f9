// Shared state of one OpenAPI load and the parts of the loader that use it (internal header).
#pragma once

#include "apimodel.h"
#include "openapirefs.h"

#include <QHash>

namespace Gatehouse::OpenApi {

class Context
{
public:
    Context(const QString &projectDir, const QString &relativePath,
            std::shared_ptr<const SourceDocument> main, Diagnostics &diagnostics,
            OpenApiVersion version);

    Diagnostics &diags;
    WorkBudget budget;
    Documents docs;
    RefResolver refs;
    const OpenApiVersion version;
    const Node root;

    bool isSwagger() const { return version == OpenApiVersion::Swagger20; }
    bool is31() const { return version == OpenApiVersion::OpenApi31; }

    void error(const SourceLocation &where, const QString &message) { diags.error(where, message); }
    void warning(const SourceLocation &where, const QString &message) { diags.warning(where, message); }
    void note(const SourceLocation &where, const QString &message) { diags.note(where, message); }

    // Typed reads. An absent value gives nullopt quietly; a value of the wrong kind is reported
    // ("'title' must be a string, found a map") at the value and gives nullopt. `what` names it.
    std::optional<QString> string(const Node &n, const QString &what);
    std::optional<bool> boolean(const Node &n, const QString &what);
    std::optional<qint64> integer(const Node &n, const QString &what, qint64 minimum = 0);
    bool isObject(const Node &n, const QString &what);   // false (reported) when present but not a map
    bool isArray(const Node &n, const QString &what);    // false (reported) when present but not a list
    // A list of strings; a single string is accepted as a one-item list when `allowSingle`.
    std::optional<QStringList> stringList(const Node &n, const QString &what, bool allowSingle = false);
    void wrongKind(const Node &n, const QString &what, const QString &expected);

    // Security schemes that exist but cannot be enforced (HTTP Digest, remote $ref ...), by name,
    // with the reason; a requirement that uses one is an error, not "undeclared".
    QHash<QString, QString> unusableSchemes;

    // Named endpoints of x-gatehouse-endpoints / x-wso2-endpoints, parsed once per entry (by
    // pointer) however often they are referenced.
    struct NamedEndpoint
    {
        std::optional<EndpointSet> set;
        bool passwordFromEnvironment = false;   // MGW: <name>_<prod|sandbox>_basic_password
    };
    QHash<QString, NamedEndpoint> namedEndpoints;
};

// One parameter of a list as read (openapiparameters.cpp), with what the operation reader needs.
struct ReadParameter
{
    Parameter parameter;
    QString in;              // as written; Swagger 2 adds "body" and "formData"
    Node node;               // the parameter object, after $ref
    SourceLocation useSite;  // where the list item is written
};

// A parameter list (path item or operation), every item after $ref; bad items are reported and
// left out, as are duplicates (same name and location) within the list.
QList<ReadParameter> readParameterList(Context &ctx, const Node &list);
// The identity OpenAPI gives parameters: name and location (header names ignore case).
bool sameParameter(const ReadParameter &a, const ReadParameter &b);

// HTTP methods an OpenAPI path item may hold, lower case, in the specification's order.
const QStringList &httpMethods();

// The loader's parts, one file each.
void checkStructure(Context &ctx);                                   // openapistructure.cpp
void readSecuritySchemes(Context &ctx, ApiSpec &spec);               // openapisecurity.cpp
std::optional<QList<SecurityRequirement>> readSecurity(Context &ctx, const Node &security,
                                                       const ApiSpec &spec);
void readPaths(Context &ctx, ApiSpec &spec);                         // openapioperations.cpp
// A 3.x `servers` list: expanded URLs and, from the first absolute http(s) one, the upstream.
void readServerList(Context &ctx, const Node &servers, QList<QUrl> &urls, EndpointSet &upstream,
                    bool noteRelative);                               // openapiloader.cpp
// Shape rules of the JSON schema for one parameter object (style, allowReserved, example ...).
void checkParameterObject(Context &ctx, const Node &parameter);      // openapistructure.cpp

enum class ExtensionLevel { Api = 1, PathItem, Operation };
// x-gatehouse-* and their x-wso2-* aliases (openapiextensions.cpp). For an operation, `pathItem`
// holds the extensions written on its path item: the operation's own win, key by key.
GatewayExtensions readExtensions(Context &ctx, const Node &owner, ExtensionLevel level,
                                 const Node &pathItem = {});
// An endpoint set extension (map, URL, or "#/x-gatehouse-endpoints/NAME"); `environment` is
// "prod" or "sandbox", for MGW's password variables (openapiendpoints.cpp).
std::optional<EndpointSet> readEndpoints(Context &ctx, const Node &value, const QString &written,
                                         const QString &environment);
// x-gatehouse-endpoints / x-wso2-endpoints: every named endpoint, checked once.
void readEndpointRegistry(Context &ctx, const Node &value, const QString &written);
// A warning for each key of `object` outside `known` (x- keys allowed), with a suggestion.
void warnUnknownKeys(Context &ctx, const Node &object, const QStringList &known, const QString &what);
// x-gatehouse-basePath / x-wso2-basePath as written, or empty; reports bad shapes.
QString readBasePathExtension(Context &ctx, SourceLocation *where);
// An endpoint URL check shared by servers and extensions: empty when fine, else the reason.
QString endpointUrlProblem(const QUrl &url);

} // namespace Gatehouse::OpenApi
