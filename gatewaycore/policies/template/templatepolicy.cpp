// The body-template policy: settings, compilation per route and the filter rendering bodies.
#include "templatepolicy.h"

#include "bodytemplate.h"

#include "pipeline/requestcontext.h"
#include "policies/headers/headerpolicies.h"
#include "policies/registry/policyregistry.h"
#include "project/gatewayconfig.h"
#include "proxy/router.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUrl>

namespace Gatehouse {

Q_LOGGING_CATEGORY(lcTemplate, "gatehouse.policy.template")

namespace {

struct Side
{
    bool enabled = false;
    BodyTemplate compiled;
    QByteArray contentType;
};

QByteArray percentDecoded(QByteArrayView raw, bool plusIsSpace)
{
    QByteArray text = raw.toByteArray();
    if (plusIsSpace)
        text.replace('+', ' ');
    return QByteArray::fromPercentEncoding(text);
}

QByteArray templateQueryValue(QByteArrayView query, QByteArrayView name)
{
    QByteArrayView rest = query.startsWith('?') ? query.sliced(1) : query;
    while (!rest.isEmpty()) {
        const qsizetype amp = rest.indexOf('&');
        const QByteArrayView pair = amp < 0 ? rest : rest.first(amp);
        rest = amp < 0 ? QByteArrayView() : rest.sliced(amp + 1);
        const qsizetype eq = pair.indexOf('=');
        const QByteArrayView key = eq < 0 ? pair : pair.first(eq);
        if (percentDecoded(key, true) == name)
            return percentDecoded(eq < 0 ? QByteArrayView() : pair.sliced(eq + 1), true);
    }
    return {};
}

class BodyTemplateFilter final : public Filter
{
public:
    BodyTemplateFilter(Side request, Side response, qint64 maxBodyBytes, QStringList pathParams)
        : m_request(std::move(request)), m_response(std::move(response)), m_maxBodyBytes(maxBodyBytes),
          m_pathParams(std::move(pathParams)) {}

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override { return QLatin1StringView("body-template"); }
    FilterStatus onRequest(RequestContext &ctx) const override
    {
        (void)ctx;
        return FilterStatus::Continue;
    }
    qint64 requestBodyLimit() const override { return m_request.enabled ? m_maxBodyBytes : 0; }
    qint64 responseBodyLimit() const override { return m_response.enabled ? m_maxBodyBytes : 0; }

    FilterStatus onRequestBody(RequestContext &ctx, QByteArray &body) const override
    {
        if (!m_request.enabled)
            return FilterStatus::Continue;
        QJsonDocument json;
        if (m_request.compiled.readsRequestJson()) {
            QJsonParseError error;
            json = QJsonDocument::fromJson(body, &error);
            if (error.error != QJsonParseError::NoError) {
                ctx.respond(400, GatewayErrorCode::BadRequest, QStringLiteral("Bad request"),
                            QStringLiteral("The request body is not JSON (%1 at byte %2), and this operation builds "
                                           "the upstream's request from it").arg(error.errorString()).arg(error.offset + 1));
                return FilterStatus::Respond;
            }
        }
        QByteArray rendered = render(m_request.compiled, ctx, &body, &json, 0, nullptr, nullptr, nullptr);
        if (rendered.size() > m_maxBodyBytes) {
            qCWarning(lcTemplate, "the request template rendered %lld bytes, over maxBodyBytes (%lld)",
                      qint64(rendered.size()), m_maxBodyBytes);
            ctx.respond(500, GatewayErrorCode::BadRequest, QStringLiteral("Internal error"),
                        QStringLiteral("The gateway could not build the request for the upstream"));
            return FilterStatus::Respond;
        }
        body = std::move(rendered);
        setUpstreamHeader(ctx, "Content-Type", m_request.contentType);
        removeUpstreamHeader(ctx, "Content-Encoding");
        return FilterStatus::Continue;
    }

    FilterStatus onResponseBody(RequestContext &ctx, int status, QByteArray &body) const override
    {
        if (!m_response.enabled || status < 200 || status > 299)
            return FilterStatus::Continue;
        QJsonDocument json;
        if (m_response.compiled.readsResponseJson()) {
            QJsonParseError error;
            json = QJsonDocument::fromJson(body, &error);
            if (error.error != QJsonParseError::NoError) {
                qCWarning(lcTemplate, "the upstream's response is not JSON (%s at byte %d); the response template "
                                      "reads it", qUtf8Printable(error.errorString()), error.offset + 1);
                ctx.respond(502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                            QStringLiteral("The upstream's response is not the JSON this operation's template reads"));
                return FilterStatus::Respond;
            }
        }
        QByteArray rendered = render(m_response.compiled, ctx, nullptr, nullptr, status, ctx.upstreamResponseHeaders,
                                     &body, &json);
        if (rendered.size() > m_maxBodyBytes) {
            qCWarning(lcTemplate, "the response template rendered %lld bytes, over maxBodyBytes (%lld)",
                      qint64(rendered.size()), m_maxBodyBytes);
            ctx.respond(500, GatewayErrorCode::BadRequest, QStringLiteral("Internal error"),
                        QStringLiteral("The gateway could not build the response"));
            return FilterStatus::Respond;
        }
        body = std::move(rendered);
        setResponseHeader(ctx, "Content-Type", m_response.contentType);
        removeResponseHeader(ctx, "Content-Encoding");
        return FilterStatus::Continue;
    }

private:
    QByteArray render(const BodyTemplate &t, const RequestContext &ctx, const QByteArray *requestBody,
                      const QJsonDocument *requestJson, int status, const Http1FieldList *responseFields,
                      const QByteArray *responseBody, const QJsonDocument *responseJson) const
    {
        Router::Match match;
        bool matched = false;
        return t.render([&](const BodyTemplate::Part &p) {
            TemplateValue v;
            auto text = [&v](QByteArray value, bool present = true) {
                v.present = present;
                v.text = std::move(value);
            };
            auto jsonValue = [&v](const QJsonValue &value) {
                v.present = !value.isUndefined();
                v.isJson = true;
                v.json = value;
            };
            switch (p.source) {
            case TemplateSource::Method: text(ctx.method.toByteArray()); break;
            case TemplateSource::Path: text(ctx.path.toByteArray()); break;
            case TemplateSource::Header: {
                const QByteArrayView h = ctx.header(p.name);
                text(h.toByteArray(), !h.isNull());
                break;
            }
            case TemplateSource::Query: {
                const QByteArray q = templateQueryValue(ctx.query, p.name);
                text(q, !q.isNull());
                break;
            }
            case TemplateSource::PathParam: {
                if (!matched && ctx.config) {
                    match = ctx.config->router.match(ctx.method, ctx.path);
                    matched = true;
                }
                const qsizetype index = m_pathParams.indexOf(QString::fromUtf8(p.name));
                if (index >= 0 && index < match.params.size())
                    text(percentDecoded(match.params.at(index), false));
                break;
            }
            case TemplateSource::RequestBody: if (requestBody) text(*requestBody); break;
            case TemplateSource::RequestJson:
                if (requestJson)
                    jsonValue(BodyTemplate::resolvePointer(*requestJson, p.name));
                break;
            case TemplateSource::Subject: text(ctx.caller().subject.toUtf8(), ctx.principal != nullptr); break;
            case TemplateSource::Scopes: text(ctx.caller().scopes.join(u' ').toUtf8(), ctx.principal != nullptr); break;
            case TemplateSource::Issuer: text(ctx.caller().issuer.toUtf8(), ctx.principal != nullptr); break;
            case TemplateSource::Application:
                text(ctx.caller().application.toUtf8(), !ctx.caller().application.isEmpty());
                break;
            case TemplateSource::Claim: jsonValue(ctx.caller().claims.value(QString::fromUtf8(p.name))); break;
            case TemplateSource::OperationId: if (ctx.route) text(ctx.route->operationId.toUtf8()); break;
            case TemplateSource::ApiName: if (ctx.route && ctx.route->api) text(ctx.route->api->name.toUtf8()); break;
            case TemplateSource::ApiVersion: if (ctx.route && ctx.route->api) text(ctx.route->api->version.toUtf8()); break;
            case TemplateSource::Now:
                text(QDateTime::fromSecsSinceEpoch(ctx.nowSeconds, Qt::UTC).toString(Qt::ISODate).toUtf8());
                break;
            case TemplateSource::ClientIp: text(ctx.peer.toString().toUtf8(), !ctx.peer.isNull()); break;
            case TemplateSource::Status: jsonValue(QJsonValue(status)); break;
            case TemplateSource::ResponseHeader:
                if (responseFields) {
                    const QByteArrayView h = responseFields->value(p.name);
                    text(h.toByteArray(), !h.isNull());
                }
                break;
            case TemplateSource::ResponseBody: if (responseBody) text(*responseBody); break;
            case TemplateSource::ResponseJson:
                if (responseJson)
                    jsonValue(BodyTemplate::resolvePointer(*responseJson, p.name));
                break;
            }
            return v;
        });
    }

    Side m_request;
    Side m_response;
    qint64 m_maxBodyBytes;
    QStringList m_pathParams;
};

bool compileSide(const PolicyBuildContext &ctx, const QJsonObject &settings, const QString &key, bool response,
                 const QStringList &pathParams, Side &side)
{
    if (!settings.contains(key))
        return true;
    const QJsonObject s = settings.value(key).toObject();
    side.enabled = true;
    side.contentType = s.value(u"contentType").toString().toUtf8();
    QStringList problems;
    if (!side.compiled.compile(s.value(u"template").toString(), bodyKindOf(side.contentType), response, pathParams,
                               problems)) {
        for (const QString &p : problems)
            ctx.error(QStringLiteral("settings.%1.template: %2").arg(key, p));
        return false;
    }
    return true;
}

std::shared_ptr<const Filter> buildTemplate(const PolicyBuildContext &ctx)
{
    QStringList pathParams;
    for (const QString &n : ctx.config.router.parameterNames(ctx.route.id))
        pathParams.append(n);
    Side request;
    Side response;
    const bool ok = compileSide(ctx, ctx.settings, QStringLiteral("request"), false, pathParams, request);
    if (!compileSide(ctx, ctx.settings, QStringLiteral("response"), true, pathParams, response) || !ok)
        return nullptr;
    return std::make_shared<const BodyTemplateFilter>(std::move(request), std::move(response),
                                                      ctx.settings.value(u"maxBodyBytes").toInteger(), pathParams);
}

void checkTemplate(const QJsonObject &settings, QStringList &problems)
{
    if (!settings.contains(u"request") && !settings.contains(u"response"))
        problems.append(QStringLiteral("settings: give a 'request' or a 'response' template (or both)"));
    // The template itself is compiled when the route is built (it needs the route's path parameters).
}

SettingSchema sideSchema(const QString &what)
{
    return SettingSchema::object(
        {
            {QStringLiteral("template"), SettingSchema::text(QStringLiteral("The body, with ${...} substitutions"))
                                             .asRequired()},
            {QStringLiteral("contentType"), SettingSchema::text(QStringLiteral("Its Content-Type; decides the escaping"))
                                                .withPattern(QStringLiteral("[^\\r\\n\\x00]+"), QStringLiteral("a media type"))
                                                .withDefault(QStringLiteral("application/json"))},
        },
        what);
}

} // namespace

PolicyDescriptor bodyTemplatePolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("body-template");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral(
        "Builds the request body sent upstream and/or the response body the client gets (2xx) from a template "
        "with substitutions from the request, the caller, the context and the upstream's response, escaped for "
        "the template's content type so that no value changes the document's structure.");
    d.priority = 320;
    d.requestPhase = true;
    d.responsePhase = true;
    d.settings = SettingSchema::object({
        {QStringLiteral("request"), sideSchema(QStringLiteral("The request body sent upstream"))},
        {QStringLiteral("response"), sideSchema(QStringLiteral("The response body of 2xx answers"))},
        {QStringLiteral("maxBodyBytes"),
         SettingSchema::integer(QStringLiteral("The largest body (bytes) read or built; a larger request is answered "
                                               "413, a larger response 502"))
             .withRange(1, 67108864)
             .withDefault(1048576)},
    });
    d.notes = QStringLiteral(
                  "The content type decides the escaping: JSON (`application/json`, `*/*+json`): inside a string "
                  "literal a value is string content (`\"` `\\` and control characters escaped); elsewhere it is a "
                  "whole JSON value — text as a quoted string, a JSON pointer's or claim's value as JSON, an absent "
                  "value `null`. XML (`application/xml`, `text/xml`, `*/*+xml`): values are escaped character data, "
                  "allowed in element text and quoted attribute values only. Other types get values as they are. "
                  "The template is compiled when the configuration is applied: an unknown variable, a path parameter "
                  "the operation lacks, a substitution inside an XML tag, comment or CDATA section, or a template "
                  "that is not JSON / well-formed XML with its substitutions empty is reported by `gatehoused check` "
                  "at the attachment. At run time a request body that is not JSON while the template reads it is "
                  "answered 400, an upstream's that is not 502, a rendered body over `maxBodyBytes` 500 (the cause "
                  "is logged, category `gatehouse.policy.template`). `$${` writes a literal `${`.\n\n")
              + BodyTemplate::variablesHelp();
    d.check = &checkTemplate;
    d.build = &buildTemplate;
    return d;
}

} // namespace Gatehouse
