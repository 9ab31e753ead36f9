// The native interceptor filter and the Exchange view plugins get of a request.
#include "nativefilter.h"

#include <gatehouse/interceptor.h>

#include "pipeline/requestcontext.h"
#include "policies/headers/headerpolicies.h"

#include <exception>

namespace Gatehouse {

namespace {

enum class Hook { Request = 1, RequestBody, Response };

QByteArrayView bytes(gatehouse::Text t)
{
    return t.data ? QByteArrayView(t.data, qsizetype(t.size)) : QByteArrayView();
}

gatehouse::Text text(QByteArrayView b)
{
    return gatehouse::Text(b.data(), std::size_t(b.size()));
}

class ExchangeView final : public gatehouse::Exchange
{
public:
    ExchangeView(RequestContext &ctx, Hook hook, int status, QByteArray *body, const QString &file)
        : m_ctx(ctx), m_hook(hook), m_status(status), m_body(body), m_file(file)
    {
    }
    bool responded() const { return m_responded; }

    gatehouse::Text method() const override { return text(m_ctx.method); }
    gatehouse::Text path() const override { return text(m_ctx.path); }
    gatehouse::Text query() const override
    {
        return text(m_ctx.query.startsWith('?') ? m_ctx.query.sliced(1) : m_ctx.query);
    }
    bool header(gatehouse::Text name, gatehouse::Text *value) const override
    {
        const QByteArrayView n = bytes(name);
        if (!value || !isHeaderName(n))
            return false;
        m_scratch = m_hook == Hook::Response ? currentResponseHeader(m_ctx, n) : currentUpstreamHeader(m_ctx, n);
        if (m_scratch.isNull())
            return false;
        *value = text(m_scratch);
        return true;
    }
    bool setHeader(gatehouse::Text name, gatehouse::Text value) override
    {
        const QByteArrayView n = bytes(name), v = bytes(value);
        if (m_responded || !isHeaderName(n) || isManagedHeader(n) || !isHeaderValue(v))
            return false;
        if (m_hook == Hook::Response)
            setResponseHeader(m_ctx, n, v);
        else
            setUpstreamHeader(m_ctx, n, v);
        return true;
    }
    bool removeHeader(gatehouse::Text name) override
    {
        const QByteArrayView n = bytes(name);
        if (m_responded || !isHeaderName(n) || isManagedHeader(n))
            return false;
        if (m_hook == Hook::Response)
            removeResponseHeader(m_ctx, n);
        else
            removeUpstreamHeader(m_ctx, n);
        return true;
    }
    int status() const override { return m_hook == Hook::Response ? m_status : 0; }
    gatehouse::Text body() const override { return m_body ? text(*m_body) : gatehouse::Text(); }
    bool setBody(gatehouse::Text body) override
    {
        if (!m_body || m_responded || (!body.data && body.size))
            return false;
        *m_body = bytes(body).toByteArray();
        return true;
    }
    bool respond(int status, const gatehouse::Header *headers, std::size_t headerCount, gatehouse::Text body) override
    {
        if (m_hook == Hook::Response || m_responded || status < 200 || status > 599 || (headerCount && !headers)
            || (!body.data && body.size))
            return false;
        QByteArrayView contentType("text/plain; charset=utf-8");
        for (std::size_t i = 0; i < headerCount; ++i) {   // check everything before changing anything
            const QByteArrayView n = bytes(headers[i].name), v = bytes(headers[i].value);
            if (httpEqualsIgnoreCase(n, "content-type") && isHeaderValue(v))
                contentType = v;
            else if (!isHeaderName(n) || isManagedHeader(n) || !isHeaderValue(v))
                return false;
        }
        m_ctx.error = GatewayError{status, GatewayErrorCode::BadRequest, QString(), QString(),
                                   contentType.toByteArray(), bytes(body).toByteArray()};
        for (std::size_t i = 0; i < headerCount; ++i) {
            const QByteArrayView n = bytes(headers[i].name);
            if (!httpEqualsIgnoreCase(n, "content-type"))
                setResponseHeader(m_ctx, n, bytes(headers[i].value));
        }
        m_responded = true;
        return true;
    }
    void log(gatehouse::Text message) override
    {
        qCInfo(lcNative, "%s: %s", qUtf8Printable(m_file), bytes(message).toByteArray().constData());
    }

private:
    RequestContext &m_ctx;
    Hook m_hook;
    int m_status;
    QByteArray *m_body;
    const QString &m_file;
    mutable QByteArray m_scratch;
    bool m_responded = false;
};

// Runs one hook; false with the reason when it threw.
bool guarded(gatehouse::Interceptor &instance, Hook hook, ExchangeView &exchange, QString *error)
{
    try {
        switch (hook) {
        case Hook::Request: instance.onRequest(exchange); break;
        case Hook::RequestBody: instance.onRequestBody(exchange); break;
        case Hook::Response: instance.onResponse(exchange); break;
        }
        return true;
    } catch (const std::exception &e) {
        *error = QStringLiteral("threw %1").arg(QString::fromUtf8(e.what()));
    } catch (...) {
        *error = QStringLiteral("threw an exception that is not a std::exception");
    }
    return false;
}

QString noInstance(const RequestContext &ctx)
{
    return QStringLiteral("no instance for worker %1").arg(ctx.workerIndex);
}

} // namespace

NativeFilter::NativeFilter(std::shared_ptr<const NativePlugin> plugin,
                           std::vector<std::unique_ptr<gatehouse::Interceptor>> instances)
    : m_plugin(std::move(plugin)), m_instances(std::move(instances))
{
}

NativeFilter::~NativeFilter() = default;

gatehouse::Interceptor *NativeFilter::instanceFor(const RequestContext &ctx) const
{
    if (ctx.workerIndex < 0 || size_t(ctx.workerIndex) >= m_instances.size())
        return nullptr;
    return m_instances[size_t(ctx.workerIndex)].get();
}

FilterStatus NativeFilter::onRequest(RequestContext &ctx) const
{
    if (!(m_plugin->plugin->hooks & gatehouse::kHookRequest))
        return FilterStatus::Continue;
    gatehouse::Interceptor *instance = instanceFor(ctx);
    ExchangeView exchange(ctx, Hook::Request, 0, nullptr, m_plugin->file);
    QString error;   // built only on failure: this runs per request
    if (!instance)
        error = noInstance(ctx);
    else if (guarded(*instance, Hook::Request, exchange, &error)) {
        if (!exchange.responded())
            return FilterStatus::Continue;
        if (ctx.recordDecisions)
            ctx.decide(Phase::Interceptor, QStringLiteral("native"), ctx.error.status < 400,
                       QStringLiteral("%1 answered %2").arg(m_plugin->file).arg(ctx.error.status));
        return FilterStatus::Respond;
    }
    qCWarning(lcNative, "%s: onRequest failed, answered 500: %s", qUtf8Printable(m_plugin->file), qUtf8Printable(error));
    ctx.respond(500, GatewayErrorCode::BadRequest, QStringLiteral("Internal error"),
                QStringLiteral("A request interceptor failed"));
    ctx.decide(Phase::Interceptor, QStringLiteral("native"), false, error);
    return FilterStatus::Respond;
}

qint64 NativeFilter::requestBodyLimit() const
{
    return (m_plugin->plugin->hooks & gatehouse::kHookRequestBody) ? m_plugin->plugin->maxRequestBodyBytes : 0;
}

FilterStatus NativeFilter::onRequestBody(RequestContext &ctx, QByteArray &body) const
{
    if (!(m_plugin->plugin->hooks & gatehouse::kHookRequestBody))
        return FilterStatus::Continue;
    gatehouse::Interceptor *instance = instanceFor(ctx);
    ExchangeView exchange(ctx, Hook::RequestBody, 0, &body, m_plugin->file);
    QString error;
    if (!instance)
        error = noInstance(ctx);
    else if (guarded(*instance, Hook::RequestBody, exchange, &error))
        return exchange.responded() ? FilterStatus::Respond : FilterStatus::Continue;
    qCWarning(lcNative, "%s: onRequestBody failed, answered 500: %s", qUtf8Printable(m_plugin->file),
              qUtf8Printable(error));
    ctx.respond(500, GatewayErrorCode::BadRequest, QStringLiteral("Internal error"),
                QStringLiteral("A request interceptor failed"));
    return FilterStatus::Respond;
}

void NativeFilter::onResponseHead(RequestContext &ctx, int status) const
{
    if (!(m_plugin->plugin->hooks & gatehouse::kHookResponse))
        return;
    gatehouse::Interceptor *instance = instanceFor(ctx);
    ExchangeView exchange(ctx, Hook::Response, status, nullptr, m_plugin->file);
    QString error;
    if (instance && !guarded(*instance, Hook::Response, exchange, &error))
        qCWarning(lcNative, "%s: onResponse failed (the response passes unchanged): %s",
                  qUtf8Printable(m_plugin->file), qUtf8Printable(error));
}

} // namespace Gatehouse
