// One exchange through the response-cache filter, by hand, with a test clock: the request, then
// the upstream's answer as the exchange hands it to the filter (tst_responsecache,
// tst_responsecacherevalidation).
#pragma once

#include "policies/cache/cacheinvalidation.h"
#include "policies/cache/cachepolicy.h"

#include "pipeline/requestcontext.h"

#include <QTest>

#include <memory>

namespace Gatehouse::Test {

inline qint64 g_now = 1'700'000'000;
inline qint64 testClock() { return g_now; }

using Pairs = QList<std::pair<QByteArray, QByteArray>>;

// One exchange through the filter: request, then (on a miss) the upstream's response.
class Call
{
public:
    Call(const ResponseCacheFilter &filter, const QByteArray &method, const QByteArray &path, const Pairs &headers = {},
         const QString &subject = {}, int worker = 0)
        : m_filter(filter), m_method(method), m_path(path)
    {
        m_headerPairs = headers;
        for (const auto &[n, v] : m_headerPairs)
            m_headers.append(n, v);
        ctx.method = m_method;
        ctx.path = m_path;
        ctx.headers = &m_headers;
        ctx.workerIndex = worker;
        ctx.nowSeconds = g_now;
        if (!subject.isEmpty()) {
            auto caller = std::make_shared<Principal>();
            caller->method = QStringLiteral("jwt");
            caller->issuer = QStringLiteral("idp");
            caller->subject = subject;
            ctx.principal = std::move(caller);
        }
        status = filter.onRequest(ctx);
    }
    // The upstream answers (status, fields, body) as the exchange hands it to the filter; the
    // filter lets it through.
    void upstream(int code, const Pairs &fields, QByteArray body = "{\"n\":1}")
    {
        QCOMPARE(answer(code, fields, body), FilterStatus::Continue);
    }
    // The same, returning what the filter decided (Respond: the client gets ctx.error).
    FilterStatus answer(int code, const Pairs &fields, QByteArray body = {})
    {
        m_responsePairs = fields;
        for (const auto &[n, v] : m_responsePairs)
            m_response.append(n, v);
        ctx.upstreamResponseHeaders = &m_response;
        m_filter.onResponseHead(ctx, code);
        const FilterStatus result = m_filter.onResponseBody(ctx, code, body);
        ctx.upstreamResponseHeaders = nullptr;
        return result;
    }
    // A field the filter added to the request sent upstream (null: none).
    QByteArray upstreamHeader(QByteArrayView name) const
    {
        for (const OwnedField &f : ctx.upstreamHeaders) {
            if (httpEqualsIgnoreCase(f.name, name))
                return f.value;
        }
        return {};
    }
    QByteArray header(QByteArrayView name) const
    {
        QByteArray value;
        for (const OwnedField &f : ctx.responseHeaders) {
            if (httpEqualsIgnoreCase(f.name, name))
                value = f.value;
        }
        return value;
    }
    bool hit() const { return status == FilterStatus::Respond && ctx.error.status != 504; }

    FilterStatus status = FilterStatus::Continue;
    RequestContext ctx;

private:
    const ResponseCacheFilter &m_filter;
    QByteArray m_method;
    QByteArray m_path;
    Pairs m_headerPairs;
    Pairs m_responsePairs;
    Http1FieldList m_headers;
    Http1FieldList m_response;
};

inline const Pairs kFresh{{"Content-Type", "application/json"}, {"Cache-Control", "max-age=60"}};

inline std::unique_ptr<ResponseCacheFilter> makeFilter(ResponseCacheOptions options = {}, int workers = 1,
                                                      std::shared_ptr<CacheInvalidationLog> log = nullptr)
{
    return std::make_unique<ResponseCacheFilter>(options, workers, &testClock, std::move(log));
}

} // namespace Gatehouse::Test
