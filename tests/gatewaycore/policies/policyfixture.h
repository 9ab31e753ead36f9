// Test helper for policy tests: a temporary project compiled with its filter chains, and one
// exchange run through a route's chain (request edits, answer, response head edits).
#pragma once

#include "http/http1head.h"
#include "pipeline/filterchain.h"
#include "pipeline/gatewayservices.h"
#include "pipeline/pipelinebuilder.h"
#include "pipeline/requestcontext.h"
#include "project/gatewayconfig.h"
#include "project/project.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <memory>

namespace Gatehouse::Test {

// An OpenAPI document with operations GET/POST /pets/{petId} and GET /things, base path /zoo;
// `apiLevel` is added at the top level, `petLevel` inside GET /pets/{petId}.
inline QByteArray zooApi(const QByteArray &apiLevel, const QByteArray &petLevel = {})
{
    return "openapi: 3.0.3\n"
           "info: {title: Zoo, version: '2.1'}\n"
           "servers: [{url: 'http://127.0.0.1:1/zoo'}]\n"
           + apiLevel
           + "paths:\n"
             "  /pets/{petId}:\n"
             "    parameters: [{name: petId, in: path, required: true, schema: {type: string}}]\n"
             "    get:\n"
             "      operationId: getPet\n"
           + petLevel
           + "      responses: {'200': {description: ok}}\n"
             "    post:\n"
             "      responses: {'200': {description: ok}}\n"
             "  /things:\n"
             "    get:\n"
             "      responses: {'200': {description: ok}}\n";
}

class PolicyProject
{
public:
    bool write(const QString &relative, const QByteArray &content)
    {
        const QString path = m_dir.filePath(relative);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
    }

    // Load, compile, configure services, build chains. True without errors.
    bool build(int workers = 2)
    {
        diagnostics = Diagnostics();
        const Project project = Project::load(m_dir.path(), diagnostics);
        if (diagnostics.hasErrors())
            return false;
        config = compileProject(project, diagnostics);
        if (!config)
            return false;
        services = std::make_unique<GatewayServices>(workers, project.rootDir);
        services->configure(*config, diagnostics);
        return buildFilterChains(*config, *services, diagnostics) && !diagnostics.hasErrors();
    }

    QString errors() const
    {
        QStringList out;
        for (const Diagnostic &d : diagnostics.items()) {
            if (d.severity == Severity::Error)
                out.append(d.toString());
        }
        return out.join(u'\n');
    }

    QString path() const { return m_dir.path(); }

    Diagnostics diagnostics;
    std::shared_ptr<GatewayConfig> config;
    std::unique_ptr<GatewayServices> services;

private:
    QTemporaryDir m_dir;
};

// One request through the chain of the route it matches.
class Exchange
{
public:
    Exchange(const GatewayConfig &config, const QByteArray &method, const QByteArray &target,
             const QList<std::pair<QByteArray, QByteArray>> &headers = {}, int worker = 0)
        : m_method(method), m_target(target), m_headers(headers)
    {
        for (const auto &[n, v] : m_headers)
            m_fields.append(n, v);
        const qsizetype q = m_target.indexOf('?');
        const QByteArrayView path = q < 0 ? QByteArrayView(m_target) : QByteArrayView(m_target).first(q);
        const Router::Match match = config.router.match(m_method, path);
        if (match.status != Router::MatchStatus::Matched) {
            routed = false;
            return;
        }
        ctx.method = m_method;
        ctx.path = path;
        ctx.query = q < 0 ? QByteArrayView() : QByteArrayView(m_target).sliced(q);
        ctx.headers = &m_fields;
        ctx.config = &config;
        ctx.route = &config.routes.at(match.route);
        ctx.workerIndex = worker;
        ctx.recordDecisions = true;   // tests read the decisions
        const auto &chain = config.chains.at(size_t(match.route));
        status = m_run.start(chain.get(), ctx);
    }
    ~Exchange() { m_run.complete(ctx); }

    void responseHead(int code, const QList<std::pair<QByteArray, QByteArray>> &headers)
    {
        m_responseHeaders = headers;
        for (const auto &[n, v] : m_responseHeaders)
            m_responseFields.append(n, v);
        m_run.responseHead(ctx, code, m_responseFields);
    }

    // The request body through the chain's body hooks (when it needs the body), as the exchange
    // does after the filters passed; `body` is what the upstream would get.
    FilterStatus requestBody(QByteArray &body) { return m_run.requestBody(ctx, body); }

    // The upstream's response (head, then body hooks); `body` is what the client would get.
    FilterStatus response(int code, const QList<std::pair<QByteArray, QByteArray>> &headers, QByteArray &body)
    {
        responseHead(code, headers);
        return m_run.responseBody(ctx, code, m_responseFields, body);
    }

    // What the upstream receives for `name` (after removals and additions); null when absent.
    QByteArray upstreamHeader(QByteArrayView name) const
    {
        for (const OwnedField &f : ctx.upstreamHeaders) {
            if (httpEqualsIgnoreCase(f.name, name))
                return f.value;
        }
        if (RequestContext::namedIn(ctx.removeUpstreamHeaders, name))
            return {};
        return m_fields.value(name).toByteArray();
    }

    // What the client receives for `name` from the upstream's response (after the edits).
    QByteArray clientHeader(QByteArrayView name) const
    {
        for (const OwnedField &f : ctx.responseHeaders) {
            if (httpEqualsIgnoreCase(f.name, name))
                return f.value;
        }
        if (RequestContext::namedIn(ctx.removeResponseHeaders, name))
            return {};
        return m_responseFields.value(name).toByteArray();
    }

    bool routed = true;
    FilterStatus status = FilterStatus::Continue;
    RequestContext ctx;

private:
    QByteArray m_method;
    QByteArray m_target;
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    QList<std::pair<QByteArray, QByteArray>> m_responseHeaders;
    Http1FieldList m_fields;
    Http1FieldList m_responseFields;
    FilterChainRun m_run;
};

} // namespace Gatehouse::Test
