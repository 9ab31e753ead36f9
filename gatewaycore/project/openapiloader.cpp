// The OpenAPI loader's entry points: version, info, servers, base path; the parts are called here.
#include "openapiloader.h"

#include "openapicontext.h"
#include "project.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace Gatehouse {

namespace OpenApi {

constexpr qint64 kMaxApiFileBytes = 16 * 1024 * 1024;

namespace {

QString normaliseBasePath(QString path)
{
    if (!path.startsWith(u'/'))
        path.prepend(u'/');
    while (path.size() > 1 && path.endsWith(u'/'))
        path.chop(1);
    return path;
}

// The text of `openapi:` / `swagger:` / `version:` as written, also when YAML made it a number.
QString versionText(const Node &n)
{
    if (n.value.isString())
        return n.value.toString();
    if (n.value.isDouble()) {
        const QString written = n.doc->scalarText(n.pointer);
        return written.isEmpty() ? QString::number(n.value.toDouble()) : written;
    }
    return {};
}

std::optional<OpenApiVersion> detectVersion(const Node &root, Diagnostics &diags)
{
    const Node openapi = root[u"openapi"];
    const Node swagger = root[u"swagger"];
    if (openapi.value.isUndefined() && swagger.value.isUndefined()) {
        diags.error(root.location(), QStringLiteral("this is not an OpenAPI document: it has no "
                                                    "'openapi' (or Swagger 2 'swagger') field at the top"));
        return std::nullopt;
    }
    const Node field = openapi.value.isUndefined() ? swagger : openapi;
    const QString name = openapi.value.isUndefined() ? QStringLiteral("swagger") : QStringLiteral("openapi");
    if (!openapi.value.isUndefined() && !swagger.value.isUndefined()) {
        diags.error(swagger.keyLocation(), QStringLiteral("a document has either 'openapi' or 'swagger', "
                                                          "not both; remove 'swagger'"));
    }
    const QString text = versionText(field);
    if (text.isEmpty()) {
        diags.error(field.location(), QStringLiteral("'%1' must be a version string such as '3.1.0', "
                                                     "found %2")
                                          .arg(name, jsonKindName(field.value)));
        return std::nullopt;
    }
    if (field.value.isDouble()) {
        diags.warning(field.location(), QStringLiteral("'%1: %2' is read as a number; write it in "
                                                       "quotes ('%2') so it stays a version string")
                                            .arg(name, text));
    }
    if (name == u"swagger") {
        if (text == u"2.0")
            return OpenApiVersion::Swagger20;
        diags.error(field.location(), QStringLiteral("unsupported Swagger version '%1' (Gatehouse reads "
                                                     "Swagger 2.0 and OpenAPI 3.0.x and 3.1.x)")
                                          .arg(text));
        return std::nullopt;
    }
    static const QRegularExpression v3(QStringLiteral("^3\\.([01])(\\.\\d+)?(-.+)?$"));
    const QRegularExpressionMatch m = v3.match(text);
    if (!m.hasMatch()) {
        diags.error(field.location(), QStringLiteral("unsupported OpenAPI version '%1' (Gatehouse reads "
                                                     "OpenAPI 3.0.x and 3.1.x, and Swagger 2.0)")
                                          .arg(text));
        return std::nullopt;
    }
    if (m.captured(2).isEmpty()) {
        diags.warning(field.location(), QStringLiteral("write the full version with its patch number, "
                                                       "for example '%1.0'")
                                            .arg(text));
    }
    return m.captured(1) == u"0" ? OpenApiVersion::OpenApi30 : OpenApiVersion::OpenApi31;
}

void readInfo(Context &ctx, ApiSpec &spec)
{
    const Node info = ctx.root[u"info"];
    if (info.value.isUndefined()) {
        ctx.error(ctx.root.location(), QStringLiteral("the document has no 'info' section: add one with "
                                                      "the API's title and version"));
        return;
    }
    if (!ctx.isObject(info, QStringLiteral("info")))
        return;
    if (!info.has(u"title"))
        ctx.error(info.keyLocation(), QStringLiteral("'info' has no 'title': name the API"));
    spec.title = ctx.string(info[u"title"], QStringLiteral("title")).value_or(QString());
    const Node version = info[u"version"];
    if (version.value.isUndefined())
        ctx.error(info.keyLocation(), QStringLiteral("'info' has no 'version': give the API's version, "
                                                     "for example '1.0.0'"));
    else if (!version.value.isString() && !version.value.isDouble())
        ctx.wrongKind(version, QStringLiteral("version"), QStringLiteral("a string"));
    else
        spec.apiVersion = versionText(version);
}

// Substitutes server variables by their defaults ("https://{region}.x.com" -> "https://eu.x.com").
QString expandServerUrl(Context &ctx, const Node &server, const QString &url)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{([^{}]*)\\}"));
    const QJsonObject variables = server[u"variables"].object();
    QString out;
    qsizetype last = 0;
    for (auto it = placeholder.globalMatch(url); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(url).mid(last, m.capturedStart() - last);
        last = m.capturedEnd();
        const QString name = m.captured(1);
        const QJsonValue variable = variables.value(name);
        if (variable.toObject().value(QStringLiteral("default")).isString()) {
            out += variable.toObject().value(QStringLiteral("default")).toString();
        } else {
            if (!variables.contains(name)) {
                ctx.error(server[u"url"].location(), QStringLiteral("server URL '%1' uses '{%2}' but the "
                                                                    "server defines no variable '%2'")
                                                         .arg(url, name));
            }
            out += m.captured(0);
        }
    }
    out += QStringView(url).mid(last);
    return out;
}

} // namespace

// Servers of a 3.x servers list (API, path or operation level): expanded URLs and the upstream.
void readServerList(Context &ctx, const Node &servers, QList<QUrl> &urls, EndpointSet &upstream,
                    bool noteRelative)
{
    if (!servers.value.isArray())
        return;   // checkStructure reports the wrong kind
    const QJsonArray list = servers.array();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const Node server = servers[i];
        const std::optional<QString> url = ctx.string(server[u"url"], QStringLiteral("url"));
        if (!url)
            continue;
        const QString expanded = expandServerUrl(ctx, server, *url);
        urls.append(QUrl(expanded));
        if (i != 0 || expanded.contains(u'{'))
            continue;   // an unresolved variable is reported by expandServerUrl already
        const QUrl &first = urls.last();
        if (first.isRelative()) {
            if (noteRelative) {
                ctx.note(server[u"url"].location(),
                         QStringLiteral("server URL '%1' is relative, so it does not tell the gateway "
                                        "where to send requests; set x-gatehouse-production-endpoints "
                                        "(its path '%2' is still used as the base path)")
                             .arg(*url, normaliseBasePath(first.path())));
            }
            continue;
        }
        if (const QString problem = endpointUrlProblem(first); !problem.isEmpty()) {
            ctx.warning(server[u"url"].location(), QStringLiteral("server URL '%1' cannot be the upstream "
                                                                  "of the gateway: %2")
                                                       .arg(*url, problem));
            continue;
        }
        upstream.urls = {first};
        upstream.http2 = first.scheme() == u"h2c";
        upstream.strategy = EndpointStrategy::Single;
        upstream.location = server[u"url"].location();
    }
}

namespace {

void readSwaggerServers(Context &ctx, ApiSpec &spec, bool noteMissingHost)
{
    const std::optional<QString> host = ctx.string(ctx.root[u"host"], QStringLiteral("host"));
    const std::optional<QString> basePath = ctx.string(ctx.root[u"basePath"], QStringLiteral("basePath"));
    const QStringList schemes = ctx.stringList(ctx.root[u"schemes"], QStringLiteral("schemes"))
                                    .value_or(QStringList());
    if (basePath && !basePath->startsWith(u'/'))
        ctx.error(ctx.root[u"basePath"].location(), QStringLiteral("basePath '%1' must start with '/'")
                                                        .arg(*basePath));
    spec.basePath = normaliseBasePath(basePath.value_or(QString()));
    if (!host || host->isEmpty()) {
        spec.servers.append(QUrl(spec.basePath));
        if (noteMissingHost) {
            ctx.note(ctx.root.location(), QStringLiteral("the document has no 'host', so it does not tell the "
                                                         "gateway where to send requests; set "
                                                         "x-gatehouse-production-endpoints (basePath '%1' is "
                                                         "still used as the base path)")
                                              .arg(spec.basePath));
        }
        return;
    }
    if (host->contains(u'/') || host->contains(u'{')) {
        ctx.error(ctx.root[u"host"].location(), QStringLiteral("host '%1' must be a host name with an "
                                                               "optional port, without scheme or path")
                                                    .arg(*host));
        return;
    }
    // Without `schemes` the document is served over the scheme it was fetched with; https is the
    // safe guess for an upstream.
    const QStringList used = schemes.isEmpty() ? QStringList{QStringLiteral("https")} : schemes;
    for (const QString &scheme : used) {
        const QUrl url(scheme + QStringLiteral("://") + *host
                       + (spec.basePath == u"/" ? QString() : spec.basePath));
        spec.servers.append(url);
        if (spec.serverEndpoints.isEmpty() && endpointUrlProblem(url).isEmpty()) {
            spec.serverEndpoints.urls = {url};
            spec.serverEndpoints.strategy = EndpointStrategy::Single;
            spec.serverEndpoints.location = ctx.root[u"host"].location();
        }
    }
    if (spec.serverEndpoints.isEmpty()) {
        ctx.warning(ctx.root[u"schemes"].location(), QStringLiteral("none of the schemes %1 is http or "
                                                                    "https, so host '%2' cannot be the "
                                                                    "upstream")
                                                         .arg(used.join(QStringLiteral(", ")), *host));
    }
}

void readBasePath(Context &ctx, ApiSpec &spec)
{
    SourceLocation where;
    const QString written = readBasePathExtension(ctx, &where);
    if (written.isEmpty())
        return;
    spec.basePathTemplate = written;
    QString resolved = written;
    if (written.contains(QStringLiteral("{version}"))) {
        if (spec.apiVersion.isEmpty())
            ctx.error(where, QStringLiteral("the base path '%1' uses {version}, but info.version is not "
                                            "set")
                                 .arg(written));
        resolved.replace(QStringLiteral("{version}"), spec.apiVersion);
    }
    static const QRegularExpression other(QStringLiteral("\\{([^{}]*)\\}"));
    const QRegularExpressionMatch m = other.match(resolved);
    if (m.hasMatch()) {
        ctx.error(where, QStringLiteral("the base path '%1' uses '{%2}'; only {version} (replaced by "
                                        "info.version) is supported")
                             .arg(written, m.captured(1)));
    }
    spec.basePath = normaliseBasePath(resolved);
}

std::optional<ApiSpec> load(const QString &projectDir, const QString &relativePath,
                            const QByteArray &text, Diagnostics &diagnostics)
{
    std::shared_ptr<const SourceDocument> doc = SourceDocument::parse(text, relativePath, diagnostics);
    if (!doc)
        return std::nullopt;
    const Node root{doc.get(), QString(), doc->root()};
    if (!root.value.isObject()) {
        diagnostics.error(root.location(), root.value.isNull()
                                               ? QStringLiteral("the file is empty: an OpenAPI document "
                                                                "starts with 'openapi: 3.1.0'")
                                               : QStringLiteral("an OpenAPI document must be a map at the "
                                                                "top level, found %1")
                                                     .arg(jsonKindName(root.value)));
        return std::nullopt;
    }
    const std::optional<OpenApiVersion> version = detectVersion(root, diagnostics);
    if (!version)
        return std::nullopt;

    Context ctx(projectDir, QDir::cleanPath(relativePath), doc, diagnostics, *version);
    ApiSpec spec;
    spec.file = relativePath;
    spec.version = *version;
    spec.location = {relativePath, 1, 1};
    spec.document = root.object();

    checkStructure(ctx);
    readInfo(ctx, spec);
    readSecuritySchemes(ctx, spec);
    if (std::optional<QList<SecurityRequirement>> security = readSecurity(ctx, ctx.root[u"security"], spec))
        spec.security = std::move(*security);
    spec.extensions = readExtensions(ctx, ctx.root, ExtensionLevel::Api);
    const bool hasEndpoints = spec.extensions.productionEndpoints.has_value();
    if (ctx.isSwagger()) {
        readSwaggerServers(ctx, spec, !hasEndpoints);
    } else {
        readServerList(ctx, ctx.root[u"servers"], spec.servers, spec.serverEndpoints, !hasEndpoints);
        spec.basePath = normaliseBasePath(spec.servers.isEmpty() ? QString() : spec.servers.first().path());
    }
    readBasePath(ctx, spec);
    const Node paths = ctx.root[u"paths"];
    if (paths.value.isUndefined() && !ctx.is31()) {
        ctx.error(ctx.root.location(), QStringLiteral("the document has no 'paths' section, so the API "
                                                      "has no operations"));
    }
    readPaths(ctx, spec);
    ctx.refs.checkAllRefs();
    return spec;
}

} // namespace

} // namespace OpenApi

std::optional<ApiSpec> loadOpenApiText(const QString &projectDir, const QString &relativePath,
                                       const QByteArray &text, Diagnostics &diagnostics)
{
    try {
        return OpenApi::load(projectDir, relativePath, text, diagnostics);
    } catch (const std::exception &e) {
        diagnostics.error({relativePath, 0, 0}, QStringLiteral("internal error while reading the API: %1")
                                                    .arg(QString::fromLocal8Bit(e.what())));
    } catch (...) {
        diagnostics.error({relativePath, 0, 0}, QStringLiteral("internal error while reading the API"));
    }
    return std::nullopt;
}

std::optional<ApiSpec> loadOpenApiFile(const QString &projectDir, const QString &relativePath,
                                       Diagnostics &diagnostics)
{
    QFile file(QDir(projectDir).filePath(relativePath));
    if (!file.open(QIODevice::ReadOnly)) {
        diagnostics.error({relativePath, 0, 0}, QStringLiteral("cannot read the file: %1").arg(file.errorString()));
        return std::nullopt;
    }
    if (file.size() > OpenApi::kMaxApiFileBytes) {
        diagnostics.error({relativePath, 0, 0}, QStringLiteral("the file is larger than 16 MiB; split it "
                                                               "into files that refer to each other with $ref"));
        return std::nullopt;
    }
    return loadOpenApiText(projectDir, relativePath, file.readAll(), diagnostics);
}

} // namespace Gatehouse
