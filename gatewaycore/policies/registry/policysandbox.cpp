// The sample run: a one-route config (so path parameters and templates resolve as on the data
// path), the route's interceptor stage from makePolicyFilter(), and its hooks in the exchange's
// order, with the field edits applied as the proxy applies them (forwarding.h).
#include "policysandbox.h"

#include "pipeline/gatewayservices.h"
#include "pipeline/requestcontext.h"
#include "policychainfilter.h"
#include "project/gatewayconfig.h"
#include "proxy/errorresponse.h"

#include <QDateTime>
#include <QTemporaryDir>

#include <optional>

namespace Gatehouse {

namespace {

void toFields(const HeaderList &headers, Http1FieldList &fields)
{
    for (const auto &[name, value] : headers)
        fields.append(name, value);
}

HeaderList withEdits(const HeaderList &original, const QList<QByteArray> &removed,
                     const QList<OwnedField> &added)
{
    HeaderList out;
    for (const auto &field : original)
        if (!RequestContext::namedIn(removed, field.first))
            out.append(field);
    for (const OwnedField &f : added)
        out.append({f.name, f.value});
    return out;
}

// The body leaves with its own length, as the proxy sends a buffered body.
void setContentLength(HeaderList &headers, qsizetype length, bool hasBody)
{
    headers.removeIf([](const QPair<QByteArray, QByteArray> &f) {
        return httpEqualsIgnoreCase(f.first, "content-length");
    });
    if (hasBody)
        headers.append({QByteArrayLiteral("Content-Length"), QByteArray::number(length)});
}

void answer(PolicySandboxResult &result, const RequestContext &ctx)
{
    result.answeredByGateway = true;
    result.response.status = ctx.error.status;
    result.response.body = errorBody(ctx.error);
    result.response.headers.clear();
    if (const QByteArrayView type = errorContentType(ctx.error); !type.isEmpty())
        result.response.headers.append({QByteArrayLiteral("Content-Type"), type.toByteArray()});
    for (const OwnedField &f : ctx.responseHeaders)
        result.response.headers.append({f.name, f.value});
    setContentLength(result.response.headers, result.response.body.size(),
                     statusHasBody(result.response.status));
}

} // namespace

PolicySandboxResult runPolicySandbox(const PolicySandboxInput &input)
{
    PolicySandboxResult result;
    const SampleRequest &request = input.request;

    auto api = std::make_shared<ApiConfig>();
    api->name = input.apiName;
    api->version = input.apiVersion;
    api->basePath = input.basePath;
    // Services write what a project lacks (the API-key issuer's keys) below the project folder:
    // without one, a scratch folder takes that, never the current directory.
    std::optional<QTemporaryDir> scratch;
    QString projectDir = input.projectDir;
    if (projectDir.isEmpty()) {
        scratch.emplace();
        projectDir = scratch->path();
    }
    GatewayConfig config;
    config.projectDir = projectDir;
    Route route;
    route.id = 0;
    route.api = api;
    route.method = input.operationMethod.isEmpty() ? QString::fromLatin1(request.method)
                                                   : input.operationMethod;
    const QString below = input.pathTemplate.isEmpty()
                              ? QString::fromUtf8(request.path.mid(input.basePath.toUtf8().size()))
                              : input.pathTemplate;
    route.pathTemplate = input.basePath + below;
    route.basePath = input.basePath.toUtf8();
    route.operationId = input.operationId;
    route.requestPolicies = input.requestPolicies;
    route.responsePolicies = input.responsePolicies;
    if (const auto added = config.router.add(route.method.toUtf8(), route.pathTemplate, 0); !added) {
        result.diagnostics.error({}, QStringLiteral("the path template %1 cannot be routed: %2")
                                         .arg(route.pathTemplate, added.error().message));
        return result;
    }
    config.routes.append(route);

    GatewayServices services(1, projectDir);
    services.configure(config, result.diagnostics);
    const std::shared_ptr<const Filter> filter
        = result.diagnostics.hasErrors()
              ? nullptr
              : makePolicyFilter(config.routes.first(), config, services, result.diagnostics);
    if (result.diagnostics.hasErrors())
        return result;
    result.built = true;

    // The request as the proxy hands it to the filters.
    Http1FieldList requestFields;
    toFields(request.headers, requestFields);
    RequestContext ctx;
    ctx.method = request.method;
    ctx.path = request.path;
    ctx.query = request.query;
    ctx.headers = &requestFields;
    ctx.peer = QHostAddress::LocalHost;
    ctx.config = &config;
    ctx.route = &config.routes.first();
    ctx.startNs = 0;
    ctx.nowSeconds = QDateTime::currentSecsSinceEpoch();
    ctx.recordDecisions = true;

    QByteArray requestBody = request.body;
    result.upstreamRequest = request;
    if (!request.path.startsWith(route.basePath)) {
        result.note = QStringLiteral("the sample path does not start with the API's base path %1")
                          .arg(input.basePath);
        return result;
    }
    result.upstreamRequest.path = request.path.mid(route.basePath.size());
    if (result.upstreamRequest.path.isEmpty())
        result.upstreamRequest.path = "/";

    FilterStatus status = filter ? filter->onRequest(ctx) : FilterStatus::Continue;
    if (status == FilterStatus::Continue && filter && filter->requestBodyLimit() > 0) {
        if (requestBody.size() > filter->requestBodyLimit()) {
            ctx.respond(413, GatewayErrorCode::RequestTooLarge, QStringLiteral("Payload too large"),
                        QStringLiteral("The request body is larger than the %1 bytes a policy reads")
                            .arg(filter->requestBodyLimit()));
            status = FilterStatus::Respond;
        } else {
            status = filter->onRequestBody(ctx, requestBody);
        }
    }
    if (status == FilterStatus::Suspend) {
        result.note = QStringLiteral("a policy waits for something asynchronous (a network call); "
                                     "the sample run cannot follow it");
        return result;
    }
    if (status == FilterStatus::Respond) {
        result.answeredBeforeUpstream = true;
        answer(result, ctx);
        if (filter)
            filter->onComplete(ctx);
        return result;
    }

    SampleRequest &upstream = result.upstreamRequest;
    if (ctx.upstreamPathSet) {
        upstream.path = ctx.upstreamPath.isEmpty() ? QByteArray("/") : ctx.upstreamPath;
        upstream.query = ctx.upstreamQuery;
    }
    upstream.headers = withEdits(request.headers, ctx.removeUpstreamHeaders, ctx.upstreamHeaders);
    upstream.body = requestBody;
    if (requestBody != request.body || !request.body.isEmpty())
        setContentLength(upstream.headers, requestBody.size(), !requestBody.isEmpty());

    // The upstream's answer, through the response hooks.
    const SampleResponse &sample = input.upstreamResponse;
    Http1FieldList responseFields;
    toFields(sample.headers, responseFields);
    ctx.upstreamResponseHeaders = &responseFields;
    QByteArray responseBody = sample.body;
    status = FilterStatus::Continue;
    if (filter) {
        filter->onResponseHead(ctx, sample.status);
        if (filter->responseBodyLimit() > 0 && statusHasBody(sample.status)) {
            if (responseBody.size() > filter->responseBodyLimit() && !filter->responseBodyOptional()) {
                ctx.respond(502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                            QStringLiteral("The upstream's response body is larger than the %1 bytes "
                                           "a policy reads")
                                .arg(filter->responseBodyLimit()));
                status = FilterStatus::Respond;
            } else if (responseBody.size() <= filter->responseBodyLimit()) {
                status = filter->onResponseBody(ctx, sample.status, responseBody);
            }
        }
    }
    if (status == FilterStatus::Respond) {
        answer(result, ctx);
    } else {
        result.response.status = sample.status;
        result.response.headers = withEdits(sample.headers, ctx.removeResponseHeaders, ctx.responseHeaders);
        result.response.body = responseBody;
        if (responseBody != sample.body)
            setContentLength(result.response.headers, responseBody.size(), statusHasBody(sample.status));
    }
    if (filter)
        filter->onComplete(ctx);
    return result;
}

} // namespace Gatehouse
