// What every call on an HTTP/2 upstream shares, whichever side the client speaks (HTTP/1.1 in
// downstream*.cpp, HTTP/2 in http2stream*.cpp) and whatever it carries (gRPC, gRPC-Web, transcoded
// JSON, REST with `http2: true`): the endpoint and its pooled connection, the gRPC fields, the
// :authority a policy set, and the answer when a request cannot be forwarded as HTTP/2.
#include "exchange.h"

#include "http2upstreampool.h"
#include "worker.h"

#include "proxy/router.h"

#include <algorithm>

namespace Gatehouse {

Http2UpstreamConnection *ProxyExchange::acquireHttp2Upstream(GatewayError &error)
{
    const UpstreamEndpoint *endpoint = startAttempt(error);
    if (!endpoint)
        return nullptr;
    traceAttemptStarted(true);   // a stream on a shared HTTP/2 connection: no connect span
    return m_worker->http2Pool().acquire(*endpoint);
}

GatewayError ProxyExchange::http2StreamRefused(bool call)
{
    attemptFailed(UpstreamFailure::BadResponse);
    return {502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
            call ? QStringLiteral("The call cannot be forwarded as HTTP/2 (a field is not valid there)")
                 : QStringLiteral("The request cannot be forwarded as HTTP/2 (a field is not valid there)")};
}

std::chrono::milliseconds ProxyExchange::callTimeout(std::chrono::milliseconds fallback) const
{
    return m_route->endpoints.timeout ? *m_route->endpoints.timeout : fallback;
}

void ProxyExchange::appendGrpcUpstreamFields(FieldArray &fields, UpstreamFieldBuffers &buffers,
                                             const ClientRequest &request, ClientView client,
                                             QByteArrayView viaProtocol, QByteArrayView contentType,
                                             std::initializer_list<QByteArrayView> dropped)
{
    FieldArray clientFields;
    (void)appendUpstreamFields(clientFields, buffers, request, client, viaProtocol);
    for (const Http1Field &f : clientFields) {
        if (httpNameIs(f.name, "content-type") || httpNameIs(f.name, "content-length"))
            continue;
        if (std::any_of(dropped.begin(), dropped.end(), [&](QByteArrayView d) { return httpNameIs(f.name, d); }))
            continue;
        fields.append(f);
    }
    fields.append({"content-type", contentType});
    fields.append({"te", "trailers"});
}

QByteArrayView ProxyExchange::policyAuthority(const FieldArray &fields, const UpstreamFieldBuffers &buffers)
{
    QByteArrayView authority;
    for (qsizetype i = buffers.policyFieldsBegin; i < buffers.policyFieldsEnd; ++i) {
        if (httpNameIs(fields[i].name, "host"))
            authority = fields[i].value;
    }
    return authority;
}

} // namespace Gatehouse
