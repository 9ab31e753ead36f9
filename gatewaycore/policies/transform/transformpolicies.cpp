// json-to-xml and xml-to-json: the JSON <-> XML converter on request and response bodies.
#include "transformpolicies.h"

#include "jsonxml.h"

#include "pipeline/requestcontext.h"
#include "policies/headers/headerpolicies.h"
#include "policies/registry/policyregistry.h"
#include "policies/validate/operationschemas.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Gatehouse {

namespace {

enum class Direction { ToXml = 1, ToJson };

class TransformFilter final : public Filter
{
public:
    TransformFilter(Direction direction, const QJsonObject &settings)
        : m_direction(direction), m_rootName(settings.value(u"rootName").toString()),
          m_contentType(settings.value(u"contentType").toString().toLatin1())
    {
        const QString apply = settings.value(u"apply").toString();
        m_request = apply != u"response";
        m_response = apply != u"request";
        const qint64 max = settings.value(u"maxBodyBytes").toInteger();
        m_limits.maxInputBytes = max;
        m_limits.maxDepth = settings.value(u"maxDepth").toInt();
        m_maxBodyBytes = max;
    }

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override
    {
        return m_direction == Direction::ToXml ? QLatin1StringView("json-to-xml") : QLatin1StringView("xml-to-json");
    }
    FilterStatus onRequest(RequestContext &) const override { return FilterStatus::Continue; }
    qint64 requestBodyLimit() const override { return m_request ? m_maxBodyBytes : 0; }
    qint64 responseBodyLimit() const override { return m_response ? m_maxBodyBytes : 0; }

    FilterStatus onRequestBody(RequestContext &ctx, QByteArray &body) const override
    {
        if (!m_request || !applies(currentUpstreamHeader(ctx, "content-type"), ctx.header("content-encoding"), body))
            return FilterStatus::Continue;
        QString error;
        if (!convert(body, &error)) {
            ctx.respond(400, GatewayErrorCode::BadRequest,
                        m_direction == Direction::ToXml ? QStringLiteral("Malformed JSON") : QStringLiteral("Malformed XML"),
                        QStringLiteral("The request body cannot be converted by %1: %2").arg(QString(name()), error));
            return FilterStatus::Respond;
        }
        setUpstreamHeader(ctx, "Content-Type", m_contentType);
        return FilterStatus::Continue;
    }

    FilterStatus onResponseBody(RequestContext &ctx, int status, QByteArray &body) const override
    {
        (void)status;
        if (!m_response)
            return FilterStatus::Continue;
        const QByteArrayView encoding = ctx.upstreamResponseHeaders ? ctx.upstreamResponseHeaders->value("content-encoding")
                                                                    : QByteArrayView();
        if (!applies(currentResponseHeader(ctx, "content-type"), encoding, body))
            return FilterStatus::Continue;
        QString error;
        if (!convert(body, &error)) {
            ctx.respond(502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                        QStringLiteral("The upstream's response cannot be converted by %1: %2").arg(QString(name()), error));
            return FilterStatus::Respond;
        }
        setResponseHeader(ctx, "Content-Type", m_contentType);
        return FilterStatus::Continue;
    }

private:
    // Converts bodies of the source type only; empty and compressed bodies pass untouched.
    bool applies(QByteArrayView contentType, QByteArrayView contentEncoding, const QByteArray &body) const
    {
        if (body.isEmpty())
            return false;
        const QByteArrayView e = contentEncoding.trimmed();
        if (!e.isEmpty() && e.compare("identity", Qt::CaseInsensitive) != 0)
            return false;
        return m_direction == Direction::ToXml ? isJsonMediaType(contentType) : isXmlMediaType(contentType);
    }

    bool convert(QByteArray &body, QString *error) const
    {
        if (m_direction == Direction::ToXml) {
            Result<QByteArray> xml = jsonBodyToXml(body, m_rootName, m_limits);
            if (!xml) {
                *error = xml.error().message;
                return false;
            }
            body = std::move(*xml);
            return true;
        }
        Result<QByteArray> json = xmlBodyToJson(body, m_limits);
        if (!json) {
            *error = json.error().message;
            return false;
        }
        body = std::move(*json);
        return true;
    }

    Direction m_direction;
    QString m_rootName;
    QByteArray m_contentType;
    bool m_request = true;
    bool m_response = false;
    JsonXmlLimits m_limits;
    qint64 m_maxBodyBytes = 0;
};

PolicyDescriptor transformPolicy(Direction direction)
{
    const bool toXml = direction == Direction::ToXml;
    PolicyDescriptor d;
    d.name = toXml ? QStringLiteral("json-to-xml") : QStringLiteral("xml-to-json");
    d.version = QStringLiteral("1.0");
    d.description = toXml ? QStringLiteral("Converts JSON bodies (application/json, */*+json) to XML by the rules under "
                                           "\"JSON and XML\"; other bodies pass untouched. JSON that does not parse is "
                                           "answered 400 on requests and 502 on responses.")
                          : QStringLiteral("Converts XML bodies (application/xml, text/xml, */*+xml) to JSON by the "
                                           "rules under \"JSON and XML\"; other bodies pass untouched. XML that does not "
                                           "parse (or has a DTD) is answered 400 on requests and 502 on responses.");
    d.priority = toXml ? 310 : 300;
    d.requestPhase = true;
    d.responsePhase = true;
    std::vector<SettingProperty> settings{
        {QStringLiteral("apply"), SettingSchema::text(QStringLiteral("Which bodies to convert"))
                                      .withEnum({QStringLiteral("request"), QStringLiteral("response"), QStringLiteral("both")})
                                      .withDefault(toXml ? QStringLiteral("request") : QStringLiteral("response"))},
        {QStringLiteral("contentType"), SettingSchema::text(QStringLiteral("The Content-Type of the converted body"))
                                            .withPattern(QStringLiteral("[^\\r\\n\\x00]+"), QStringLiteral("a media type"))
                                            .withDefault(toXml ? QStringLiteral("application/xml") : QStringLiteral("application/json"))},
        {QStringLiteral("maxBodyBytes"), SettingSchema::integer(QStringLiteral("The largest body (bytes) converted; a larger "
                                                                               "request is answered 413, a larger response 502"))
                                             .withRange(1, 64.0 * 1024 * 1024)
                                             .withDefault(1024 * 1024)},
        {QStringLiteral("maxDepth"), SettingSchema::integer(QStringLiteral("Deepest nesting accepted"))
                                         .withRange(1, 512)
                                         .withDefault(64)},
    };
    if (toXml)
        settings.insert(settings.begin() + 1, {QStringLiteral("rootName"), SettingSchema::text(QStringLiteral(
                                                   "The element wrapping JSON that is not one object with one member"))
                                                   .withPattern(QStringLiteral("[A-Za-z_][A-Za-z0-9_.-]*"), QStringLiteral("an XML name"))
                                                   .withDefault(QStringLiteral("root"))});
    d.settings = SettingSchema::object(std::move(settings));
    d.build = toXml ? +[](const PolicyBuildContext &ctx) -> std::shared_ptr<const Filter> {
        return std::make_shared<const TransformFilter>(Direction::ToXml, ctx.settings);
    }
                    : +[](const PolicyBuildContext &ctx) -> std::shared_ptr<const Filter> {
                          return std::make_shared<const TransformFilter>(Direction::ToJson, ctx.settings);
                      };
    return d;
}

} // namespace

PolicyDescriptor jsonToXmlPolicy()
{
    return transformPolicy(Direction::ToXml);
}

PolicyDescriptor xmlToJsonPolicy()
{
    return transformPolicy(Direction::ToJson);
}

} // namespace Gatehouse
