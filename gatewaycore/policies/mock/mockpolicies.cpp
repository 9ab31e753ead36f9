// Policies that answer in the gateway's name: mock-response and deny.
#include "mockpolicies.h"

#include "pipeline/requestcontext.h"
#include "policies/headers/headerpolicies.h"
#include "policies/registry/policyregistry.h"

namespace Gatehouse {

namespace {

class FixedAnswerFilter final : public Filter
{
public:
    FixedAnswerFilter(QLatin1StringView name, GatewayError answer, QList<OwnedField> headers)
        : m_name(name), m_answer(std::move(answer)), m_headers(std::move(headers)) {}

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override { return m_name; }
    FilterStatus onRequest(RequestContext &ctx) const override
    {
        ctx.error = m_answer;
        for (const OwnedField &f : m_headers)
            setResponseHeader(ctx, f.name, f.value);
        ctx.decide(Phase::Interceptor, QString(m_name), m_answer.status < 400,
                   QStringLiteral("answered %1 by the policy").arg(m_answer.status));
        return FilterStatus::Respond;
    }

private:
    QLatin1StringView m_name;
    GatewayError m_answer;
    QList<OwnedField> m_headers;
};

SettingSchema statusSchema(int fallback)
{
    return SettingSchema::integer(QStringLiteral("The HTTP status of the answer"))
        .withRange(100, 599)
        .withDefault(fallback);
}

void checkMock(const QJsonObject &settings, QStringList &problems)
{
    const QJsonObject headers = settings.value(u"headers").toObject();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
        const QByteArray name = it.key().toLatin1();
        if (!isHeaderName(name))
            problems.append(QStringLiteral("settings.headers.%1: '%1' is not a header name").arg(it.key()));
        else if (isManagedHeader(name) || name.compare("content-type", Qt::CaseInsensitive) == 0)
            problems.append(QStringLiteral("settings.headers.%1: '%1' is set by the gateway (use 'contentType' "
                                           "for the type)").arg(it.key()));
    }
    const int status = settings.value(u"status").toInt();
    if ((status < 200 || status == 204 || status == 304) && !settings.value(u"body").toString().isEmpty())
        problems.append(QStringLiteral("settings.body: a %1 answer has no body: remove 'body' or choose another status")
                            .arg(status));
}

std::shared_ptr<const Filter> buildMock(const PolicyBuildContext &ctx)
{
    GatewayError answer;
    answer.status = ctx.settings.value(u"status").toInt();
    answer.code = GatewayErrorCode::BadRequest;
    answer.message = QStringLiteral("Mock response");
    answer.contentType = ctx.settings.value(u"contentType").toString().toUtf8();
    answer.body = ctx.settings.value(u"body").toString().toUtf8();
    QList<OwnedField> headers;
    const QJsonObject h = ctx.settings.value(u"headers").toObject();
    for (auto it = h.constBegin(); it != h.constEnd(); ++it)
        headers.append({it.key().toLatin1(), it.value().toString().toUtf8()});
    return std::make_shared<const FixedAnswerFilter>(QLatin1StringView("mock-response"), std::move(answer),
                                                     std::move(headers));
}

std::shared_ptr<const Filter> buildDeny(const PolicyBuildContext &ctx)
{
    GatewayError answer;
    answer.status = ctx.settings.value(u"status").toInt();
    answer.code = GatewayErrorCode::ApiForbidden;
    answer.message = ctx.settings.value(u"message").toString();
    answer.description = ctx.settings.value(u"description").toString();
    return std::make_shared<const FixedAnswerFilter>(QLatin1StringView("deny"), std::move(answer), QList<OwnedField>());
}

void checkDeny(const QJsonObject &settings, QStringList &problems)
{
    if (settings.value(u"status").toInt() < 400)
        problems.append(QStringLiteral("settings.status: deny answers with an error: use 400-599 (mock-response "
                                       "answers with anything)"));
}

} // namespace

PolicyDescriptor mockResponsePolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("mock-response");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral("Answers every request with a fixed status, headers and body, without "
                                   "calling the upstream: a stub while the API is designed.");
    d.priority = 100;
    d.requestPhase = true;
    d.settings = SettingSchema::object({
        {QStringLiteral("status"), statusSchema(200)},
        {QStringLiteral("contentType"), SettingSchema::text(QStringLiteral("The Content-Type of the body"))
                                            .withPattern(QStringLiteral("[^\\r\\n\\x00]+"), QStringLiteral("a media type"))
                                            .withDefault(QStringLiteral("application/json"))},
        {QStringLiteral("body"), SettingSchema::text(QStringLiteral("The body, sent as written")).withDefault(QString())},
        {QStringLiteral("headers"), SettingSchema::map(SettingSchema::text(QStringLiteral("A header value"))
                                                           .withPattern(QStringLiteral("[^\\r\\n\\x00]*"),
                                                                        QStringLiteral("a single-line value")),
                                                       QStringLiteral("Extra response headers, name: value"))
                                        .withDefault(QJsonObject())},
    });
    d.check = &checkMock;
    d.build = &buildMock;
    return d;
}

PolicyDescriptor denyPolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("deny");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral("Refuses every request with a JSON error ({\"code\", \"message\", "
                                   "\"description\"}) without calling the upstream.");
    d.priority = 900;
    d.requestPhase = true;
    d.settings = SettingSchema::object({
        {QStringLiteral("status"), statusSchema(403)},
        {QStringLiteral("message"), SettingSchema::text(QStringLiteral("The error's short message"))
                                        .withDefault(QStringLiteral("Forbidden"))},
        {QStringLiteral("description"), SettingSchema::text(QStringLiteral("A sentence for the caller"))
                                            .withDefault(QStringLiteral("This operation is not available"))},
    });
    d.check = &checkDeny;
    d.build = &buildDeny;
    return d;
}

} // namespace Gatehouse
